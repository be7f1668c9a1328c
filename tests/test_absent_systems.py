"""A CRM system the landing folder does not hold: no steps, empty tables, and the
volume guard when its folder vanishes."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.definitions import build_definitions
from orchestration.ingest.absent_systems import (
    MissingSystemError,
    absent_systems,
    load_absent_systems,
)
from orchestration.ingest.bookkeeping import (
    LoadPlan,
    accept_volume,
    ensure_bookkeeping,
    plan_load,
)
from orchestration.ingest.exports import EXPORTS
from orchestration.ingest.privacy import PrivacyRules
from tests.conftest import make_warehouse

PRIVACY = PrivacyRules(key=b"k")
CONTACTS = next(spec for spec in EXPORTS if spec.table == "contacts")


def test_only_the_systems_the_landing_folder_holds_are_steps(tmp_path):
    (tmp_path / "hubspot").mkdir()
    assert absent_systems(tmp_path) == ("salesforce",)
    defs = build_definitions(make_warehouse(tmp_path, tmp_path / "wh"))
    steps = {node.name for node in defs.resolve_job_def("nightly_refresh").graph.nodes}
    assert "hubspot__contacts" in steps
    assert not any(step.startswith(("salesforce__", "marketo__")) for step in steps)
    # With neither folder, every export is a step, and the required ones say why they fail.
    assert absent_systems(tmp_path / "nothing") == ()


def test_an_absent_system_loads_empty_tables_and_one_line(tmp_path):
    (tmp_path / "salesforce").mkdir()
    connection = duckdb.connect()
    lines = load_absent_systems(connection, tmp_path, PRIVACY, 0.2, lambda path: False)
    assert lines == [
        "hubspot/ missing: the landing folder holds no HubSpot exports; they load as empty tables"
    ]
    assert connection.execute("select count(*) from hubspot.contacts").fetchone() == (0,)
    assert "record_json" in {
        column
        for (column,) in connection.execute(
            "select column_name from duckdb_columns() where table_name = 'deals'"
        ).fetchall()
    }


def test_a_vanished_folder_with_accepted_data_stops_the_run(tmp_path):
    (tmp_path / "salesforce").mkdir()
    connection = duckdb.connect()
    ensure_bookkeeping(connection)
    accept_volume(connection, CONTACTS, 1800)
    with pytest.raises(
        MissingSystemError, match=r"hubspot/ is missing.*EXPECT_SHRINK=hubspot/contacts"
    ):
        load_absent_systems(connection, tmp_path, PRIVACY, 0.2, lambda path: False)
    # Told to expect it, the run goes on and the empty table becomes the reference.
    load_absent_systems(connection, tmp_path, PRIVACY, 0.2, lambda path: True)
    load_absent_systems(connection, tmp_path, PRIVACY, 0.2, lambda path: False)


def test_an_absent_system_is_loaded_once_not_every_night(tmp_path):
    (tmp_path / "salesforce").mkdir()
    connection = duckdb.connect()
    load_absent_systems(connection, tmp_path, PRIVACY, 0.2, lambda path: False)
    first = connection.execute(
        "select table_name, loaded_at from raw_quarantine.load_reconciliation order by 1"
    ).fetchall()
    lines = load_absent_systems(connection, tmp_path, PRIVACY, 0.2, lambda path: False)
    assert lines == [
        "hubspot/ missing: the landing folder holds no HubSpot exports; they load as empty tables"
    ]
    # The empty tables and their bookkeeping stay as the first night left them.
    assert (
        connection.execute(
            "select table_name, loaded_at from raw_quarantine.load_reconciliation order by 1"
        ).fetchall()
        == first
    )
    assert connection.execute("select count(*) from hubspot.contacts").fetchone() == (0,)


def test_an_export_without_files_is_loaded_again_once_files_arrive(tmp_path):
    export = tmp_path / "Contact.csv"
    assert plan_load({}, [], {}, rules_unchanged=True) == LoadPlan("unchanged", ())
    assert plan_load({}, [export], {str(export): "1:1"}, rules_unchanged=True) == LoadPlan(
        "full", (export,)
    )
    # Different erasure rules reload it even without files.
    assert plan_load({}, [], {}, rules_unchanged=False) == LoadPlan("full", ())
