"""Which dbt views a quiet night leaves as they are (orchestration/dbt/current_views.py),
without dbt."""

from __future__ import annotations

import duckdb

from orchestration.dbt.current_views import View, view_models, views_still_bind

LEADS_VIEW = View("model.p.stg_leads", "staging", "stg_leads")


def test_only_models_materialised_as_views_are_listed():
    def node(resource_type: str, materialized: str, name: str) -> dict:
        return {
            "resource_type": resource_type,
            "config": {"materialized": materialized},
            "schema": "staging",
            "alias": name,
        }

    manifest = {
        "nodes": {
            "model.p.stg_leads": node("model", "view", "stg_leads"),
            "model.p.int_leads_unioned": node("model", "view", "int_leads_unioned"),
            "model.p.lead_funnel": node("model", "table", "lead_funnel"),
            "model.p.int_touches": node("model", "incremental", "int_touches"),
            "test.p.primary_key_stg_leads": node("test", "test", "primary_key_stg_leads"),
        }
    }
    assert view_models(manifest) == [
        View("model.p.int_leads_unioned", "staging", "int_leads_unioned"),
        LEADS_VIEW,
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
