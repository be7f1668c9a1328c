"""A HubSpot portal's second night (tests/fixtures/hubspot_portal, numbers derived in
tests/test_hubspot_portal.py): its delta's only news is a form submission of a contact
already loaded, so only HubSpot's own signal table, read through the views the quiet
night leaves as they are, carries it to the marts.

Dirk (contact 103, Director at Tiny BV, 5 FTE) submits the contact form f-contact
("information_request") on Tue 13 January 10:30 UTC, 11:30 in Amsterdam (CET), two
and a half hours after his creation. An information request is an MQL signal and an
intent signal (the default agreed definitions), so he becomes an MQL at 11:30 and his
intent criterion is met; at 5 FTE he still fails the employee floor.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from tests.conftest import dbt_results, first_portal_night, mart_rows

DIRK = "103"
DIRK_CONTACT_FORM = {
    "conversionId": "conv-5",
    "formId": "f-contact",
    "submittedAt": 1768300200000,  # 2026-01-13T10:30:00Z
    "pageUrl": "https://www.seller.example/contact",
    "values": [{"name": "email", "value": "dirk@tiny.example"}],
}
FUNNEL_OF_DIRK = (
    "select meets_definition, failed_criteria, active_intent_signal, mql_at "
    "from lead_funnel where lead_id = ?"
)


def dirk_in_the_funnel(warehouse) -> tuple:
    with duckdb.connect(str(warehouse.paths.analytics_database), read_only=True) as connection:
        return connection.execute(FUNNEL_OF_DIRK, [DIRK]).fetchone()


@pytest.fixture(scope="module")
def portal_nights(tmp_path_factory):
    nights = first_portal_night(tmp_path_factory.mktemp("hubspot_nights"))
    first_night = dirk_in_the_funnel(nights.nightly)
    nights.next_night("form_submissions", "2026-02-14", [DIRK_CONTACT_FORM])
    second_build = dbt_results(nights.nightly)
    return first_night, nights.nightly, second_build, nights.full_refresh()


def test_the_second_night_carries_a_new_form_of_a_known_contact(portal_nights):
    first_night, nightly, second_build, _ = portal_nights
    assert first_night == (False, "employees, active_intent", None, None)
    assert dirk_in_the_funnel(nightly) == (
        False,
        "employees",
        "information_request",
        dt.datetime(2026, 1, 13, 11, 30),
    )
    # Built incrementally, with the views left as they were.
    with duckdb.connect(str(nightly.paths.build_database), read_only=True) as connection:
        builds = connection.execute(
            "select full_refresh from warehouse_state.dbt_builds order by built_at"
        ).fetchall()
    assert builds == [(True,), (False,)]
    assert "model.revenue_warehouse.int_hubspot_facts_classified_as_signals" in second_build
    assert "model.revenue_warehouse.int_lead_signals_combined" not in second_build
    assert "model.revenue_warehouse.stg_hubspot__form_submissions" not in second_build
    assert set(second_build.values()) <= {"success", "pass"}


def test_the_second_night_equals_a_full_refresh(portal_nights):
    _, nightly, _, full = portal_nights
    assert mart_rows(nightly.paths.analytics_database) == mart_rows(full.paths.analytics_database)
