"""dbt runs through `revenue-dbt`, which dies with the process that started it.

The stand-in for dbt here is a sleeping Python: `run_tied` does for it exactly what
it does for dbt (arm the parent-death signal, then exec).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest
from dagster_dbt import DbtCliResource
from dbt.version import __version__ as installed_dbt

from orchestration.dbt.project import DBT_EXECUTABLE
from orchestration.dbt.tethered import DBT, PARENT_PID_ENV
from orchestration.settings import PROJECT_ROOT

# The child execs a Python that says it is running, then sleeps far longer than the test.
TIED_CHILD = """
import sys
from orchestration.dbt.tethered import run_tied
run_tied(sys.executable, ["-c", "print('running', flush=True); import time; time.sleep(600)"])
"""
# Stands in for a run worker: starts the child as dagster-dbt starts dbt.
PARENT = f"""
import os, subprocess, sys
child = subprocess.Popen(
    [sys.executable, "-c", {TIED_CHILD!r}],
    env={{**os.environ, {PARENT_PID_ENV!r}: str(os.getpid())}},
)
print(child.pid, flush=True)
child.wait()
"""
# Generous: the child dies as its parent does; waiting longer only delays a failure.
CHILD_EXIT_DEADLINE_S = 30


def gone(pid: int) -> bool:
    """Ended, or ended and not yet collected by whoever adopted it."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux parent-death signal")
def test_dbt_child_does_not_outlive_a_killed_parent():
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT
    )
    child_pid = int(parent.stdout.readline())
    try:
        assert parent.stdout.readline().strip() == "running"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + CHILD_EXIT_DEADLINE_S
        while not gone(child_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert gone(child_pid), "the child outlived its killed parent"
    finally:
        if not gone(child_pid):
            os.kill(child_pid, signal.SIGKILL)


def test_child_whose_parent_already_ended_does_not_start():
    # The named parent is not this child's parent: it ended before the signal was armed.
    child = subprocess.run(
        [sys.executable, "-c", TIED_CHILD],
        env={**os.environ, PARENT_PID_ENV: str(os.getpid() + 1)},
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert child.returncode == 1
    assert child.stdout == ""
    assert "the process that started it has ended" in child.stderr


def test_revenue_dbt_becomes_dbt():
    assert os.path.basename(DBT_EXECUTABLE) == "revenue-dbt"
    tied, plain = (
        subprocess.run([program, "--help"], capture_output=True, text=True, check=True).stdout
        for program in (DBT_EXECUTABLE, str(DBT))
    )
    assert tied == plain and "Usage: dbt" in tied


def test_revenue_dbt_names_the_installed_dbt_without_starting_it():
    answer = subprocess.run(
        [DBT_EXECUTABLE, "--version"], capture_output=True, text=True, check=True, timeout=10
    ).stdout
    assert f"  - installed: {installed_dbt}\n" in answer
    # dagster-dbt asks before every dbt command and reads the version out of the answer.
    resource = DbtCliResource(
        project_dir=str(PROJECT_ROOT / "dbt_project"), dbt_executable=DBT_EXECUTABLE
    )
    assert str(resource._cli_version) == installed_dbt
