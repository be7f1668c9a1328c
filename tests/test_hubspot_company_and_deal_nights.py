"""A HubSpot contact's row is also made of its primary company (its size) and its first
deal (its conversion). Nights whose only news is such a company or deal must reach the
contact, though the contact record itself did not change (tests/fixtures/hubspot_portal,
numbers derived in tests/test_hubspot_portal.py).

Dirk (contact 103, Director at Tiny BV, UNQUALIFIED) has no HubSpot signal in the
fixture, so no night rebuilds him for one. His judgement fails the employee floor (Tiny
BV has 5 FTE) and active intent, and he has no deal.
- Night 2: Tiny BV (company 202) grows to 500 FTE: he meets the employee floor.
- Night 3: deal 603 (EUR 1,000, open) is created with Dirk as its contact: he is
  converted, so no longer counted as not qualified.
- Night 4: Tiny BV is archived: he has no company size, so he fails the floor again.
"""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import first_portal_night, mart_rows

DIRK = "103"


def tiny_bv(employees: str, updated_at: str, archived: bool) -> dict:
    return {
        "id": "202",
        "properties": {
            "name": "Tiny BV",
            "numberofemployees": employees,
            "createdate": "2025-06-01T08:00:00.000Z",
        },
        "createdAt": "2025-06-01T08:00:00.000Z",
        "updatedAt": updated_at,
        "archived": archived,
    }


DIRKS_DEAL = {
    "id": "603",
    "properties": {
        "dealname": "Tiny BV pilot",
        "amount": "1000",
        "deal_currency_code": "EUR",
        "pipeline": "default",
        "dealstage": "presentationscheduled",
        "closedate": "2026-02-26T11:00:00.000Z",
        "hs_analytics_source": "PAID_SEARCH",
        "hubspot_owner_id": "2",
        "createdate": "2026-02-12T12:00:00.000Z",
    },
    "createdAt": "2026-02-12T12:00:00.000Z",
    "updatedAt": "2026-02-12T12:00:00.000Z",
    "archived": False,
    "associations": {
        "contacts": {"results": [{"id": DIRK, "type": "deal_to_contact"}]},
        "companies": {"results": [{"id": "202", "type": "deal_to_company"}]},
    },
}
NIGHTS = (
    ("companies", "2026-02-14", tiny_bv("500", "2026-02-13T08:00:00.000Z", archived=False)),
    ("deals", "2026-02-15", DIRKS_DEAL),
    ("companies", "2026-02-16", tiny_bv("500", "2026-02-15T08:00:00.000Z", archived=True)),
)
DIRK_IN_THE_FUNNEL = (
    "select number_of_employees, failed_criteria, converted_opportunity_id, "
    "opportunity_amount_eur, is_not_qualified from lead_funnel where lead_id = ?"
)


def dirk_in_the_funnel(warehouse) -> tuple:
    with duckdb.connect(str(warehouse.paths.analytics_database), read_only=True) as connection:
        employees, failed, deal, amount, not_qualified = connection.execute(
            DIRK_IN_THE_FUNNEL, [DIRK]
        ).fetchone()
    return employees, failed, deal, None if amount is None else float(amount), not_qualified


def dirk_has_crm_signals(warehouse) -> bool:
    with duckdb.connect(str(warehouse.paths.build_database), read_only=True) as connection:
        [(has_signals,)] = connection.execute(
            "select bool_or(has_crm_signals) from intermediate.int_lead_stages_reached "
            "where lead_id = ?",
            [DIRK],
        ).fetchall()
    return has_signals


@pytest.fixture(scope="module")
def company_and_deal_nights(tmp_path_factory):
    nights = first_portal_night(tmp_path_factory.mktemp("hubspot_company_and_deal"))
    dirk_each_night = [dirk_in_the_funnel(nights.nightly)]
    signals_each_night = [dirk_has_crm_signals(nights.nightly)]
    for folder, day, record in NIGHTS:
        nights.next_night(folder, day, [record])
        dirk_each_night.append(dirk_in_the_funnel(nights.nightly))
        signals_each_night.append(dirk_has_crm_signals(nights.nightly))
    return nights.nightly, nights.full_refresh(), dirk_each_night, signals_each_night


def test_company_and_deal_reach_a_contact_that_did_not_change(company_and_deal_nights):
    _, _, dirk_each_night, signals_each_night = company_and_deal_nights
    # No night rebuilds Dirk for a CRM signal: only his company and deal can.
    assert signals_each_night == [False] * 4
    assert dirk_each_night == [
        (5, "employees, active_intent", None, None, True),
        (500, "active_intent", None, None, True),
        (500, "active_intent", "603", 1000.0, False),
        (None, "employees, active_intent", "603", 1000.0, False),
    ]


def test_the_nights_equal_a_full_refresh(company_and_deal_nights):
    nightly, full, _, _ = company_and_deal_nights
    with duckdb.connect(str(nightly.paths.build_database), read_only=True) as connection:
        builds = connection.execute(
            "select full_refresh from warehouse_state.dbt_builds order by built_at"
        ).fetchall()
    assert builds == [(True,), (False,), (False,), (False,)]
    assert mart_rows(nightly.paths.analytics_database) == mart_rows(full.paths.analytics_database)
