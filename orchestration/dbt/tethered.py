"""`revenue-dbt`: dbt, run so that it dies with the process that started it.

A run killed with `kill -9` cannot stop its children, and dbt, left running, keeps the
build database locked until it finishes on its own, so the next run or `make erase`
finds the file taken. This entry point asks Linux to kill it the moment its parent
dies (a parent-death signal, which survives `exec`), then becomes dbt. Elsewhere it
only becomes dbt.

It answers `--version` itself, from the installed packages' metadata: dagster-dbt asks
before every dbt command, and dbt would import itself and ask PyPI for its latest
release to answer (seconds of every run, and a network call from the nightly).

Only the standard library is imported: this runs before every dbt command.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import NoReturn

# The process that starts dbt names itself, so a parent that died before the signal
# was armed is noticed too (the child would then wait on a signal that never comes).
PARENT_PID_ENV = "REVENUE_DBT_PARENT_PID"
PR_SET_PDEATHSIG = 1
# The dbt installed next to this interpreter.
DBT = Path(sys.executable).parent / "dbt"


def tie_to_parent(parent_pid: int) -> None:
    """Die when `parent_pid`, this process's parent, dies; exit now if it already has."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent_pid:
        sys.exit(f"{Path(sys.argv[0]).name}: the process that started it has ended")


def run_tied(program: Path, arguments: Sequence[str]) -> NoReturn:
    """Become `program`, tied to the parent named in the environment (else the
    current parent)."""
    tie_to_parent(int(os.environ.get(PARENT_PID_ENV) or os.getppid()))
    os.execv(program, [str(program), *arguments])


def installed_version() -> str:
    """What `dbt --version` says of the installed dbt, in its layout, without asking
    PyPI for the latest release."""
    return (
        f"Core:\n  - installed: {version('dbt-core')}\n\n"
        f"Plugins:\n  - duckdb: {version('dbt-duckdb')}"
    )


def main() -> NoReturn:
    if sys.argv[1:] == ["--version"]:
        print(installed_version())
        sys.exit(0)
    run_tied(DBT, sys.argv[1:])
