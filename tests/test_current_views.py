"""Which dbt views a quiet night leaves as they are (orchestration/dbt/current_views.py),
without dbt."""

from __future__ import annotations

import json

import dagster as dg
import duckdb

from orchestration.dbt.current_views import (
    View,
    view_models,
    views_holding_build_time_values,
    views_still_bind,
    with_views_materialised,
)
from orchestration.dbt.project import revenue_dbt_project

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
        # A table where the view was is no view left as it was.
        connection.execute("create table staging.stg_leads_table as select 'L1' as lead_id")
        as_table = View("model.p.stg_leads_table", "staging", "stg_leads_table")
        assert not views_still_bind(connection, [as_table])


def test_views_reading_a_value_of_their_build_are_found_through_any_macro():
    def model(materialized: str, raw_code: str, *macros: str) -> dict:
        return {
            "resource_type": "model",
            "config": {"materialized": materialized},
            "raw_code": raw_code,
            "depends_on": {"macros": list(macros), "nodes": []},
        }

    def macro(sql: str, *macros: str) -> dict:
        return {"macro_sql": sql, "depends_on": {"macros": list(macros)}}

    manifest = {
        "nodes": {
            "model.p.stamped_directly": model("view", "select '{{ run_started_at }}' as at"),
            "model.p.stamped_by_macro": model(
                "view", "select {{ stamped() }} as at", "macro.p.stamped"
            ),
            "model.p.invocation": model("view", "select '{{ invocation_id }}' as build"),
            "model.p.plain": model("view", "select {{ quoted() }} as lead_id", "macro.p.quoted"),
            "model.p.stamped_table": model(
                "table", "select {{ stamped() }} as at", "macro.p.stamped"
            ),
        },
        "macros": {
            # `stamped` reaches run_started_at through `now`; the two call each other.
            "macro.p.stamped": macro("{{ now() }}", "macro.p.now"),
            "macro.p.now": macro(
                "{% if false %}{{ stamped() }}{% endif %}'{{ run_started_at }}'",
                "macro.p.stamped",
            ),
            "macro.p.quoted": macro("'{{ started_running }}'", "macro.dbt.run_query"),
        },
    }
    assert views_holding_build_time_values(manifest) == [
        "model.p.invocation",
        "model.p.stamped_by_macro",
        "model.p.stamped_directly",
    ]


def test_no_view_of_the_project_holds_a_value_of_its_build():
    # Else a quiet night creates every view again, as any other night does.
    manifest = json.loads(revenue_dbt_project.manifest_path.read_text())
    views = view_models(manifest)
    assert {"stg_salesforce__leads", "int_lead_signals_combined"} <= {view.name for view in views}
    assert views_holding_build_time_values(manifest) == []
