"""`make run`: the nightly refresh, run once in this process, then a KPI summary.

Runs are recorded in the Dagster instance under DAGSTER_HOME, so they show up in
`dagster dev` next to scheduled ones.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.dbt.assets import revenue_dbt_models
from orchestration.ingest.coverage import recorded_absent_systems, recorded_coverage
from orchestration.ingest.load_checks import FRESHNESS_CHECK
from orchestration.reports.run import run_weekly_review
from orchestration.run_console import PROGRESS_LOGGER, failure_causes, indented
from orchestration.run_tags import EXPECTED_SHRINK_TAG
from orchestration.settings import warehouse_paths
from orchestration.warehouse_lock import warehouse_lock

SUMMARY_MONTHS = 3
NIGHTLY_JOB = "nightly_refresh"
FULL_REFRESH_JOB = "full_refresh"


def kpi_summary(analytics_database: str) -> str:
    with duckdb.connect(analytics_database, read_only=True) as connection:
        months = connection.execute(
            """
            select month, sales_ready_leads, lead_to_opportunity_rate,
                   marketing_pipeline_eur, definition_version
            from shared_kpis_monthly order by month desc limit ?
            """,
            [SUMMARY_MONTHS],
        ).fetchall()
        (leads, sales_ready, converted) = connection.execute(
            "select count(*), count(*) filter (where meets_definition), "
            "count(*) filter (where is_converted) from lead_funnel"
        ).fetchone()
    lines = [
        f"Leads: {leads}, sales-ready under the agreed definition: {sales_ready}, "
        f"converted to an opportunity: {converted}",
        "",
        f"{'month':<10}  {'sales-ready':>11}  {'→ opportunity':>13}  {'marketing pipeline':>18}",
    ]
    for month, ready, rate, pipeline, _version in reversed(months):
        shown_rate = "-" if rate is None else f"{rate:.0%}"
        lines.append(f"{month:%Y-%m}     {ready:>11}  {shown_rate:>13}  EUR {pipeline:>14,.0f}")
    if months:
        lines.append(f"(definition version {months[0][4]})")
    return "\n".join(lines)


# The metadata entry that says why a check failed, where one does.
FAILURE_DETAIL = ("shrink", "unread_records")


def check_report(evaluations: list[dg.AssetCheckEvaluation]) -> list[str]:
    """One line per failed check, with why where the check says; stale sources folded
    into one line."""
    failed = {
        (e.severity.value, e.asset_key.to_user_string(), e.check_name): _failure_detail(e)
        for e in evaluations
        if not e.passed
    }
    stale = sorted(asset for _, asset, check in failed if check == FRESHNESS_CHECK)
    lines = [
        f"[{severity}] {asset}: {check} did not pass{detail}"
        for (severity, asset, check), detail in sorted(failed.items())
        if check != FRESHNESS_CHECK
    ]
    if stale:
        lines.append(f"[WARN] stale sources (older than the agreed window): {', '.join(stale)}")
    return lines


def _failure_detail(evaluation: dg.AssetCheckEvaluation) -> str:
    for name in FAILURE_DETAIL:
        entry = evaluation.metadata.get(name)
        if entry is not None:
            return f": {str(entry.value).removeprefix('- ').replace(chr(10) + '- ', '; ')}"
    return ""


def run_nightly_refresh(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    full_refresh: bool = False,
    log_level: str = "WARNING",
    show_progress: bool = False,
    expected_shrink: str = "",
) -> dg.ExecuteInProcessResult:
    """The whole run lands in the instance's event log; the console gets warnings, and
    with `show_progress` a line per finished step. `expected_shrink` names the exports
    (`salesforce/lead,…` or `all`) the volume guard lets shrink this run."""
    job = defs.resolve_job_def(FULL_REFRESH_JOB if full_refresh else NIGHTLY_JOB)
    loggers: dict = {"console": {"config": {"log_level": log_level}}}
    if show_progress:
        loggers[PROGRESS_LOGGER] = {
            "config": {"steps": len(job.graph.nodes), "dbt_models": len(revenue_dbt_models.keys)}
        }
    return job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config={"loggers": loggers},
        tags={EXPECTED_SHRINK_TAG: expected_shrink} if expected_shrink else None,
    )


def coverage_summary(build_database: Path) -> list[str]:
    """What the org's exports lacked in the last run, and what that limits: a CRM
    system whose folder was missing in one line, then each missing input of the others."""
    if not build_database.exists():
        return []
    with duckdb.connect(str(build_database), read_only=True) as connection:
        return recorded_absent_systems(connection) + recorded_coverage(connection)


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the nightly refresh once.")
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="read every export again and rebuild every model from scratch",
    )
    parser.add_argument(
        "--expect-shrink",
        default="",
        metavar="EXPORTS",
        help="exports whose rows may shrink beyond the volume guard this run, e.g. "
        "salesforce/lead,salesforce/task, or all",
    )
    arguments = parser.parse_args()
    from orchestration.definitions import defs

    paths = warehouse_paths()
    run_log = paths.warehouse_dir / "logs" / "nightly-refresh.log"
    run_log.parent.mkdir(parents=True, exist_ok=True)
    print(f"Landing data: {paths.landing_dir}")
    print(f"Running the nightly refresh; the full Dagster and dbt output goes to {run_log}")
    # dagster-dbt echoes every dbt line to stdout for the UI's compute logs; on the
    # console a short summary is what the user asked for.
    with (
        warehouse_lock(paths.warehouse_dir, "make run"),
        run_log.open("w", encoding="utf-8") as log,
        contextlib.redirect_stdout(log),
    ):
        # The progress lines show warnings and failures briefly; Dagster's own console
        # output, with stack traces, stays in the log.
        result = run_nightly_refresh(
            defs,
            dg.DagsterInstance.get(),
            arguments.full_refresh,
            log_level="CRITICAL",
            show_progress=True,
            expected_shrink=arguments.expect_shrink,
        )
    checks = check_report(result.get_asset_check_evaluations())
    if not result.success:
        causes = [line for line in checks if line.startswith("[ERROR]")]
        causes += failure_causes(result, paths.dbt_target_dir)
        print(
            "The nightly refresh failed; the BI file was not replaced. Cause(s):\n"
            f"{indented(causes)}\n"
            f"Stack traces are in {run_log} and in `make dev` (the run's event log).",
            file=sys.stderr,
        )
        return 1
    for line in checks:
        print(line)
    gaps = coverage_summary(paths.build_database)
    if gaps:
        print("\nYour exports lack some inputs; these figures are limited:")
        print(indented(gaps))
    print()
    print(kpi_summary(str(paths.analytics_database)))
    print()
    print(f"BI file: {paths.analytics_database}")
    with run_log.open("a", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        review = run_weekly_review(defs, dg.DagsterInstance.get())
    if review is None:
        print("The Monday review failed; open `make dev` to see why.", file=sys.stderr)
        return 1
    print(f"Monday review (last complete week): {review}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
