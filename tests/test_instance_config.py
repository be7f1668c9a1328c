"""The shipped dagster.yaml keeps runs from colliding, and from waiting on dead ones.

The file is loaded into a real DagsterInstance; the last tests drive the run queue's and
run monitoring's own daemons in-process: a second nightly refresh waits while the first
is in progress, and starts once a first run killed with `kill -9` is failed.
"""

from __future__ import annotations

import logging
import shutil
import signal
from collections.abc import Iterator, Mapping
from pathlib import Path

import dagster as dg
import pytest
import yaml
from dagster._core.definitions.definitions_class import SINGLETON_REPOSITORY_NAME
from dagster._core.launcher import LaunchRunContext
from dagster._core.remote_origin import InProcessCodeLocationOrigin
from dagster._core.test_utils import create_test_daemon_workspace_context
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._core.workspace.context import WorkspaceRequestContext
from dagster._core.workspace.load_target import InProcessWorkspaceLoadTarget
from dagster._daemon.monitoring.run_monitoring import execute_run_monitoring_iteration
from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import (
    QueuedRunCoordinatorDaemon,
)

from orchestration.definitions import defs
from orchestration.run_launcher import LocalRunLauncher
from orchestration.schedules import full_refresh_job, nightly_refresh_job, weekly_review_job
from orchestration.settings import PROJECT_ROOT
from tests.conftest import running_python

SHIPPED_CONFIG = PROJECT_ROOT / "dagster.yaml"
PRODUCTION_CONFIG = PROJECT_ROOT / "deploy" / "dagster.production.yaml"
CODE_LOCATION = "revenue_warehouse"
WAREHOUSE_WRITING_JOBS = (nightly_refresh_job.name, full_refresh_job.name)
RUN_RULES = (
    "telemetry",
    "run_coordinator",
    "run_launcher",
    "concurrency",
    "run_monitoring",
    "run_retries",
)
LONGEST_ACCEPTABLE_RUN_S = 4 * 60 * 60


class RecordingRunLauncher(LocalRunLauncher):
    """The shipped launcher's health check, but launching only records the launch:
    launching for real would run the whole refresh. The run stays STARTING, which the
    queue counts as in progress."""

    def launch_run(self, context: LaunchRunContext) -> None:
        pass


RECORDING_RUN_LAUNCHER = {"module": __name__, "class": RecordingRunLauncher.__name__}


def run_tags(job_name: str) -> Mapping[str, str]:
    """The tags a scheduled or launched run of this job carries."""
    return defs.resolve_job_def(job_name).run_tags


def limits_applying_to(tags: Mapping[str, str], instance: dg.DagsterInstance) -> list[int]:
    run_queue = instance.get_concurrency_config().run_queue_config
    return [
        limit["limit"]
        for limit in run_queue.tag_concurrency_limits
        if limit["key"] in tags and limit.get("value") in (None, tags[limit["key"]])
    ]


def instance_from(config_dir: Path) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(config_dir))


@pytest.fixture(autouse=True)
def instance_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped event log storage finds its files under DAGSTER_HOME, as in
    `make run` and `make dev`."""
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))


@pytest.fixture
def shipped_instance(tmp_path: Path) -> Iterator[dg.DagsterInstance]:
    shutil.copy(SHIPPED_CONFIG, tmp_path / "dagster.yaml")
    with instance_from(tmp_path) as instance:
        yield instance


def test_runs_go_through_the_queue(shipped_instance):
    assert isinstance(shipped_instance.run_coordinator, dg.QueuedRunCoordinator)
    run_queue = shipped_instance.get_concurrency_config().run_queue_config
    # Room for the Monday report next to a refresh, and a bound on everything else.
    assert 2 <= run_queue.max_concurrent_runs <= 4
    assert not shipped_instance.telemetry_enabled


def test_one_warehouse_writer_at_a_time(shipped_instance):
    for job_name in WAREHOUSE_WRITING_JOBS:
        assert limits_applying_to(run_tags(job_name), shipped_instance) == [1], job_name
    assert limits_applying_to(run_tags(weekly_review_job.name), shipped_instance) == []


def test_a_stuck_run_is_stopped_before_the_next_night(shipped_instance):
    assert shipped_instance.run_monitoring_enabled
    assert 0 < shipped_instance.run_monitoring_max_runtime_seconds <= LONGEST_ACCEPTABLE_RUN_S


def test_a_dead_run_worker_is_noticed_within_minutes(shipped_instance):
    assert isinstance(shipped_instance.run_launcher, LocalRunLauncher)
    assert shipped_instance.run_launcher.supports_check_run_worker_health
    assert shipped_instance.run_monitoring_poll_interval_seconds <= 120
    # The default launcher cannot resume a run; monitoring must not try.
    assert shipped_instance.run_monitoring_max_resume_run_attempts == 0


def test_crashed_runs_are_retried_failed_checks_are_not(shipped_instance):
    assert shipped_instance.run_retries_enabled
    assert shipped_instance.run_retries_max_retries >= 1
    assert not shipped_instance.run_retries_retry_on_asset_or_op_failure


def test_production_config_has_the_same_run_rules():
    shipped = yaml.safe_load(SHIPPED_CONFIG.read_text())
    production = yaml.safe_load(PRODUCTION_CONFIG.read_text())
    assert {key: production.get(key) for key in RUN_RULES} == {
        key: shipped.get(key) for key in RUN_RULES
    }


@pytest.fixture
def queueing_instance(tmp_path: Path) -> Iterator[dg.DagsterInstance]:
    config = yaml.safe_load(SHIPPED_CONFIG.read_text())
    config["run_launcher"] = RECORDING_RUN_LAUNCHER
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(config))
    with instance_from(tmp_path) as instance:
        yield instance


def submit(instance: dg.DagsterInstance, workspace: WorkspaceRequestContext, job_name: str) -> str:
    """What a schedule tick does: a run with the code location's job tags, into the queue."""
    remote_job = (
        workspace.get_code_location(CODE_LOCATION)
        .get_repository(SINGLETON_REPOSITORY_NAME)
        .get_full_job(job_name)
    )
    run = instance.create_run_for_job(
        defs.resolve_job_def(job_name),
        tags=remote_job.run_tags,
        status=dg.DagsterRunStatus.NOT_STARTED,
        remote_job_origin=remote_job.get_remote_origin(),
        job_code_origin=remote_job.get_python_origin(),
    )
    instance.submit_run(run.run_id, workspace)
    return run.run_id


def finish(instance: dg.DagsterInstance, run_id: str) -> None:
    run = instance.get_run_by_id(run_id)
    instance.report_dagster_event(
        dg.DagsterEvent(
            event_type_value=dg.DagsterEventType.RUN_SUCCESS.value, job_name=run.job_name
        ),
        run_id=run_id,
    )


def status(instance: dg.DagsterInstance, run_id: str) -> dg.DagsterRunStatus:
    return instance.get_run_by_id(run_id).status


def code_location() -> InProcessWorkspaceLoadTarget:
    """The project's code location, loaded in this process instead of a code server."""
    return InProcessWorkspaceLoadTarget(
        InProcessCodeLocationOrigin(
            LoadableTargetOrigin(
                module_name="orchestration.definitions", working_directory=str(PROJECT_ROOT)
            ),
            location_name=CODE_LOCATION,
        )
    )


def test_second_nightly_run_waits_while_the_first_is_in_progress(queueing_instance):
    instance = queueing_instance
    daemon = QueuedRunCoordinatorDaemon(interval_seconds=1)
    with create_test_daemon_workspace_context(code_location(), instance) as context:
        workspace = context.create_request_context()
        first = submit(instance, workspace, nightly_refresh_job.name)
        second = submit(instance, workspace, nightly_refresh_job.name)
        report = submit(instance, workspace, weekly_review_job.name)

        list(daemon.run_iteration(context))
        assert status(instance, first) == dg.DagsterRunStatus.STARTING
        assert status(instance, second) == dg.DagsterRunStatus.QUEUED
        # The report only reads the BI file, so a refresh in progress does not hold it up.
        assert status(instance, report) == dg.DagsterRunStatus.STARTING

        finish(instance, first)
        list(daemon.run_iteration(context))
        assert status(instance, second) == dg.DagsterRunStatus.STARTING


# A warehouse writer run in its own process, as `make run` starts one: its only step
# says it has started, then waits to be killed.
WRITER_RUN_SCRIPT = """
import sys, time
import dagster as dg
from orchestration.schedules import WAREHOUSE_WRITER_TAG

@dg.op
def refresh():
    print("started", flush=True)
    time.sleep(600)

@dg.job(tags=WAREHOUSE_WRITER_TAG)
def killed_refresh():
    refresh()

with dg.DagsterInstance.from_config(sys.argv[1]) as instance:
    killed_refresh.execute_in_process(instance=instance)
"""


@pytest.fixture
def writer_run_in_another_process(queueing_instance, tmp_path):
    with running_python(WRITER_RUN_SCRIPT, str(tmp_path), ready="started") as process:
        yield process


def test_a_killed_run_is_failed_and_the_queue_moves_on(
    queueing_instance, writer_run_in_another_process
):
    instance = queueing_instance
    logger = logging.getLogger("run_monitoring")
    queue = QueuedRunCoordinatorDaemon(interval_seconds=1)
    with create_test_daemon_workspace_context(code_location(), instance) as context:
        (killed,) = instance.get_run_ids(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
        nightly = submit(instance, context.create_request_context(), nightly_refresh_job.name)
        list(queue.run_iteration(context))
        assert status(instance, nightly) == dg.DagsterRunStatus.QUEUED
        # A live worker is left alone.
        list(execute_run_monitoring_iteration(context, logger))
        assert status(instance, killed) == dg.DagsterRunStatus.STARTED

        writer_run_in_another_process.send_signal(signal.SIGKILL)
        writer_run_in_another_process.wait()
        assert status(instance, killed) == dg.DagsterRunStatus.STARTED

        list(execute_run_monitoring_iteration(context, logger))
        assert status(instance, killed) == dg.DagsterRunStatus.FAILURE
        list(queue.run_iteration(context))
        assert status(instance, nightly) == dg.DagsterRunStatus.STARTING
