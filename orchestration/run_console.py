"""What `make run` shows on the console: progress while it runs, causes when it fails.

The full Dagster and dbt output goes to the run log and the instance's event log;
the console gets one line per finished step (with the elapsed time), dbt's model
count as it builds, and, when the run fails, the one-line cause of each failure.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import dagster as dg

PROGRESS_LOGGER = "progress"
# dbt's build reports each model as it finishes; one line per tenth is enough.
DBT_PROGRESS_STEPS = 10


class ProgressHandler(logging.Handler):
    """Prints which step finished, how far the run is, and how long it has taken."""

    def __init__(self, steps: int, dbt_models: int, stream: TextIO) -> None:
        super().__init__()
        self.steps = steps
        self.dbt_models = dbt_models
        self.stream = stream
        self.started = time.monotonic()
        self.step_started: dict[str, float] = {}
        self.finished = 0
        self.models_current = 0

    def emit(self, record: logging.LogRecord) -> None:
        # Dagster attaches its event, or the message a step logged, to every record.
        meta = getattr(record, "dagster_meta", {})
        event = meta.get("dagster_event")
        if event is None:
            line = self.describe_message(record, meta)
        elif event.step_key is not None:
            line = self.describe(event)
        else:
            return
        if line:
            elapsed = int(time.monotonic() - self.started)
            print(f"[{elapsed // 60:02d}:{elapsed % 60:02d}] {line}", file=self.stream, flush=True)

    @staticmethod
    def describe_message(record: logging.LogRecord, meta: dict) -> str | None:
        """A warning or error a step logged, without Dagster's run and job prefixes."""
        message = meta.get("orig_message", "")
        # Steps skipped after a failure say so one by one; the failure says enough.
        if record.levelno < logging.WARNING or message.startswith("Dependencies for step"):
            return None
        return f"{record.levelname.lower()} in {meta.get('step_key') or 'run'}: {message}"

    def describe(self, event: dg.DagsterEvent) -> str | None:
        step = event.step_key or ""
        kind = event.event_type
        if kind == dg.DagsterEventType.STEP_START:
            self.step_started[step] = time.monotonic()
            return f"started {step}" if step == "revenue_dbt_models" else None
        if kind in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
            self.finished += 1
            took = time.monotonic() - self.step_started.get(step, self.started)
            outcome = "done" if kind == dg.DagsterEventType.STEP_SUCCESS else "FAILED"
            return f"{self.finished}/{self.steps} {step} {outcome} ({took:.1f} s)"
        # A view a quiet night leaves as it is counts as well: it is up to date unbuilt.
        if kind == dg.DagsterEventType.ASSET_MATERIALIZATION and step == "revenue_dbt_models":
            self.models_current += 1
            every = max(1, self.dbt_models // DBT_PROGRESS_STEPS)
            if self.models_current % every == 0 or self.models_current == self.dbt_models:
                return f"  dbt: {self.models_current}/{self.dbt_models} models up to date"
        return None


@dg.logger(
    config_schema={"steps": int, "dbt_models": int},
    description="Progress lines on the console for `make run`.",
)
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("revenue_warehouse.progress", level=logging.DEBUG)
    config = init_context.logger_config
    logger.addHandler(ProgressHandler(config["steps"], config["dbt_models"], sys.stderr))
    return logger


def failure_causes(result: dg.ExecuteInProcessResult, dbt_target_dir: Path) -> list[str]:
    """The one-line cause of each step that raised: the innermost error's first line
    (it names the file, row and column, or the definitions key), and for dbt the nodes
    that failed. Failed blocking checks are not among them: `check_report` has them."""
    causes = []
    for event in result.all_events:
        if event.event_type != dg.DagsterEventType.STEP_FAILURE:
            continue
        error = event.step_failure_data.error
        while error is not None and error.cause is not None:
            error = error.cause
        # A failed blocking check is reported by the check itself, with its reason.
        if error is not None and error.cls_name == "DagsterAssetCheckFailedError":
            continue
        message = error.message.strip().splitlines()[0] if error and error.message else ""
        if event.step_key == "revenue_dbt_models":
            causes.extend(dbt_failures(dbt_target_dir) or [f"{event.step_key}: {message}"])
        else:
            causes.append(f"{event.step_key}: {_without_module(message)}")
    return causes


def dbt_failures(dbt_target_dir: Path) -> list[str]:
    """Failed and erroring nodes of the last dbt invocation, from its run_results.json."""
    run_results = dbt_target_dir / "run_results.json"
    if not run_results.exists():
        return []
    results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
    return [
        f"dbt {result['unique_id']}: {_first_line(result.get('message'))}"
        for result in results
        if result.get("status") in ("error", "fail")
    ]


def _first_line(message: str | None) -> str:
    return (message or "").strip().splitlines()[0] if message and message.strip() else "failed"


def _without_module(message: str) -> str:
    """`orchestration.ingest.csv_reading.ExportFileError: x` reads `ExportFileError: x`."""
    head, separator, rest = message.partition(": ")
    return f"{head.rsplit('.', 1)[-1]}{separator}{rest}" if separator else message


def indented(lines: Iterable[str]) -> str:
    return "\n".join(f"  - {line}" for line in lines)
