"""The instance's run launcher: Dagster's default, plus a run worker health check.

Run monitoring fails a run whose worker died only when the run launcher can say so,
and Dagster's DefaultRunLauncher cannot. A run killed with `kill -9` (a `make run`,
or a worker the daemon launched) then stays STARTED, holding the warehouse writer
slot, and the queue never starts the next refresh. Every run worker records its
process id in the run's event log ("Executing steps in process (pid: …)"); this
launcher looks that process up, so the monitoring daemon fails the run once the
process is gone and the queue moves on.

The daemon must run on the machine that runs the workers, as it does with the
default launcher (`make dev`, deploy/README.md): a process id means nothing elsewhere.
"""

from __future__ import annotations

import dagster as dg
import psutil
from dagster._core.launcher import CheckRunHealthResult, DefaultRunLauncher, WorkerStatus

# Process start times are known to the tick, boot time to the second.
START_TIME_SLACK_S = 2.0


def worker_process_alive(pid: int, recorded_at: float) -> bool:
    """Whether the process `pid`, recorded as a run's worker at `recorded_at`, still runs.

    A process id is handed out again once its process has ended, so a process that
    started after the run recorded its worker is another program; a killed worker
    its parent has not collected yet (a zombie) is gone too.
    """
    try:
        process = psutil.Process(pid)
        return (
            process.create_time() <= recorded_at + START_TIME_SLACK_S
            and process.status() != psutil.STATUS_ZOMBIE
        )
    except psutil.NoSuchProcess:
        return False


def recorded_worker(instance: dg.DagsterInstance, run_id: str) -> tuple[int, float] | None:
    """The process id the run's worker last recorded, and when, or None."""
    workers = [
        (int(pid.value), entry.timestamp)
        for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT)
        if entry.dagster_event is not None
        and (pid := entry.dagster_event.engine_event_data.metadata.get("pid")) is not None
    ]
    return workers[-1] if workers else None


class LocalRunLauncher(DefaultRunLauncher):
    """Launches runs as Dagster's default launcher does, and says whether their worker
    process is still alive."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: dg.DagsterRun) -> CheckRunHealthResult:
        worker = recorded_worker(self._instance, run.run_id)
        if worker is None:
            # Workers record themselves as they start; until then, the maximum run
            # time is the bound.
            return CheckRunHealthResult(WorkerStatus.RUNNING, "worker not recorded yet")
        pid, recorded_at = worker
        if worker_process_alive(pid, recorded_at):
            return CheckRunHealthResult(WorkerStatus.RUNNING, f"worker process {pid} is running")
        return CheckRunHealthResult(
            WorkerStatus.FAILED,
            f"worker process {pid} has ended without finishing the run (killed or crashed)",
        )
