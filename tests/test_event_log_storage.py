"""The shipped instance's event log keeps its SQLite connections open, and loses nothing.

Runs are stored through an instance built from the shipped dagster.yaml, and read back
by a second instance on the same directory, as the webserver reads what a run worker
writes.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import psutil
import pytest

from orchestration import event_log_storage
from orchestration.event_log_storage import (
    MOST_OPEN_DATABASES,
    KeptOpenSqliteEventLogStorage,
    event_log_dir,
)
from orchestration.settings import PROJECT_ROOT

WATCHER_WAIT_S = 20


@dg.asset
def leads() -> None:
    return None


@dg.asset_check(asset=leads)
def leads_have_owners() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


@pytest.fixture
def dagster_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(PROJECT_ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def instance(dagster_home: Path) -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.get() as instance:
        yield instance


def run_once(instance: dg.DagsterInstance) -> str:
    result = dg.materialize([leads, leads_have_owners], instance=instance)
    assert result.success
    return result.run_id


def open_databases(dagster_home: Path) -> set[str]:
    return {
        f.path
        for f in psutil.Process().open_files()
        if f.path.startswith(event_log_dir(str(dagster_home))) and f.path.endswith(".db")
    }


def test_the_shipped_instance_uses_it_in_dagsters_own_files(instance, dagster_home):
    assert isinstance(instance.event_log_storage, KeptOpenSqliteEventLogStorage)
    run_id = run_once(instance)
    assert (dagster_home / "history" / "runs" / f"{run_id}.db").exists()


def test_an_instance_elsewhere_than_dagster_home_is_refused(dagster_home, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shutil.copy(dagster_home / "dagster.yaml", elsewhere / "dagster.yaml")
    with pytest.raises(dg.DagsterInvariantViolationError, match="set DAGSTER_HOME"):
        dg.DagsterInstance.from_config(str(elsewhere))


def test_a_run_opens_each_database_once(instance, monkeypatch):
    engines: list[str] = []
    create_engine = event_log_storage.create_engine

    def counted(url, **kwargs):
        engines.append(Path(url.split(":///")[-1]).name)
        return create_engine(url, **kwargs)

    monkeypatch.setattr(event_log_storage, "create_engine", counted)
    run_id = run_once(instance)
    stored = instance.all_logs(run_id)
    # Planned, started, output, materialization, check, success and more, each its own
    # transaction, through one engine for the run's database (the index's was opened
    # with the instance).
    assert len(stored) > 10
    assert sorted(engines) == sorted([f"{run_id}.db"])


def test_another_process_reads_every_event_while_the_writer_stays_open(instance, dagster_home):
    run_id = run_once(instance)
    with dg.DagsterInstance.from_config(str(dagster_home)) as reader:
        written = [(e.timestamp, e.message) for e in instance.all_logs(run_id)]
        assert [(e.timestamp, e.message) for e in reader.all_logs(run_id)] == written
        event_types = {e.dagster_event_type for e in reader.all_logs(run_id) if e.dagster_event}
        assert dg.DagsterEventType.ASSET_CHECK_EVALUATION in event_types
        assert reader.get_latest_materialization_event(dg.AssetKey("leads")).run_id == run_id


def test_a_watcher_in_another_instance_hears_of_a_new_event(instance, dagster_home):
    run_id = run_once(instance)
    heard = threading.Event()
    with dg.DagsterInstance.from_config(str(dagster_home)) as webserver:
        cursor = str(webserver.get_records_for_run(run_id).cursor)
        webserver.watch_event_logs(run_id, cursor, lambda event, _cursor: heard.set())
        instance.report_engine_event("a note after the run", instance.get_run_by_id(run_id))
        assert heard.wait(WATCHER_WAIT_S)


def test_reading_does_not_wake_watchers(instance, dagster_home):
    run_id = run_once(instance)
    database = Path(event_log_dir(str(dagster_home))) / f"{run_id}.db"
    before = database.stat().st_mtime_ns
    instance.all_logs(run_id)
    instance.get_latest_materialization_event(dg.AssetKey("leads"))
    assert database.stat().st_mtime_ns == before


def test_a_reader_of_many_runs_keeps_few_files_open(instance, dagster_home):
    run_ids = [run_once(instance) for _ in range(MOST_OPEN_DATABASES + 2)]
    for run_id in run_ids:
        instance.all_logs(run_id)
    # The latest databases used; the least recent are closed.
    assert len(open_databases(dagster_home)) <= MOST_OPEN_DATABASES
    assert str(Path(event_log_dir(str(dagster_home))) / f"{run_ids[-1]}.db") in open_databases(
        dagster_home
    )


def test_wiping_starts_afresh(instance, dagster_home):
    old_run = run_once(instance)
    instance.event_log_storage.wipe()
    database = Path(event_log_dir(str(dagster_home))) / f"{old_run}.db"
    assert not database.exists()
    # Written after the wipe, into a new file that another process reads.
    instance.report_engine_event("after the wipe", instance.get_run_by_id(old_run))
    with dg.DagsterInstance.from_config(str(dagster_home)) as reader:
        assert [e.message for e in reader.all_logs(old_run)] == ["after the wipe"]
