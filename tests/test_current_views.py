"""Which dbt views a quiet night leaves as they are (orchestration/dbt/current_views.py),
without dbt."""

from __future__ import annotations

import json

import dagster as dg
import duckdb

from orchestration.dbt.current_views import (
    View,
    view_models,
    views_still_bind,
    views_varying_by_build,
    with_views_materialised,
)
from orchestration.dbt.project import revenue_dbt_project

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


def check(asset: str, name: str, passed: bool = True, warn: bool = False):
    severity = dg.AssetCheckSeverity.WARN if warn else dg.AssetCheckSeverity.ERROR
    return dg.AssetCheckResult(
        passed=passed, asset_key=dg.AssetKey(asset), check_name=name, severity=severity
    )


def reported(
    events, views: list[str], deps: dict[str, set[str]], checks=(), passed_already=()
) -> list[str]:
    """The order of events with the views' materialisations, the dbt events named by
    the asset they concern. `deps`: each asset of the step and the assets it reads;
    `checks`: (asset, check name)."""

    def key(name: str) -> dg.AssetKey:
        return dg.AssetKey(name)

    def checks_of(asset_key: dg.AssetKey) -> list[dg.AssetCheckKey]:
        return [
            dg.AssetCheckKey(key(asset), name) for asset, name in checks if key(asset) == asset_key
        ]

    def name(event) -> str:
        if isinstance(event, dg.MaterializeResult):
            return f"view {event.asset_key.to_user_string()}"
        if isinstance(event, dg.Output):
            return f"built {event.output_name}"
        return f"tested {event.asset_key.to_user_string()}"

    asset_deps = {
        key(asset): {key(parent) for parent in parents} for asset, parents in deps.items()
    }
    view_ids = {key(view): f"model.p.{view}" for view in views}
    return [
        name(event)
        for event in with_views_materialised(
            events,
            view_ids,
            asset_deps,
            key,
            checks_of,
            {dg.AssetCheckKey(key(asset), name) for asset, name in passed_already},
        )
    ]


def test_each_view_is_materialised_once_dbt_started_and_the_assets_it_reads_are():
    # stg_leads reads a source (an asset of another step); int_failed never gets built.
    deps = {
        "stg_leads": {"crm_lead"},
        "int_scored": set(),
        "int_signals": {"int_scored"},
        "int_unioned": {"stg_leads"},
        "int_failed": set(),
        "int_failed_view": {"int_failed"},
        "lead_funnel": set(),
    }
    views = ["stg_leads", "int_signals", "int_unioned", "int_failed_view"]
    events = [
        dg.Output(None, output_name="int_scored"),
        check("int_scored", "pk"),
        dg.Output(None, output_name="lead_funnel"),
    ]
    # Nothing before dbt's first event; the view reading int_failed is not materialised.
    assert reported(events, views, deps) == [
        "built int_scored",
        "view int_signals",
        "view stg_leads",
        "view int_unioned",
        "tested int_scored",
        "built lead_funnel",
    ]
    assert reported([], views, deps) == []


def test_a_view_waits_for_the_tests_of_what_it_reads_sources_included():
    deps = {"int_scored": set(), "int_signals": {"int_scored", "crm_lead"}}
    checks = [("int_scored", "pk"), ("int_scored", "not_null"), ("crm_lead", "fresh")]
    built = dg.Output(None, output_name="int_scored")
    passed = [
        built,
        check("int_scored", "pk"),
        check("int_scored", "not_null", False, warn=True),
        check("crm_lead", "fresh"),
    ]
    assert reported(passed, ["int_signals"], deps, checks) == [
        "built int_scored",
        "tested int_scored",
        "tested int_scored",
        "tested crm_lead",
        "view int_signals",
    ]
    # dbt skips what reads a model or source whose test failed: no materialisation.
    for failed in (
        [built, check("int_scored", "pk", passed=False), check("int_scored", "not_null")],
        [check("crm_lead", "fresh", passed=False), built, *passed[1:3]],
    ):
        assert "view int_signals" not in reported(failed, ["int_signals"], deps, checks)


def test_a_view_does_not_wait_for_tests_carried_over():
    deps = {"int_scored": set(), "int_signals": {"int_scored"}, "other": set()}
    checks = [("int_scored", "pk")]
    events = [dg.Output(None, output_name="int_scored"), dg.Output(None, output_name="other")]
    # Waiting for a test dbt does not run, the view would never come.
    assert reported(events, ["int_signals"], deps, checks) == ["built int_scored", "built other"]
    assert reported(events, ["int_signals"], deps, checks, passed_already=checks) == [
        "built int_scored",
        "view int_signals",
        "built other",
    ]


def test_a_view_comes_before_its_own_tests_and_what_reads_it():
    # Dagster refuses an output after one downstream of it, and a check result belongs
    # to the materialisation before it.
    deps = {
        "stg_leads": set(),
        "int_scored": set(),
        "int_unioned": {"stg_leads", "int_scored"},
        "lead_funnel": {"int_unioned"},
    }
    # int_scored's test result comes after what reads the view reading it.
    events = [
        dg.Output(None, output_name="int_scored"),
        dg.Output(None, output_name="lead_funnel"),
        check("int_scored", "pk"),
    ]
    assert reported(events, ["stg_leads", "int_unioned"], deps, [("int_scored", "pk")]) == [
        "built int_scored",
        "view stg_leads",
        "view int_unioned",
        "built lead_funnel",
        "tested int_scored",
    ]
    assert reported([check("stg_leads", "pk")], ["stg_leads"], deps) == [
        "view stg_leads",
        "tested stg_leads",
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


def test_views_that_may_compile_otherwise_on_another_build_are_found_through_any_macro():
    def model(materialized: str, raw_code: str, *macros: str, **config) -> dict:
        return {
            "resource_type": "model",
            "config": {"materialized": materialized, **config},
            "raw_code": raw_code,
            "depends_on": {"macros": list(macros), "nodes": []},
        }

    def macro(sql: str, *macros: str, package: str = "p") -> dict:
        return {
            "name": sql.split("(")[0].removeprefix("{% macro "),
            "macro_sql": sql,
            "depends_on": {"macros": list(macros)},
            "package_name": package,
        }

    manifest = {
        "metadata": {"project_name": "p"},
        "nodes": {
            "model.p.plain": model(
                "view",
                "{{ config(materialized='view') }} select {{ stage_of('s') }} from {{ ref('a') }}",
                "macro.p.stage_of",
            ),
            "model.p.from_source": model("view", "select * from {{ source('crm', 'lead') }}"),
            "model.p.stamped_directly": model("view", "select '{{ run_started_at }}' as at"),
            "model.p.invocation": model("view", "select '{{ invocation_id }}' as build"),
            "model.p.clock": model("view", "select '{{ modules.datetime.datetime.now() }}'"),
            "model.p.variable": model("view", "select '{{ var(\"since\") }}' as since"),
            "model.p.stamped_by_macro": model(
                "view", "select {{ stamped() }} as at", "macro.p.stamped"
            ),
            "model.p.queries": model(
                "view", "select {{ run_query('select 1') }}", "macro.dbt.run_query"
            ),
            "model.p.hooked": model(
                "view", "select 1 as one", **{"post-hook": ["grant select on {{ this }}"]}
            ),
            "model.p.unparsable": model("view", "select {{ 1 as one"),
            "model.p.lowered": model(
                "view", "select '{{ config.get(\"alias\") | lower }}' from {{ ref('a') }}"
            ),
            "model.p.shuffled": model("view", "select {{ [1, 2] | random }} as one"),
            "model.p.node_read": model("view", "select '{{ config.model.created_at }}' as at"),
            "model.p.node_read_by_key": model("view", "select '{{ config[\"model\"] }}' as at"),
            "model.p.stamped_table": model(
                "table", "select {{ stamped() }} as at", "macro.p.stamped"
            ),
        },
        "macros": {
            # stage_of reads ref only, through a loop variable and a macro argument.
            "macro.p.stage_of": macro(
                "{% macro stage_of(c) %}{% for s in ['a'] %}{{ c }}{{ s }}{% endfor %}"
                "{{ ref('stages') }}{% endmacro %}"
            ),
            # stamped reaches run_started_at through now; the two call each other.
            "macro.p.stamped": macro(
                "{% macro stamped() %}{{ now() }}{% endmacro %}", "macro.p.now"
            ),
            "macro.p.now": macro(
                "{% macro now() %}{% if false %}{{ stamped() }}{% endif %}"
                "'{{ run_started_at }}'{% endmacro %}",
                "macro.p.stamped",
            ),
            "macro.dbt.run_query": macro(
                "{% macro run_query(sql) %}{{ sql }}{% endmacro %}", package="dbt"
            ),
        },
    }
    assert views_varying_by_build(manifest) == [
        "model.p.clock",
        "model.p.hooked",
        "model.p.invocation",
        "model.p.node_read",
        "model.p.node_read_by_key",
        "model.p.queries",
        "model.p.shuffled",
        "model.p.stamped_by_macro",
        "model.p.stamped_directly",
        "model.p.unparsable",
        "model.p.variable",
    ]
    # A project writing views' DDL with a macro of its own: any view may vary.
    manifest["macros"]["macro.p.duckdb__create_view_as"] = macro(
        "{% macro duckdb__create_view_as(relation, sql) %}{{ sql }}{% endmacro %}"
    )
    assert len(views_varying_by_build(manifest)) == 14


def test_every_view_of_the_project_compiles_the_same_on_every_build():
    # Else a quiet night creates every view again, as any other night does.
    manifest = json.loads(revenue_dbt_project.manifest_path.read_text())
    views = view_models(manifest)
    assert {"stg_salesforce__leads", "int_lead_signals_combined"} <= {view.name for view in views}
    assert views_varying_by_build(manifest) == []
