"""When the nightly dbt build must be a full refresh instead of an incremental one."""

from __future__ import annotations

import copy

import duckdb

from orchestration.agreements.history import definition_files
from orchestration.dbt.build_state import (
    build_fingerprint,
    last_build_fingerprint,
    needs_full_refresh,
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
            },
            "test.revenue_warehouse.t": {"resource_type": "test", "checksum": {"checksum": "2"}},
        },
        "macros": {
            "macro.revenue_warehouse.m": {"package_name": "revenue_warehouse", "macro_sql": "x"},
            "macro.dbt.other": {"package_name": "dbt", "macro_sql": "y"},
        },
    }


def fingerprint_with(tmp_path, change=lambda m: None, agreement: str = "version: 1") -> str:
    document = tmp_path / "agreed.yml"
    document.write_text(agreement)
    changed = copy.deepcopy(manifest())
    change(changed)
    return build_fingerprint(changed, [document])


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


def test_fingerprint_ignores_data_tests_and_dbt_own_macros(tmp_path):
    base = fingerprint_with(tmp_path)

    def edit_test(m):
        m["nodes"]["test.revenue_warehouse.t"]["checksum"]["checksum"] = "changed"

    def edit_dbt_macro(m):
        m["macros"]["macro.dbt.other"]["macro_sql"] = "changed"

    assert fingerprint_with(tmp_path, edit_test) == base
    assert fingerprint_with(tmp_path, edit_dbt_macro) == base


def test_full_refresh_when_asked_first_or_changed():
    assert needs_full_refresh(False, None, "f1")
    assert needs_full_refresh(False, "f0", "f1")
    assert needs_full_refresh(True, "f1", "f1")
    assert not needs_full_refresh(False, "f1", "f1")


def test_last_recorded_build_wins():
    connection = duckdb.connect()
    assert last_build_fingerprint(connection) is None
    record_build(connection, "f1", full_refresh=True)
    record_build(connection, "f2", full_refresh=False)
    assert last_build_fingerprint(connection) == "f2"


def test_a_new_version_file_of_the_agreement_makes_a_full_refresh(tmp_path):
    # A draft feeds definition_impact: adding one must rebuild the models too.
    write_version(tmp_path, "2026.1", "2026-01-01")
    base = build_fingerprint(manifest(), definition_files(tmp_path))
    write_version(tmp_path, "2026.2", "2026-04-01", signed_by=("sales",))
    assert build_fingerprint(manifest(), definition_files(tmp_path)) != base
