"""Asset checks that enforce the agreed definitions on what the BI file will publish.

Definition checks block: when one fails, the BI file keeps its previous version.
Missed business targets and stale sources are warnings: the numbers are right,
the news is bad.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import get_asset_key_for_model

from orchestration.agreements.documents import AgreedDefinitions, load_agreed_definitions
from orchestration.checks.rules import (
    Violation,
    converted_opportunity_violations,
    disqualification_reason_violations,
    eur_amount_violations,
    follow_up_breaches,
    funnel_order_violations,
    last_complete_month,
    monthly_target_results,
    sales_ready_violations,
    staleness,
)
from orchestration.dbt.assets import revenue_dbt_models
from orchestration.ingest.csv_loader import RECONCILIATION_TABLE
from orchestration.ingest.exports import EXPORTS, ExportSpec
from orchestration.resources import WarehouseResource

LEAD_FUNNEL = get_asset_key_for_model([revenue_dbt_models], "lead_funnel")
OPPORTUNITY_PIPELINE = get_asset_key_for_model([revenue_dbt_models], "opportunity_pipeline")
SHARED_KPIS_MONTHLY = get_asset_key_for_model([revenue_dbt_models], "shared_kpis_monthly")
SHOWN_VIOLATIONS = 20
FRESHNESS_CHECK = "fresh_within_agreed_window"


def fetch_rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = connection.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def violation_result(violations: Sequence[Violation], checked: int) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=not violations,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "rows_checked": checked,
            "violations": len(violations),
            "examples": dg.MetadataValue.md(
                "\n".join(f"- {v}" for v in violations[:SHOWN_VIOLATIONS]) or "none"
            ),
        },
    )


def _lead_funnel_check(
    name: str,
    description: str,
    rule: Callable[[list[dict[str, Any]], AgreedDefinitions], list[Violation]],
) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=LEAD_FUNNEL, name=name, description=description, blocking=True)
    def check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        definitions = load_agreed_definitions(warehouse.paths.definitions_file)
        with warehouse.connect(read_only=True) as connection:
            leads = fetch_rows(connection, "select * from marts.lead_funnel")
        return violation_result(rule(leads, definitions), len(leads))

    return check


sales_ready_leads_meet_definition = _lead_funnel_check(
    "sales_ready_leads_meet_every_criterion",
    "Every sales-ready lead has enough employees, a budget-authority title and an "
    "agreed intent signal within the window, re-evaluated from the YAML.",
    sales_ready_violations,
)
disqualified_leads_have_agreed_reason = _lead_funnel_check(
    "disqualified_leads_have_agreed_reason",
    "Every disqualified lead carries a reason from the agreed list.",
    disqualification_reason_violations,
)
funnel_timestamps_are_ordered = _lead_funnel_check(
    "funnel_timestamps_are_ordered",
    "Created <= MQL <= SQL, and no sales touch before the lead existed.",
    lambda leads, _definitions: funnel_order_violations(leads),
)


@dg.asset_check(
    asset=LEAD_FUNNEL,
    additional_deps=[OPPORTUNITY_PIPELINE],
    blocking=True,
    description="Every converted lead's opportunity exists in the opportunity pipeline.",
)
def converted_leads_have_opportunity(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as connection:
        leads = fetch_rows(
            connection,
            "select lead_id, is_converted, converted_opportunity_id from marts.lead_funnel",
        )
        opportunity_ids = {
            row["opportunity_id"]
            for row in fetch_rows(
                connection, "select opportunity_id from marts.opportunity_pipeline"
            )
        }
    return violation_result(converted_opportunity_violations(leads, opportunity_ids), len(leads))


@dg.asset_check(
    asset=OPPORTUNITY_PIPELINE,
    blocking=True,
    description="Every opportunity amount has a EUR value from a dated rate in force.",
)
def amounts_have_eur_value(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as connection:
        opportunities = fetch_rows(connection, "select * from marts.opportunity_pipeline")
    return violation_result(eur_amount_violations(opportunities), len(opportunities))


@dg.asset_check(
    asset=SHARED_KPIS_MONTHLY,
    description="The last complete month against every SLA target in the agreed definitions.",
)
def sla_targets_met(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    definitions = load_agreed_definitions(warehouse.paths.definitions_file)
    with warehouse.connect(read_only=True) as connection:
        month = last_complete_month(
            fetch_rows(connection, "select * from marts.shared_kpis_monthly")
        )
    if month is None:
        return dg.AssetCheckResult(passed=True, metadata={"note": "no complete month yet"})
    results = monthly_target_results(month, definitions)
    missed = [result for result in results if not result.met]
    return dg.AssetCheckResult(
        passed=not missed,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "month": month["month"].isoformat(),
            "missed": ", ".join(result.commitment for result in missed) or "none",
            **{
                f"{result.commitment}": dg.MetadataValue.text(
                    f"actual {result.actual} vs target {result.target}"
                )
                for result in results
            },
        },
    )


FOLLOW_UP_DISCIPLINE = get_asset_key_for_model([revenue_dbt_models], "follow_up_discipline")


@dg.asset_check(
    asset=FOLLOW_UP_DISCIPLINE,
    description=(
        "Last complete week: no lead left untouched, none disqualified after fewer than "
        "the agreed contact attempts. A warning: the data is right, the follow-up is not."
    ),
)
def follow_up_agreement_kept(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    definitions = load_agreed_definitions(warehouse.paths.definitions_file)
    with warehouse.connect(read_only=True) as connection:
        weeks = fetch_rows(
            connection,
            """
            select * from marts.follow_up_discipline
            where week_start = (
                select max(week_start) - interval 7 day from marts.follow_up_discipline
            )
            """,
        )
    breaches = follow_up_breaches(weeks, definitions.min_contact_attempts)
    return dg.AssetCheckResult(
        passed=not breaches,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "owners_checked": len(weeks),
            "breaches": dg.MetadataValue.md("\n".join(f"- {b}" for b in breaches) or "none"),
        },
    )


def build_freshness_check(spec: ExportSpec) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(spec.asset_key_path),
        name=FRESHNESS_CHECK,
        description=f"The newest `{spec.freshness_column}` is within the agreed freshness window.",
    )
    def check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        definitions = load_agreed_definitions(warehouse.paths.definitions_file)
        with warehouse.connect(read_only=True) as connection:
            (latest,) = connection.execute(
                f'select max("{spec.freshness_column}") from "{spec.source}"."{spec.table}"'
            ).fetchone()
        problem = staleness(latest, dt.datetime.now(dt.UTC), definitions.freshness_max_age_hours)
        return dg.AssetCheckResult(
            passed=problem is None,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "source": spec.relative_path,
                "newest_record": str(latest),
                "stale_because": problem or "fresh",
            },
        )

    return check


def build_reconciliation_check(spec: ExportSpec) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(spec.asset_key_path),
        name="every_row_accounted_for",
        blocking=True,
        description=(
            "Rows read = rows loaded + quarantined + superseded by a newer version + erased "
            "on request, and the raw table holds exactly the rows loaded."
        ),
    )
    def check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as connection:
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

    return check


definition_checks = [
    sales_ready_leads_meet_definition,
    disqualified_leads_have_agreed_reason,
    funnel_timestamps_are_ordered,
    converted_leads_have_opportunity,
    amounts_have_eur_value,
    sla_targets_met,
    follow_up_agreement_kept,
]
freshness_checks = [build_freshness_check(spec) for spec in EXPORTS if spec.freshness_column]
reconciliation_checks = [build_reconciliation_check(spec) for spec in EXPORTS]
