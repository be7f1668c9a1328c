"""Relational form of the configuration documents, so dbt models join on them.

Each document is replaced as a whole on every materialisation: a change to the file
shows up in every model that reads it on the next run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from orchestration.agreements.documents import AgreedDefinitions, OrgCurrency, SourceMapping
from orchestration.agreements.hubspot_mapping import HubSpotMapping


@dataclass(frozen=True)
class ConfigTable:
    name: str
    columns: dict[str, str]
    rows: Sequence[tuple[Any, ...]]


def agreed_definition_tables(definitions: AgreedDefinitions) -> list[ConfigTable]:
    sign_off = "; ".join(
        f"{s.team}: {s.name} ({s.role}) on {s.signed_on.isoformat()}" for s in definitions.sign_off
    )
    return [
        ConfigTable(
            "definition_version",
            {
                "definition_version": "VARCHAR",
                "effective_date": "DATE",
                "signed_off_by": "VARCHAR",
                "reporting_time_zone": "VARCHAR",
                "corporate_currency": "VARCHAR",
                "min_employees": "INTEGER",
                "intent_window_days": "INTEGER",
                "follow_up_window_hours": "DOUBLE",
                "min_contact_attempts": "INTEGER",
                "sales_cycle_days": "INTEGER",
                "freshness_max_age_hours": "DOUBLE",
            },
            [
                (
                    definitions.version,
                    definitions.effective_date,
                    sign_off,
                    definitions.time_zone,
                    definitions.currency,
                    definitions.min_employees,
                    definitions.intent_window_days,
                    definitions.follow_up_window_hours,
                    definitions.min_contact_attempts,
                    definitions.sales_cycle_days,
                    definitions.freshness_max_age_hours,
                )
            ],
        ),
        ConfigTable(
            "budget_authority_title_patterns",
            {"pattern": "VARCHAR", "is_exclusion": "BOOLEAN"},
            [(p, False) for p in definitions.budget_title_include]
            + [(p, True) for p in definitions.budget_title_exclude],
        ),
        ConfigTable(
            "active_intent_signals",
            {"signal": "VARCHAR"},
            [(signal,) for signal in definitions.intent_signals],
        ),
        ConfigTable(
            "lifecycle_stage_rules",
            {"lifecycle_stage": "VARCHAR", "signal": "VARCHAR", "min_count": "INTEGER"},
            [(r.stage, r.signal, r.min_count) for r in definitions.stage_rules],
        ),
        ConfigTable(
            "disqualification_reasons",
            {"reason": "VARCHAR"},
            [(reason,) for reason in definitions.disqualification_reasons],
        ),
        ConfigTable(
            "channels",
            {"channel": "VARCHAR", "is_marketing_sourced": "BOOLEAN"},
            [(c.name, c.marketing_sourced) for c in definitions.channels],
        ),
        ConfigTable(
            "channel_lead_sources",
            {"lead_source": "VARCHAR", "channel": "VARCHAR"},
            [(source, c.name) for c in definitions.channels for source in c.lead_sources],
        ),
        ConfigTable(
            "channel_campaign_types",
            {"campaign_type": "VARCHAR", "channel": "VARCHAR"},
            [(kind, c.name) for c in definitions.channels for kind in c.campaign_types],
        ),
        ConfigTable(
            "sla_targets",
            {
                "commitment": "VARCHAR",
                "owner_team": "VARCHAR",
                "target": "DOUBLE",
                "description": "VARCHAR",
            },
            [(t.commitment, t.owner, t.target, t.description) for t in definitions.sla_targets],
        ),
    ]


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
