"""One writer per warehouse: a second `make run`, `make erase` or refresh run waits.

Holders run in their own processes, as real ones do: `flock` locks belong to the
process, so only another process can be kept waiting.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.resources import WarehouseResource
from orchestration.run_tags import WRITER_TAG
from orchestration.settings import PROJECT_ROOT
from orchestration.warehouse_lock import LOCK_FILE, warehouse_lock
from tests.conftest import FIXTURE_LANDING, make_warehouse, running_python

# Holds the warehouse as `make erase` would until told (a line on stdin) to finish.
HOLDER = """
import sys
from pathlib import Path
from orchestration.warehouse_lock import warehouse_lock
with warehouse_lock(Path(sys.argv[1]), "make erase"):
    print("holding", flush=True)
    sys.stdin.readline()
"""
# Whether another process holds the warehouse, asked without waiting.
PROBE = """
import fcntl, sys
with open(sys.argv[1], "a") as lock:
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("held")
    else:
        print("free")
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen]:
    with running_python(HOLDER, str(tmp_path), ready="holding", stdin=subprocess.PIPE) as process:
        yield process


def must_not_wait(message: str) -> None:
    raise AssertionError(f"waited: {message}")


def lock_state(warehouse_dir: Path) -> str:
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, str(warehouse_dir / LOCK_FILE)],
        capture_output=True,
        text=True,
        check=True,
    )
    return probe.stdout.strip()


def test_second_holder_is_told_who_holds_the_warehouse_and_waits(tmp_path, holder):
    messages = []

    def waiting(message: str) -> None:
        messages.append(message)
        holder.stdin.write("finish\n")
        holder.stdin.flush()

    with warehouse_lock(tmp_path, "make run", waiting=waiting):
        # Reached only once the holder has finished.
        assert holder.wait() == 0
    assert len(messages) == 1
    assert re.fullmatch(
        rf"The warehouse {re.escape(str(tmp_path))} is in use by make erase "
        rf"\(pid {holder.pid}, since \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\); waiting for it to end\.",
        messages[0],
    )


def test_a_killed_holder_leaves_the_warehouse_free(tmp_path, holder):
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with warehouse_lock(tmp_path, "make run", waiting=must_not_wait):
        assert lock_state(tmp_path) == "held"
    assert lock_state(tmp_path) == "free"


def test_a_process_holding_the_warehouse_may_take_it_again(tmp_path):
    with (
        warehouse_lock(tmp_path, "make erase"),
        warehouse_lock(tmp_path, "its refresh run", waiting=must_not_wait),
    ):
        assert lock_state(tmp_path) == "held"
    assert lock_state(tmp_path) == "free"


def first_line_about_the_lock(process: subprocess.Popen) -> str:
    """The first line the process writes to stderr that names the warehouse lock, or ''
    once it has ended without one (warnings of imported libraries are skipped)."""
    for line in process.stderr:
        if "in use by" in line:
            return line.strip()
    return ""


@pytest.mark.parametrize(
    ("command", "untouched"),
    [
        # The run log is opened (emptied) only once the warehouse is free.
        (["orchestration.nightly"], "logs/nightly-refresh.log"),
        # Nothing is recorded or deleted before the warehouse is free.
        (["orchestration.erase", "ann@alpha.example"], "build.duckdb"),
    ],
)
def test_make_run_and_make_erase_wait_for_the_warehouse(tmp_path, holder, command, untouched):
    warehouse_dir = tmp_path
    (warehouse_dir / "logs").mkdir()
    (warehouse_dir / "logs" / "nightly-refresh.log").write_text("the run in progress\n")
    duckdb.connect(str(warehouse_dir / "build.duckdb")).close()
    environment = {
        **os.environ,
        "REVENUE_WAREHOUSE_DIR": str(warehouse_dir),
        "REVENUE_LANDING_DIR": str(FIXTURE_LANDING),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
    }
    (tmp_path / "dagster_home").mkdir()
    waiting = subprocess.Popen(
        [sys.executable, "-m", *command],
        env=environment,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert first_line_about_the_lock(waiting).startswith(
            f"The warehouse {warehouse_dir} is in use by make erase (pid {holder.pid}"
        )
        assert (warehouse_dir / untouched).exists()
        assert (warehouse_dir / "logs" / "nightly-refresh.log").read_text() == (
            "the run in progress\n"
        )
        assert not (warehouse_dir / "erasures.json").exists()
    finally:
        waiting.kill()
        waiting.wait()


@dg.op
def probe_the_warehouse_lock(warehouse: WarehouseResource) -> str:
    return lock_state(warehouse.paths.warehouse_dir)


@pytest.mark.parametrize(("tags", "state"), [({WRITER_TAG: "true"}, "held"), ({}, "free")])
def test_runs_that_write_the_warehouse_hold_it_throughout(tmp_path, tags, state):
    @dg.job(tags=tags)
    def probe():
        probe_the_warehouse_lock()

    result = probe.execute_in_process(
        resources={"warehouse": make_warehouse(FIXTURE_LANDING, tmp_path)}
    )
    assert result.output_for_node("probe_the_warehouse_lock") == state
    assert lock_state(tmp_path) == "free"
