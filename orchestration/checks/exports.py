"""Checks on each raw export, evaluated in the step that loads it.

Every row of an export is accounted for (blocking: a load that loses rows stops the
run before dbt reads them), and the newest record is within the agreed freshness
window (a warning: stale data is still right, just old). Evaluated by the load itself
rather than as separate steps: they read only the load's own bookkeeping.
"""

import datetime as dt

import dagster as dg
import duckdb

from orchestration.agreements.documents import AgreedDefinitions
from orchestration.checks.rules import staleness
from orchestration.ingest.bookkeeping import RECONCILIATION_TABLE, LoadResult
from orchestration.ingest.exports import ExportSpec

FRESHNESS_CHECK = "fresh_within_agreed_window"
RECONCILIATION_CHECK = "every_row_accounted_for"


def export_check_specs(spec: ExportSpec) -> list[dg.AssetCheckSpec]:
    asset = dg.AssetKey(spec.asset_key_path)
    specs = [
        dg.AssetCheckSpec(
            RECONCILIATION_CHECK,
            asset=asset,
            blocking=True,
            description=(
                "Rows read = rows loaded + quarantined + superseded by a newer version + "
                "erased on request, and the raw table holds exactly the rows loaded."
            ),
        )
    ]
    if spec.freshness_column:
        specs.append(
            dg.AssetCheckSpec(
                FRESHNESS_CHECK,
                asset=asset,
                description=(
                    f"The newest `{spec.freshness_column}` is within the agreed freshness window."
                ),
            )
        )
    return specs


def export_check_results(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    definitions: AgreedDefinitions,
    load: LoadResult,
) -> list[dg.AssetCheckResult]:
    results = [_reconciliation(connection, spec)]
    if spec.freshness_column:
        results.append(_freshness(connection, spec, definitions, load))
    return results


def _reconciliation(connection: duckdb.DuckDBPyConnection, spec: ExportSpec) -> dg.AssetCheckResult:
    (read, loaded, quarantined, superseded, erased) = connection.execute(
        f"""
        select rows_read, rows_loaded, rows_quarantined, rows_superseded, rows_erased
        from {RECONCILIATION_TABLE} where source = ? and table_name = ?
        """,
        [spec.source, spec.table],
    ).fetchone()
    (in_table,) = connection.execute(
        f'select count(*) from "{spec.source}"."{spec.table}"'
    ).fetchone()
    return dg.AssetCheckResult(
        check_name=RECONCILIATION_CHECK,
        passed=read == loaded + quarantined + superseded + erased and in_table == loaded,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "rows_read": read,
            "rows_loaded": loaded,
            "rows_quarantined": quarantined,
            "rows_superseded": superseded,
            "rows_erased": erased,
            "rows_in_raw_table": in_table,
        },
    )


def _freshness(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    definitions: AgreedDefinitions,
    load: LoadResult,
) -> dg.AssetCheckResult:
    # An export the org does not have, or one without the column that dates it, is
    # not stale: the run's coverage notes say what it lacks.
    unknown = (
        "the org has no such export"
        if load.is_absent
        else f"no {spec.freshness_column} column in the export"
        if spec.freshness_column in load.absent_columns
        else None
    )
    if unknown:
        return dg.AssetCheckResult(
            check_name=FRESHNESS_CHECK,
            passed=True,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"source": spec.relative_path, "stale_because": f"unknown: {unknown}"},
        )
    (latest,) = connection.execute(
        f'select max("{spec.freshness_column}") from "{spec.source}"."{spec.table}"'
    ).fetchone()
    problem = staleness(latest, dt.datetime.now(dt.UTC), definitions.freshness_max_age_hours)
    return dg.AssetCheckResult(
        check_name=FRESHNESS_CHECK,
        passed=problem is None,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "source": spec.relative_path,
            "newest_record": str(latest),
            "stale_because": problem or "fresh",
        },
    )
