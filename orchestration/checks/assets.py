"""Asset checks that enforce the agreed definitions on what the BI file will publish.

Checks on the raw exports run in the load step itself (orchestration/ingest/load_checks.py).

Definition checks block: when one fails, the BI file keeps its previous version.
Missed business targets and stale sources are warnings: the numbers are right,
the news is bad. Checks on bad records in the exports (an amount without a rate, an
implausible amount, a converted lead whose opportunity is missing) set a handful
aside with a warning, as the source mapping's `data_quality.set_aside` allows, and
block only beyond that: then the breakage is systematic.
"""

from collections.abc import Callable, Sequence
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import get_asset_key_for_model

from orchestration.agreements.documents import DataQuality, load_source_mapping
from orchestration.agreements.history import AgreementHistory, load_agreement_history
from orchestration.checks.rules import (
    Violation,
    converted_opportunity_violations,
    definition_version_violations,
    disqualification_reason_violations,
    eur_amount_violations,
    follow_up_breaches,
    funnel_order_violations,
    implausible_amount_violations,
    sales_ready_violations,
    sla_results,
    unmapped_lead_statuses,
)
from orchestration.dbt.assets import revenue_dbt_models
from orchestration.duckdb_sql import parameters_used
from orchestration.resources import WarehouseResource

LEAD_FUNNEL = get_asset_key_for_model([revenue_dbt_models], "lead_funnel")
OPPORTUNITY_PIPELINE = get_asset_key_for_model([revenue_dbt_models], "opportunity_pipeline")
SHARED_KPIS_MONTHLY = get_asset_key_for_model([revenue_dbt_models], "shared_kpis_monthly")
SHOWN_VIOLATIONS = 20


def fetch_rows(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    cursor = connection.execute(sql, parameters or {})
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def markdown_list(items: Sequence[object]) -> dg.MetadataValue:
    return dg.MetadataValue.md("\n".join(f"- {item}" for item in items) or "none")


def violation_result(
    violations: Sequence[Violation], checked: int, set_aside_at_most: int = 0
) -> dg.AssetCheckResult:
    """Failed when anything breaks the rule; an error (blocking publication) unless the
    violations are bad records few enough to be set aside with a warning."""
    set_aside = len(violations) <= set_aside_at_most
    return dg.AssetCheckResult(
        passed=not violations,
        severity=dg.AssetCheckSeverity.WARN if set_aside else dg.AssetCheckSeverity.ERROR,
        metadata={
            "rows_checked": checked,
            "violations": len(violations),
            "set_aside_at_most": set_aside_at_most,
            "examples": markdown_list(violations[:SHOWN_VIOLATIONS]),
        },
    )


def bad_record_result(
    violations: Sequence[Violation], checked: int, data_quality: DataQuality
) -> dg.AssetCheckResult:
    """The result of a check on bad records in the exports: a handful is set aside."""
    return violation_result(violations, checked, data_quality.records_set_aside_at_most(checked))


# Each check reads only the columns its rule uses, and only the rows the rule is about
# (the rule still tests that condition itself): at a million leads, fetching whole
# marts into Python costs more than the checks.
def _lead_funnel_check(
    name: str,
    description: str,
    columns: str,
    about: str,
    rule: Callable[[list[dict[str, Any]], AgreementHistory], list[Violation]],
    suspects: str = "true",
) -> dg.AssetChecksDefinition:
    """A check of `rule` on the lead funnel rows `about` selects. `suspects` narrows
    what is fetched to the rows SQL cannot clear, a superset of the rule's violations."""

    @dg.asset_check(asset=LEAD_FUNNEL, name=name, description=description, blocking=True)
    def check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        history = load_agreement_history(warehouse.paths.definitions_dir)
        with warehouse.connect(read_only=True) as connection:
            (checked,) = connection.execute(
                f"select count(*) from marts.lead_funnel where {about}"
            ).fetchone()
            leads = fetch_rows(
                connection,
                f"select {columns} from marts.lead_funnel where ({about}) and ({suspects})",
            )
        return violation_result(rule(leads, history), checked)

    return check


sales_ready_leads_meet_definition = _lead_funnel_check(
    "sales_ready_leads_meet_every_criterion",
    "Every sales-ready lead has enough employees, a budget-authority title and an "
    "agreed intent signal within the window, under the version in force at its "
    "creation, re-evaluated from the YAML.",
    "lead_id, meets_definition, number_of_employees, title, active_intent_signal, "
    "active_intent_at, created_at",
    "meets_definition",
    sales_ready_violations,
)
disqualified_leads_have_agreed_reason = _lead_funnel_check(
    "disqualified_leads_have_agreed_reason",
    "Every disqualified lead carries a reason from the agreed list of the version in "
    "force at its creation.",
    "lead_id, created_at, is_disqualified, disqualification_reason",
    "is_disqualified",
    disqualification_reason_violations,
)
funnel_timestamps_are_ordered = _lead_funnel_check(
    "funnel_timestamps_are_ordered",
    "Created <= MQL <= SQL, and no sales touch before the lead existed.",
    "lead_id, created_at, mql_at, sql_at, first_sales_touch_at",
    "true",
    lambda leads, history: funnel_order_violations(leads, history.time_zone),
    # A wall-clock reading that is not earlier is never surely earlier (rules.surely_before).
    suspects="""
        mql_at < created_at or sql_at < mql_at or sql_at < created_at
        or first_sales_touch_at < created_at
    """,
)


@dg.asset_check(
    asset=LEAD_FUNNEL,
    blocking=True,
    description=(
        "Every lead is judged under the version of the agreed definitions in force on "
        "its creation day, as the YAML files say: a new version changes the future, "
        "not the past."
    ),
)
def leads_judged_by_version_in_force(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    history = load_agreement_history(warehouse.paths.definitions_dir)
    # Fetch only the leads outside their version's days: a superset of the violations.
    parameters: dict[str, Any] = {}
    inside = []
    for n, version in enumerate(history.signed):
        parameters[f"v{n}"] = version.version
        parameters[f"v{n}_from"], parameters[f"v{n}_until"] = history.in_force_window(version)
        inside.append(
            f"(definition_version = $v{n}"
            f" and (cast($v{n}_from as date) is null or cast(created_at as date) >= $v{n}_from)"
            f" and (cast($v{n}_until as date) is null or cast(created_at as date) < $v{n}_until))"
        )
    with warehouse.connect(read_only=True) as connection:
        (checked,) = connection.execute("select count(*) from marts.lead_funnel").fetchone()
        leads = fetch_rows(
            connection,
            "select lead_id, created_at, definition_version from marts.lead_funnel "
            f"where not coalesce({' or '.join(inside)}, false)",
            parameters,
        )
    return violation_result(definition_version_violations(leads, history), checked)


@dg.asset_check(
    asset=LEAD_FUNNEL,
    additional_deps=[OPPORTUNITY_PIPELINE],
    blocking=True,
    description=(
        "Every converted lead's opportunity exists in the opportunity pipeline; a handful "
        "missing (say, quarantined) is set aside with a warning."
    ),
)
def converted_leads_have_opportunity(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    data_quality = load_source_mapping(warehouse.paths.source_mapping_file).data_quality
    with warehouse.connect(read_only=True) as connection:
        leads = fetch_rows(
            connection,
            "select lead_id, is_converted, converted_opportunity_id from marts.lead_funnel "
            "where is_converted",
        )
        opportunity_ids = {
            row["opportunity_id"]
            for row in fetch_rows(
                connection, "select opportunity_id from marts.opportunity_pipeline"
            )
        }
    violations = converted_opportunity_violations(leads, opportunity_ids)
    return bad_record_result(violations, len(leads), data_quality)


def _opportunity_amount_check(
    name: str,
    description: str,
    rule: Callable[[list[dict[str, Any]], float], list[Violation]],
    suspects: str,
) -> dg.AssetChecksDefinition:
    """A check of `rule`, given the plausible maximum in EUR, on every opportunity's
    amount: a handful of bad records is set aside, more blocks publishing. `suspects`
    narrows what is fetched to the rows SQL cannot clear, a superset of the rule's
    violations; it may read the maximum as $max_amount_eur."""

    @dg.asset_check(asset=OPPORTUNITY_PIPELINE, name=name, description=description, blocking=True)
    def check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        data_quality = load_source_mapping(warehouse.paths.source_mapping_file).data_quality
        maximum = data_quality.max_opportunity_amount_eur
        with warehouse.connect(read_only=True) as connection:
            (checked,) = connection.execute(
                "select count(*) from marts.opportunity_pipeline"
            ).fetchone()
            query = (
                "select opportunity_id, amount, currency_iso_code, units_per_eur, close_date, "
                f"amount_eur from marts.opportunity_pipeline where {suspects}"
            )
            opportunities = fetch_rows(
                connection, query, parameters_used({"max_amount_eur": maximum}, query)
            )
        violations = rule(opportunities, maximum)
        return bad_record_result(violations, checked, data_quality)

    return check


amounts_have_eur_value = _opportunity_amount_check(
    "amounts_have_eur_value",
    "Every plausible opportunity amount has a EUR value from a dated rate in force; a "
    "handful without is set aside (out of EUR totals) with a warning.",
    eur_amount_violations,
    "amount is not null and amount_eur is null",
)
# SQL compares in binary floating point where the rule compares exact decimals: an
# amount within a thousandth of the maximum is fetched, and the rule decides.
opportunity_amounts_are_plausible = _opportunity_amount_check(
    "opportunity_amounts_are_plausible",
    "No opportunity amount below zero or above the source mapping's plausible maximum; "
    "a handful is set aside (out of EUR totals) with a warning.",
    implausible_amount_violations,
    "amount < 0 or amount / units_per_eur > $max_amount_eur * 0.999",
)


@dg.asset_check(
    asset=LEAD_FUNNEL,
    description=(
        "Every Lead.Status is in the source mapping's picklist; a new value leaves its "
        "leads in no funnel stage ('unmapped'). A warning naming each value and its leads."
    ),
)
def lead_statuses_are_mapped(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    mapping = load_source_mapping(warehouse.paths.source_mapping_file)
    mapped = {"salesforce": mapping.lead_statuses, "hubspot": mapping.hubspot.lead_statuses}
    with warehouse.connect(read_only=True) as connection:
        rows = connection.execute(
            "select source_system, lead_status, count(*) from marts.lead_funnel "
            "group by source_system, lead_status"
        ).fetchall()
    unmapped = [
        violation
        for system, statuses in mapped.items()
        for violation in unmapped_lead_statuses(
            {status: count for row_system, status, count in rows if row_system == system},
            statuses,
            system,
        )
    ]
    return dg.AssetCheckResult(
        passed=not unmapped,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "statuses_checked": len(rows),
            "unmapped": markdown_list(unmapped),
        },
    )


@dg.asset_check(
    asset=SHARED_KPIS_MONTHLY,
    description=(
        "The last complete month against every SLA target of the agreed definitions in "
        "force in that month."
    ),
)
def sla_targets_met(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    history = load_agreement_history(warehouse.paths.definitions_dir)
    with warehouse.connect(read_only=True) as connection:
        months = fetch_rows(connection, "select * from marts.shared_kpis_monthly")
        (as_of,) = connection.execute(
            "select max(created_at)::date from marts.lead_funnel"
        ).fetchone()
    judged = sla_results(months, history, as_of) if as_of else []
    if not judged:
        return dg.AssetCheckResult(passed=True, metadata={"note": "no complete month yet"})
    missed = [result for _, result in judged if not result.met]
    return dg.AssetCheckResult(
        passed=not missed,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "missed": ", ".join(result.commitment for result in missed) or "none",
            **{
                f"{result.commitment}": dg.MetadataValue.text(
                    f"{month:%Y-%m}: actual {result.actual} vs target {result.target}"
                )
                for month, result in judged
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
    history = load_agreement_history(warehouse.paths.definitions_dir)
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
    breaches = follow_up_breaches(weeks, history)
    return dg.AssetCheckResult(
        passed=not breaches,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "owners_checked": len(weeks),
            "breaches": markdown_list(breaches),
        },
    )


definition_checks = [
    sales_ready_leads_meet_definition,
    disqualified_leads_have_agreed_reason,
    funnel_timestamps_are_ordered,
    leads_judged_by_version_in_force,
    converted_leads_have_opportunity,
    amounts_have_eur_value,
    opportunity_amounts_are_plausible,
    lead_statuses_are_mapped,
    sla_targets_met,
    follow_up_agreement_kept,
]
