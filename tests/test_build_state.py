"""When the nightly dbt build must be a full refresh instead of an incremental one."""

from __future__ import annotations

import copy

import duckdb

from orchestration.agreements.history import definition_files
from orchestration.dbt.build_state import (
    build_fingerprint,
    code_in_place,
    needs_full_refresh,
    record_attempt,
    record_build,
)
from tests.conftest import write_version


def manifest() -> dict:
    return {
        "metadata": {"project_name": "revenue_warehouse"},
        "nodes": {
            "model.revenue_warehouse.a": {
                "resource_type": "model",
                "checksum": {"checksum": "1"},
                "config": {"materialized": "table"},
                "relation_name": '"build"."marts"."a"',
            },
            "test.revenue_warehouse.t": {"resource_type": "test", "checksum": {"checksum": "2"}},
        },
        "sources": {
            "source.revenue_warehouse.crm.lead": {"relation_name": '"build"."salesforce"."lead"'}
        },
        "macros": {
            "macro.revenue_warehouse.m": {"package_name": "revenue_warehouse", "macro_sql": "x"},
            "macro.dbt.other": {"package_name": "dbt", "macro_sql": "y"},
        },
    }


TOOLS = {"dbt-core": "1.11.16", "dbt-duckdb": "1.10.0", "duckdb": "1.4.2"}


def fingerprint_with(
    tmp_path, change=lambda m: None, agreement: str = "version: 1", tools=TOOLS
) -> str:
    document = tmp_path / "agreed.yml"
    document.write_text(agreement)
    changed = copy.deepcopy(manifest())
    change(changed)
    return build_fingerprint(changed, [document], tools)


def test_fingerprint_follows_models_project_macros_and_agreements(tmp_path):
    base = fingerprint_with(tmp_path)
    assert fingerprint_with(tmp_path) == base

    def edit_model(m):
        m["nodes"]["model.revenue_warehouse.a"]["checksum"]["checksum"] = "changed"

    def edit_macro(m):
        m["macros"]["macro.revenue_warehouse.m"]["macro_sql"] = "changed"

    def make_incremental(m):
        # dbt_project.yml or the model's YAML, not its SQL file
        m["nodes"]["model.revenue_warehouse.a"]["config"] = {"materialized": "incremental"}

    assert fingerprint_with(tmp_path, edit_model) != base
    assert fingerprint_with(tmp_path, edit_macro) != base
    assert fingerprint_with(tmp_path, make_incremental) != base
    assert fingerprint_with(tmp_path, agreement="version: 2") != base


def test_fingerprint_follows_sources_quoting_dbt_macros_and_tool_versions(tmp_path):
    base = fingerprint_with(tmp_path)

    def repoint_source(m):
        m["sources"]["source.revenue_warehouse.crm.lead"]["relation_name"] = (
            '"build"."salesforce_v2"."lead"'
        )

    def quote_otherwise(m):
        m["nodes"]["model.revenue_warehouse.a"]["relation_name"] = "build.marts.a"

    def edit_dbt_macro(m):
        m["macros"]["macro.dbt.other"]["macro_sql"] = "changed"

    assert fingerprint_with(tmp_path, repoint_source) != base
    assert fingerprint_with(tmp_path, quote_otherwise) != base
    assert fingerprint_with(tmp_path, edit_dbt_macro) != base
    assert fingerprint_with(tmp_path, tools={**TOOLS, "dbt-duckdb": "1.10.1"}) != base


def test_fingerprint_ignores_data_tests(tmp_path):
    base = fingerprint_with(tmp_path)

    def edit_test(m):
        m["nodes"]["test.revenue_warehouse.t"]["checksum"]["checksum"] = "changed"

    assert fingerprint_with(tmp_path, edit_test) == base


def test_full_refresh_when_asked_first_or_changed():
    assert needs_full_refresh(False, None, "f1")
    assert needs_full_refresh(False, {"f0"}, "f1")
    assert needs_full_refresh(True, {"f1"}, "f1")
    assert not needs_full_refresh(False, {"f1"}, "f1")


def test_code_in_place_is_the_last_complete_build_and_every_build_started_since():
    connection = duckdb.connect()
    assert code_in_place(connection) is None
    record_attempt(connection, "f1")
    # A first build that failed: nothing complete to build on.
    assert code_in_place(connection) is None
    record_build(connection, record_attempt(connection, "f1"), "f1", full_refresh=True)
    assert code_in_place(connection) == {"f1"}
    # A failed night, or a model built from the UI, with the same code.
    record_attempt(connection, "f1")
    assert code_in_place(connection) == {"f1"}
    # Code B deployed, its build fails after recreating some models; code A rolled back.
    record_attempt(connection, "f2")
    assert code_in_place(connection) == {"f1", "f2"}
    assert needs_full_refresh(False, code_in_place(connection), "f1")
    # The rolled-back code's full refresh completes: everything is its again.
    record_build(connection, record_attempt(connection, "f1"), "f1", full_refresh=True)
    assert code_in_place(connection) == {"f1"}
    # Code B's complete build: everything is B's.
    record_build(connection, record_attempt(connection, "f2"), "f2", full_refresh=True)
    assert code_in_place(connection) == {"f2"}


def test_builds_are_ordered_by_attempt_not_by_the_clock():
    connection = duckdb.connect()
    record_build(connection, record_attempt(connection, "f1"), "f1", full_refresh=True)
    # The clock set back by an hour: the next attempt's start is earlier than the build.
    connection.execute(
        "update warehouse_state.dbt_builds set built_at = built_at + interval 1 hour"
    )
    record_attempt(connection, "f2")
    assert code_in_place(connection) == {"f1", "f2"}


def legacy_build(connection, fingerprint: str) -> None:
    """A complete build as a version from before attempts were numbered records it."""
    connection.execute("create schema if not exists warehouse_state")
    connection.execute(
        "create table if not exists warehouse_state.dbt_builds "
        "(fingerprint varchar, full_refresh boolean, built_at timestamptz)"
    )
    connection.execute(
        "insert into warehouse_state.dbt_builds values (?, true, now())", [fingerprint]
    )


def test_builds_of_a_version_that_numbers_no_attempts():
    connection = duckdb.connect()
    legacy_build(connection, "old")
    assert code_in_place(connection) == {"old"}
    record_attempt(connection, "new")
    assert code_in_place(connection) == {"old", "new"}
    record_build(connection, record_attempt(connection, "new"), "new", full_refresh=True)
    assert code_in_place(connection) == {"new"}
    # Rolled back to the old version, which completes a build; then forward again.
    legacy_build(connection, "old")
    assert code_in_place(connection) == {"new", "old"}
    assert needs_full_refresh(False, code_in_place(connection), "new")


def test_a_new_version_file_of_the_agreement_makes_a_full_refresh(tmp_path):
    # A draft feeds definition_impact: adding one must rebuild the models too.
    write_version(tmp_path, "2026.1", "2026-01-01")
    base = build_fingerprint(manifest(), definition_files(tmp_path), TOOLS)
    write_version(tmp_path, "2026.2", "2026-04-01", signed_by=("sales",))
    assert build_fingerprint(manifest(), definition_files(tmp_path), TOOLS) != base
