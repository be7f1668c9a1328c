"""Which dbt views a quiet night leaves as they are (orchestration/dbt/current_views.py),
without dbt."""

from __future__ import annotations

import dagster as dg
import duckdb

from orchestration.dbt.current_views import (
    View,
    view_models,
    views_still_bind,
    with_views_materialised,
)

LEADS_VIEW = View("model.p.stg_leads", "staging", "stg_leads")


def test_only_models_materialised_as_views_are_listed():
    def node(resource_type: str, materialized: str, name: str, *parents: str) -> dict:
        return {
            "resource_type": resource_type,
            "config": {"materialized": materialized},
            "schema": "staging",
            "alias": name,
            "depends_on": {"nodes": list(parents)},
        }

    manifest = {
        "nodes": {
            "model.p.stg_leads": node("model", "view", "stg_leads", "source.p.crm.lead"),
            "model.p.int_leads_unioned": node(
                "model", "view", "int_leads_unioned", "model.p.stg_leads", "source.p.hs.contacts"
            ),
            "model.p.lead_funnel": node("model", "table", "lead_funnel", "model.p.stg_leads"),
            "model.p.int_touches": node("model", "incremental", "int_touches"),
            "test.p.primary_key_stg_leads": node("test", "test", "primary_key_stg_leads"),
        }
    }
    assert view_models(manifest) == [
        View("model.p.int_leads_unioned", "staging", "int_leads_unioned", ("model.p.stg_leads",)),
        LEADS_VIEW,
    ]


def test_each_view_is_materialised_once_the_models_it_reads_are():
    views = [
        View("model.p.stg_leads", "staging", "stg_leads"),
        View("model.p.int_signals", "intermediate", "int_signals", ("model.p.int_scored",)),
        View("model.p.int_unioned", "intermediate", "int_unioned", ("model.p.stg_leads",)),
        View("model.p.int_failed_view", "intermediate", "int_failed_view", ("model.p.int_failed",)),
    ]
    events = [
        dg.Output(None, output_name="int_scored"),
        dg.AssetCheckResult(passed=True, asset_key=dg.AssetKey("int_scored"), check_name="pk"),
        dg.Output(None, output_name="lead_funnel"),
    ]

    def key(unique_id: str) -> dg.AssetKey:
        return dg.AssetKey(unique_id.rsplit(".", 1)[-1])

    order = [
        event.asset_key.to_user_string()
        if isinstance(event, dg.MaterializeResult)
        else f"dbt {type(event).__name__}"
        for event in with_views_materialised(events, views, key, dg.AssetKey)
    ]
    # int_failed never built: the view reading it is not materialised.
    assert order == [
        "stg_leads",
        "int_unioned",
        "dbt Output",
        "int_signals",
        "dbt AssetCheckResult",
        "dbt Output",
    ]


def test_a_view_binds_until_a_column_or_table_it_reads_is_gone():
    with duckdb.connect() as connection:
        connection.execute("create schema staging")
        connection.execute("create table leads as select 'L1' as lead_id, 5 as employees")
        connection.execute(
            "create view staging.stg_leads as select lead_id, employees from main.leads"
        )
        assert views_still_bind(connection, [LEADS_VIEW])
        # New rows, a column added by a later export, or a column typed anew by the
        # loader: the view reads them as a view created again would.
        connection.execute("insert into leads values ('L2', 7)")
        connection.execute("alter table leads add column industry varchar")
        assert views_still_bind(connection, [LEADS_VIEW])
        connection.execute(
            "create or replace table leads as select 'L1' as lead_id, '5' as employees"
        )
        assert views_still_bind(connection, [LEADS_VIEW])
        assert connection.execute("select employees from staging.stg_leads").fetchall() == [("5",)]
        connection.execute("create or replace table leads as select 'L1' as lead_id")
        assert not views_still_bind(connection, [LEADS_VIEW])
        connection.execute("drop table leads")
        assert not views_still_bind(connection, [LEADS_VIEW])
        assert not views_still_bind(connection, [View("model.p.stg_gone", "staging", "stg_gone")])
