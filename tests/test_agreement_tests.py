"""Which data tests a quiet night carries over instead of running
(orchestration/dbt/agreement_tests.py), without dbt."""

from __future__ import annotations

import copy
import json

import dagster as dg
import duckdb

from orchestration.dbt.agreement_tests import (
    CarriedTest,
    agreement_data_tests,
    agreement_tables_digest,
    carried_tests,
    record_vouched,
    still_vouched_for,
    vouched_by_last_complete_build,
    with_carried_results,
)
from orchestration.dbt.build_state import record_attempt, record_build
from orchestration.dbt.current_views import views_varying_by_build
from orchestration.dbt.project import revenue_dbt_project
from orchestration.dbt.translator import RevenueDbtTranslator


def source(name: str) -> dict:
    return {"source_name": name}


def model(*parents: str, materialized: str = "view", sql: str = "select * from x") -> dict:
    return {
        "resource_type": "model",
        "config": {"materialized": materialized},
        "depends_on": {"nodes": list(parents)},
        "raw_code": sql,
    }


def data_test(generic: str | None, *parents: str, severity: str = "ERROR", **config: str) -> dict:
    node = {
        "resource_type": "test",
        "name": f"{generic}_{'_'.join(p.rsplit('.', 1)[-1] for p in parents)}",
        "config": {"severity": severity, "warn_if": "!= 0", "error_if": "!= 0", **config},
        "depends_on": {"nodes": list(parents)},
        "raw_code": "{{ test(**_dbt_generic_test_kwargs) }}",
        "attached_node": parents[0] if parents else None,
    }
    if generic:
        node["test_metadata"] = {"name": generic, "kwargs": {"column_name": "team"}}
    return node


MANIFEST = {
    "sources": {
        "source.p.source_mapping.user_teams": source("source_mapping"),
        "source.p.agreed_definitions.channels": source("agreed_definitions"),
        "source.p.salesforce.lead": source("salesforce"),
    },
    "nodes": {
        "model.p.stg_teams": model("source.p.source_mapping.user_teams"),
        "model.p.stg_channels": model("source.p.agreed_definitions.channels"),
        "model.p.stg_channels_again": model("model.p.stg_channels"),
        "model.p.stg_leads": model("source.p.salesforce.lead"),
        "model.p.teams_table": model("source.p.source_mapping.user_teams", materialized="table"),
        "model.p.stg_teams_dated": model("source.p.source_mapping.user_teams"),
        "model.p.stg_teams_today": model(
            "source.p.source_mapping.user_teams", sql="select *, current_date as day from x"
        ),
        "test.p.accepted_teams": data_test("accepted_values", "model.p.stg_teams"),
        "test.p.pk_channels_again": data_test("primary_key", "model.p.stg_channels_again"),
        "test.p.channels_to_teams": data_test(
            "relationships", "model.p.stg_channels", "model.p.stg_teams"
        ),
        "test.p.leads_to_teams": data_test(
            "relationships", "model.p.stg_leads", "model.p.stg_teams"
        ),
        "test.p.warn_teams": data_test("not_null", "model.p.stg_teams", severity="warn"),
        "test.p.where_teams": data_test("not_null", "model.p.stg_teams", where="team <> ''"),
        "test.p.singular_teams": data_test(None, "model.p.stg_teams"),
        "test.p.custom_teams": data_test("rows_recent", "model.p.stg_teams"),
        "test.p.pk_table": data_test("primary_key", "model.p.teams_table"),
        "test.p.pk_dated": data_test("primary_key", "model.p.stg_teams_dated"),
        "test.p.pk_today": data_test("primary_key", "model.p.stg_teams_today"),
        "test.p.few_teams": data_test("not_null", "model.p.stg_teams", error_if="> 5"),
    },
}


def test_tests_reading_only_the_agreement_tables_through_fixed_views_are_found():
    found = agreement_data_tests(MANIFEST, ["model.p.stg_teams_dated"], "rows")
    # Not: a relationship to the leads, a test that may warn (by severity or threshold)
    # or is limited by `where`, a singular test or a generic one not known to be fixed,
    # a test of a table (built again every night), of a view whose Jinja may compile
    # otherwise, or of one whose SQL reads the clock.
    assert sorted(found) == [
        "test.p.accepted_teams",
        "test.p.channels_to_teams",
        "test.p.pk_channels_again",
    ]


def test_a_test_defined_otherwise_or_on_other_rows_has_another_digest():
    before = agreement_data_tests(MANIFEST, [], "rows")
    changed = copy.deepcopy(MANIFEST)
    changed["nodes"]["test.p.accepted_teams"]["test_metadata"]["kwargs"]["values"] = ["sales"]
    after = agreement_data_tests(changed, [], "rows")
    assert after["test.p.accepted_teams"] != before["test.p.accepted_teams"]
    assert {k: v for k, v in after.items() if k != "test.p.accepted_teams"} == {
        k: v for k, v in before.items() if k != "test.p.accepted_teams"
    }
    other_rows = agreement_data_tests(MANIFEST, [], "other rows")
    assert other_rows.keys() == before.keys()
    assert not set(other_rows.values()) & set(before.values())


def test_the_agreement_tables_digest_follows_their_rows_not_their_order():
    with duckdb.connect() as connection:
        connection.execute("create schema source_mapping")
        connection.execute("create schema raw_salesforce")
        connection.execute("create table source_mapping.user_teams (team varchar, n int)")
        connection.execute("insert into source_mapping.user_teams values ('sales', 1), ('x', 2)")
        connection.execute("create table raw_salesforce.lead (id varchar)")
        first = agreement_tables_digest(connection, ["source_mapping"])
        # Other schemas' tables change every night.
        connection.execute("insert into raw_salesforce.lead values ('L1')")
        # The same rows written in another order.
        connection.execute(
            "create table source_mapping.copy as select * from source_mapping.user_teams"
        )
        connection.execute("delete from source_mapping.user_teams")
        connection.execute("insert into source_mapping.user_teams values ('x', 2), ('sales', 1)")
        connection.execute("drop table source_mapping.copy")
        assert agreement_tables_digest(connection, ["source_mapping"]) == first
        connection.execute("update source_mapping.user_teams set team = 'Sales' where n = 1")
        assert agreement_tables_digest(connection, ["source_mapping"]) != first


def test_only_tests_the_last_complete_build_vouched_for_are_carried():
    eligible = {"test.p.a": "digest-a", "test.p.b": "digest-b", "test.p.c": "digest-c"}
    with duckdb.connect() as connection:
        assert vouched_by_last_complete_build(connection) == {}
        first = record_attempt(connection, "code")
        record_build(connection, first, "code", full_refresh=True)
        record_vouched(connection, first, {"test.p.a": "digest-a", "test.p.b": "old-b"})
        # A build that failed or built some models only vouches for nothing.
        record_attempt(connection, "code")
        vouched = vouched_by_last_complete_build(connection)
        assert vouched == {"test.p.a": "digest-a", "test.p.b": "old-b"}
        # b is defined otherwise now, c is new: both run.
        assert still_vouched_for(eligible, vouched) == ["test.p.a"]
        third = record_attempt(connection, "code")
        record_build(connection, third, "code", full_refresh=False)
        record_vouched(connection, third, eligible)
        assert vouched_by_last_complete_build(connection) == eligible
        # Only the last complete build's are kept.
        (rows,) = connection.execute(
            "select count(*) from warehouse_state.dbt_agreement_tests_vouched"
        ).fetchone()
        assert rows == 3


def test_a_carried_result_follows_its_assets_materialisation():
    teams, leads = dg.AssetKey(["staging", "stg_teams"]), dg.AssetKey(["staging", "stg_leads"])
    carried = [
        CarriedTest("test.p.accepted_teams", "accepted_teams", dg.AssetCheckKey(teams, "a")),
        CarriedTest("test.p.pk_teams", "pk_teams", dg.AssetCheckKey(teams, "b")),
        CarriedTest("test.p.pk_other", "pk_other", dg.AssetCheckKey(dg.AssetKey("other"), "c")),
    ]
    events = [
        dg.Output(None, output_name="stg_leads"),
        dg.MaterializeResult(asset_key=teams),
        dg.AssetCheckResult(asset_key=leads, check_name="pk", passed=True),
    ]
    out = list(with_carried_results(events, carried, {"stg_leads": leads}.__getitem__))
    assert [type(event).__name__ for event in out] == [
        "Output",
        "MaterializeResult",
        "AssetCheckResult",
        "AssetCheckResult",
        "AssetCheckResult",
        "AssetCheckResult",
    ]
    results = [(e.asset_key, e.check_name, e.passed) for e in out[2:]]
    # The asset never materialised in the step keeps its result for the end.
    assert results == [
        (teams, "a", True),
        (teams, "b", True),
        (leads, "pk", True),
        (dg.AssetKey("other"), "c", True),
    ]
    assert "last complete build" in out[2].metadata["evaluated"].value


def test_the_projects_agreement_tests_are_checks_of_the_dbt_step():
    from orchestration.dbt.assets import revenue_dbt_models

    manifest = json.loads(revenue_dbt_project.manifest_path.read_text())
    eligible = agreement_data_tests(manifest, views_varying_by_build(manifest), "rows")
    translator = RevenueDbtTranslator()
    carried = carried_tests(
        eligible, manifest, translator, revenue_dbt_project, revenue_dbt_models.check_keys
    )
    # Every one of them is a planned check, on a staging model of the agreements (51:
    # tests/test_incremental.py counts them from the tests' parents).
    assert len(carried) == len(eligible) == 51
    assert {test.check_key.asset_key.path[0] for test in carried} == {"staging"}
    assert all(
        test.check_key.asset_key.path[-1].startswith(
            ("stg_agreed_definitions__", "stg_source_mapping__")
        )
        for test in carried
    )
    # A check the run did not plan is left to dbt.
    assert carried_tests(eligible, manifest, translator, revenue_dbt_project, set()) == []
