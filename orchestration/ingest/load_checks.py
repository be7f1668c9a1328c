"""Checks on each raw export, evaluated in the step that loads it.

Every record the files hold is accounted for (blocking: a load that loses rows stops
the run before dbt reads them); no export shrinks against its last accepted load
beyond the agreed tolerance unless the run was told to expect it (blocking: a broken
or truncated export must not replace a good BI file with an empty one); and the newest
record is within the agreed freshness window (a warning: stale data is still right,
just old). Evaluated by the load itself rather than as separate steps: they read only
the load's own bookkeeping.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import duckdb

from orchestration.agreements.documents import AgreedDefinitions
from orchestration.ingest.bookkeeping import (
    RECONCILIATION_TABLE,
    LoadResult,
    accept_volume,
    accepted_volume,
)
from orchestration.ingest.exports import ExportSpec

FRESHNESS_CHECK = "fresh_within_agreed_window"
RECONCILIATION_CHECK = "every_row_accounted_for"
VOLUME_CHECK = "no_unexpected_shrink"


def export_check_specs(spec: ExportSpec) -> list[dg.AssetCheckSpec]:
    asset = dg.AssetKey(spec.asset_key_path)
    specs = [
        dg.AssetCheckSpec(
            RECONCILIATION_CHECK,
            asset=asset,
            blocking=True,
            description=(
                "Records in the files = rows loaded + quarantined + superseded by a newer "
                "version + erased on request, and the raw table holds exactly the rows "
                "loaded. Records are counted in the file itself, so a quote that swallows "
                "lines fails it."
            ),
        ),
        dg.AssetCheckSpec(
            VOLUME_CHECK,
            asset=asset,
            blocking=True,
            description=(
                "The rows loaded have not shrunk against the last accepted load by more than "
                "the tolerance in source_mapping.yml (volume_guard), unless the run was told "
                "the shrink is expected."
            ),
        ),
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
    max_shrink_share: float,
    shrink_expected: bool,
) -> list[dg.AssetCheckResult]:
    results = [
        _reconciliation(connection, spec, load),
        volume_guard(connection, spec, load, max_shrink_share, shrink_expected),
    ]
    if spec.freshness_column:
        results.append(_freshness(connection, spec, definitions, load))
    return results


def _reconciliation(
    connection: duckdb.DuckDBPyConnection, spec: ExportSpec, load: LoadResult
) -> dg.AssetCheckResult:
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
            "unread_records": dg.MetadataValue.md(
                "\n".join(f"- {problem}" for problem in load.problems) or "none"
            ),
        },
    )


def shrink_problem(accepted: int | None, loaded: int, max_shrink_share: float) -> str | None:
    """Why `loaded` rows are too few against the last accepted load, or None."""
    if accepted is None or accepted == 0 or loaded >= accepted * (1 - max_shrink_share):
        return None
    return (
        f"{loaded} rows loaded, {accepted} in the last accepted load: "
        f"{1 - loaded / accepted:.0%} fewer, more than the agreed {max_shrink_share:.0%}"
    )


def volume_guard(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    load: LoadResult,
    max_shrink_share: float,
    shrink_expected: bool,
) -> dg.AssetCheckResult:
    accepted = accepted_volume(connection, spec)
    problem = shrink_problem(accepted, load.rows_loaded, max_shrink_share)
    passed = problem is None or shrink_expected
    # The load stays the reference until a load passes: a shrunk table that failed
    # the guard must not become the measure for the next night.
    if passed:
        accept_volume(connection, spec, load.rows_loaded)
    return dg.AssetCheckResult(
        check_name=VOLUME_CHECK,
        passed=passed,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "rows_loaded": load.rows_loaded,
            "last_accepted_rows": accepted if accepted is not None else "none yet",
            "max_shrink_share": max_shrink_share,
            "shrink": (
                f"{problem} (accepted: the run was told to expect it)"
                if problem and shrink_expected
                else problem or "none"
            ),
        },
    )


def staleness(latest: dt.datetime | None, now: dt.datetime, max_age_hours: float) -> str | None:
    """Why a source is stale, or None when it is fresh enough."""
    if latest is None:
        return "no records"
    age = now - latest
    if age > dt.timedelta(hours=max_age_hours):
        hours = age.total_seconds() / 3600
        return f"newest record is {hours:.0f} h old, agreed maximum {max_age_hours:g} h"
    return None


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
