"""`make report [WEEK=2026-10-19]`, and the end of `make run`: the weekly review job,
run once in this process and recorded in the Dagster instance like a scheduled run."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import dagster as dg

from orchestration.settings import warehouse_paths

REVIEW_JOB = "weekly_pipeline_review"
REVIEW_STEP = "reports__weekly_pipeline_review"


def run_weekly_review(
    defs: dg.Definitions, instance: dg.DagsterInstance, week_start: dt.date | None = None
) -> Path | None:
    """Render one week's review (default: the last complete week); the HTML page's path,
    or None when the run failed."""
    result = defs.resolve_job_def(REVIEW_JOB).execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config={
            "ops": {
                REVIEW_STEP: {
                    "config": {"week_start": week_start.isoformat() if week_start else None}
                }
            },
            "loggers": {"console": {"config": {"log_level": "WARNING"}}},
        },
    )
    if not result.success:
        return None
    (materialization,) = result.asset_materializations_for_node(REVIEW_STEP)
    return Path(materialization.metadata["html_report"].value)


def monday_of(text: str) -> dt.date:
    """The Monday of the week a date falls in: any day of a week names the week."""
    day = dt.date.fromisoformat(text)
    return day - dt.timedelta(days=day.weekday())


def main() -> int:
    parser = argparse.ArgumentParser(description="Render the Monday pipeline review.")
    parser.add_argument(
        "--week", help="a day of the week to review (YYYY-MM-DD); default: the last complete week"
    )
    week = parser.parse_args().week
    try:
        week_start = monday_of(week) if week else None
    except ValueError:
        print(f"WEEK must be a date such as 2026-10-19, got {week!r}", file=sys.stderr)
        return 2
    paths = warehouse_paths()
    if not paths.analytics_database.exists():
        print(f"No BI file at {paths.analytics_database}: run `make run` first.", file=sys.stderr)
        return 1
    from orchestration.definitions import defs

    html = run_weekly_review(defs, dg.DagsterInstance.get(), week_start)
    if html is None:
        print("The review failed; open `make dev` to see why.", file=sys.stderr)
        return 1
    print(f"Monday review: {html}")
    print(f"Markdown:      {html.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
