"""Relational form of the configuration documents, so dbt models join on them.

Each document is replaced as a whole on every materialisation: a change to the files
shows up in every model that reads them on the next run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from orchestration.agreements.documents import AgreedDefinitions, OrgCurrency, SourceMapping
from orchestration.agreements.history import AgreementHistory
from orchestration.agreements.hubspot_mapping import HubSpotMapping


@dataclass(frozen=True)
class ConfigTable:
    name: str
    columns: dict[str, str]
    rows: Sequence[tuple[Any, ...]]


def agreed_definition_tables(history: AgreementHistory) -> list[ConfigTable]:
    """Every version's rules, each row keyed by its version, drafts included: models
    judge each lead under the version in force at its creation, and definition_impact
    under every version."""
    versions = history.versions
    return [
        ConfigTable(
            "reporting",
            {"reporting_time_zone": "VARCHAR", "corporate_currency": "VARCHAR"},
            [(history.time_zone, history.currency)],
        ),
        ConfigTable(
            "definition_versions",
            {
                "definition_version": "VARCHAR",
                "effective_date": "DATE",
                "is_draft": "BOOLEAN",
                "in_force_from": "DATE",
                "in_force_until": "DATE",
                "signed_off_by": "VARCHAR",
                "min_employees": "INTEGER",
                "intent_window_days": "INTEGER",
                "follow_up_window_hours": "DOUBLE",
                "min_contact_attempts": "INTEGER",
                "sales_cycle_days": "INTEGER",
            },
            [
                (
                    v.version,
                    v.effective_date,
                    not v.is_signed,
                    *history.in_force_window(v),
                    _signed_off_by(v),
                    v.min_employees,
                    v.intent_window_days,
                    v.follow_up_window_hours,
                    v.min_contact_attempts,
                    v.sales_cycle_days,
                )
                for v in versions
            ],
        ),
        ConfigTable(
            "budget_authority_title_patterns",
            {"definition_version": "VARCHAR", "pattern": "VARCHAR", "is_exclusion": "BOOLEAN"},
            [(v.version, p, False) for v in versions for p in v.budget_title_include]
            + [(v.version, p, True) for v in versions for p in v.budget_title_exclude],
        ),
        ConfigTable(
            "active_intent_signals",
            {"definition_version": "VARCHAR", "signal": "VARCHAR"},
            [(v.version, signal) for v in versions for signal in v.intent_signals],
        ),
        ConfigTable(
            "lifecycle_stage_rules",
            {
                "definition_version": "VARCHAR",
                "lifecycle_stage": "VARCHAR",
                "signal": "VARCHAR",
                "min_count": "INTEGER",
            },
            [(v.version, r.stage, r.signal, r.min_count) for v in versions for r in v.stage_rules],
        ),
        ConfigTable(
            "disqualification_reasons",
            {"definition_version": "VARCHAR", "reason": "VARCHAR"},
            [(v.version, reason) for v in versions for reason in v.disqualification_reasons],
        ),
        ConfigTable(
            "channels",
            {
                "definition_version": "VARCHAR",
                "channel": "VARCHAR",
                "is_marketing_sourced": "BOOLEAN",
            },
            [(v.version, c.name, c.marketing_sourced) for v in versions for c in v.channels],
        ),
        ConfigTable(
            "channel_lead_sources",
            {"definition_version": "VARCHAR", "lead_source": "VARCHAR", "channel": "VARCHAR"},
            [
                (v.version, source, c.name)
                for v in versions
                for c in v.channels
                for source in c.lead_sources
            ],
        ),
        ConfigTable(
            "channel_campaign_types",
            {"definition_version": "VARCHAR", "campaign_type": "VARCHAR", "channel": "VARCHAR"},
            [
                (v.version, kind, c.name)
                for v in versions
                for c in v.channels
                for kind in c.campaign_types
            ],
        ),
        ConfigTable(
            "sla_targets",
            {
                "definition_version": "VARCHAR",
                "commitment": "VARCHAR",
                "owner_team": "VARCHAR",
                "target": "DOUBLE",
                "description": "VARCHAR",
            },
            [
                (v.version, t.commitment, t.owner, t.target, t.description)
                for v in versions
                for t in v.sla_targets
            ],
        ),
        ConfigTable(
            "maturity_thresholds",
            {
                "definition_version": "VARCHAR",
                "stage": "VARCHAR",
                "criterion": "VARCHAR",
                "threshold": "DOUBLE",
            },
            [
                (v.version, t.stage, t.criterion, t.threshold)
                for v in versions
                for t in v.maturity_thresholds
            ],
        ),
    ]


def _signed_off_by(version: AgreedDefinitions) -> str:
    return "; ".join(
        f"{s.team}: {s.name} ({s.role}) "
        + (f"on {s.signed_on.isoformat()}" if s.signed_on else "not signed yet")
        for s in version.sign_off
    )


def source_mapping_tables(mapping: SourceMapping) -> list[ConfigTable]:
    rules = mapping.crm_signal_rules
    return [
        ConfigTable(
            "user_teams",
            {"team_attribute": "VARCHAR", "team": "VARCHAR"},
            list(mapping.user_teams.items()),
        ),
        ConfigTable(
            "lead_status_stages",
            {"lead_status": "VARCHAR", "funnel_stage": "VARCHAR"},
            list(mapping.lead_statuses.items()),
        ),
        ConfigTable(
            "opportunity_stages",
            {"stage_name": "VARCHAR", "outcome": "VARCHAR", "stage_order": "INTEGER"},
            [(s.stage, s.outcome, s.order) for s in mapping.opportunity_stages],
        ),
        ConfigTable(
            "marketo_signal_rules",
            {
                "signal": "VARCHAR",
                "activity_type_id": "INTEGER",
                "primary_attribute_like": "VARCHAR",
                "new_status": "VARCHAR",
            },
            [
                (r.signal, r.activity_type_id, r.primary_attribute_like, r.new_status)
                for r in mapping.signal_rules
            ],
        ),
        ConfigTable(
            "marketo_content_rules",
            {
                "rule_order": "INTEGER",
                "content_type": "VARCHAR",
                "activity_type_id": "INTEGER",
                "primary_attribute_like": "VARCHAR",
                "asset": "VARCHAR",
                "prefix": "VARCHAR",
            },
            [
                (
                    order,
                    r.content_type,
                    r.activity_type_id,
                    r.primary_attribute_like,
                    r.asset,
                    r.prefix,
                )
                for order, r in enumerate(mapping.content_rules, start=1)
            ],
        ),
        ConfigTable(
            "crm_campaign_response_rules",
            {
                "signal": "VARCHAR",
                "campaign_type": "VARCHAR",
                "campaign_name_like": "VARCHAR",
                "member_status": "VARCHAR",
                "responded_only": "BOOLEAN",
            },
            [
                (r.signal, r.campaign_type, r.campaign_name_like, r.member_status, r.responded_only)
                for r in rules.campaign_responses
            ],
        ),
        ConfigTable(
            "crm_lead_field_rules",
            {"signal": "VARCHAR", "field_name": "VARCHAR", "field_value": "VARCHAR"},
            [(r.signal, r.field, r.equals) for r in rules.lead_fields],
        ),
        ConfigTable(
            "crm_lead_source_rules",
            {"signal": "VARCHAR", "lead_source": "VARCHAR"},
            [(r.signal, r.lead_source) for r in rules.lead_sources],
        ),
        ConfigTable(
            "org_currency",
            {"org_currency": "VARCHAR", "units_per_corporate_unit": "DECIMAL(18, 9)"},
            [(mapping.org_currency.currency, mapping.org_currency.units_per_corporate_unit)],
        ),
        ConfigTable(
            "data_quality",
            {"max_opportunity_amount_eur": "DECIMAL(18, 2)"},
            [(mapping.data_quality.max_opportunity_amount_eur,)],
        ),
    ]


def hubspot_mapping_tables(hubspot: HubSpotMapping) -> list[ConfigTable]:
    """The `hubspot:` section; empty tables (and one row of nulls for the settings)
    when the mapping has none."""
    currency = hubspot.currency or OrgCurrency()
    return [
        ConfigTable(
            "hubspot_settings",
            {
                "portal_url": "VARCHAR",
                "disqualification_reason_property": "VARCHAR",
                "org_currency": "VARCHAR",
                "units_per_corporate_unit": "DECIMAL(18, 9)",
            },
            [
                (
                    hubspot.portal_url,
                    hubspot.disqualification_reason_property,
                    currency.currency,
                    currency.units_per_corporate_unit,
                )
            ],
        ),
        ConfigTable(
            "hubspot_owner_teams",
            {"team_name": "VARCHAR", "team": "VARCHAR"},
            list(hubspot.owner_teams.items()),
        ),
        ConfigTable(
            "hubspot_lead_status_stages",
            {"lead_status": "VARCHAR", "funnel_stage": "VARCHAR"},
            list(hubspot.lead_statuses.items()),
        ),
        ConfigTable(
            "hubspot_analytics_sources",
            {"analytics_source": "VARCHAR", "lead_source": "VARCHAR"},
            list(hubspot.analytics_sources.items()),
        ),
        ConfigTable(
            "hubspot_signal_rules",
            {
                "signal": "VARCHAR",
                "fact": "VARCHAR",
                "form_id": "VARCHAR",
                "form_name_like": "VARCHAR",
                "url_like": "VARCHAR",
                "event_type": "VARCHAR",
                "lifecycle_stage": "VARCHAR",
            },
            [
                (
                    r.signal,
                    r.fact,
                    r.form_id,
                    r.form_name_like,
                    r.url_like,
                    r.event_type,
                    r.lifecycle_stage,
                )
                for r in hubspot.signal_rules
            ],
        ),
    ]


def replace_config_tables(
    connection: duckdb.DuckDBPyConnection, schema: str, tables: list[ConfigTable]
) -> None:
    """Swap in a whole document in one transaction, so readers never see half of it."""
    connection.execute("begin transaction")
    try:
        connection.execute(f'create schema if not exists "{schema}"')
        for table in tables:
            columns = ", ".join(f'"{name}" {kind}' for name, kind in table.columns.items())
            connection.execute(f'create or replace table "{schema}"."{table.name}" ({columns})')
            if table.rows:
                placeholders = ", ".join("?" for _ in table.columns)
                connection.executemany(
                    f'insert into "{schema}"."{table.name}" values ({placeholders})',
                    [list(row) for row in table.rows],
                )
        connection.execute("commit")
    except Exception:
        connection.execute("rollback")
        raise
