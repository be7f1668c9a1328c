"""KPIs on the hand-made landing data in tests/fixtures/landing, derived by hand.

The fixture, lead by lead (reporting zone Europe/Amsterdam, window 30 days):
- L1 CFO, 50 FTE, Web, demo request a day after creation: sales-ready (January),
  converted to O1 (EUR 20,000, created 20 Jan, won).
- L2 Head of Procurement, 200 FTE, Google Ads, created 31 Jan 23:30 UTC = 1 Feb
  00:30 in Amsterdam, so a February lead; pricing question via the converted
  contact's Marketo record: sales-ready, converted to O2 (GBP 8,500 closing
  20 Feb, when 0.85 GBP = 1 EUR: EUR 10,000.00).
- L3 Marketing Assistant: excluded title, not sales-ready; disqualified, "No budget".
- L4 Director, 5 FTE, no intent signal: fails employees and intent; MQL at its third
  product-page view (17 Jan 09:00 UTC = 10:00 local).
- L5 CEO, 15 FTE, Cold Call (sales-sourced): its only intent signal is 40 days after
  creation, so not sales-ready; converted to O3 (USD 11,000, won).
- L6 VP Sales, 100 FTE, demo request 23 days before creation: sales-ready, open.
- L7 deleted in Salesforce: not in the marts. L9 has NumberOfEmployees
  "approx. 50": quarantined, not in the marts.
- L8 Owner, 12 FTE, no LeadSource, first campaign a webinar, linked to Marketo by
  email only (different case): sales-ready (February), disqualified, "Wrong timing".
- L10 Director of Finance, 20 FTE, Web, created 2 March by sales, touched after
  3 h, then recycled to marketing nurture on 5 March; no intent signal.
- O4 is a sales opportunity on an existing account with LeadSource Trade Show
  (marketing-sourced), EUR 5,000 created in February.

So January: 5 leads (L1, L3, L4, L5, L6), sales-ready L1 and L6, one converted:
rate 0.5, marketing pipeline O1 = 20,000; picked up within 24 h only L1: 1/5; won
L1 and L5: 2/5. February: 2 leads (L2, L8), both sales-ready, L2 converted: 0.5;
pipeline O2 + O4 = 15,000; both touched within 24 h (8 h and 4 h): 1.0. March:
L10 only, not sales-ready, touched in time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import dagster as dg

from tests.conftest import MARTS_DIR


def test_shared_kpis_monthly_matches_hand_derivation(fixture_run):
    rows = fixture_run.query(
        "select month, leads_created, sales_ready_leads, lead_to_opportunity_rate, "
        "marketing_pipeline_eur, picked_up_within_window_share, lead_to_won_rate, "
        "definition_version "
        "from shared_kpis_monthly order by month"
    )
    assert rows == [
        (dt.date(2026, 1, 1), 5, 2, 0.5, Decimal("20000.00"), 0.2, 0.4, "2026.1"),
        (dt.date(2026, 2, 1), 2, 2, 0.5, Decimal("15000.00"), 1.0, 0.0, "2026.1"),
        (dt.date(2026, 3, 1), 1, 0, None, Decimal("0.00"), 1.0, 0.0, "2026.1"),
    ]


def test_lead_funnel_has_one_row_per_live_lead(fixture_run):
    lead_ids = [row[0] for row in fixture_run.query("select lead_id from lead_funnel order by 1")]
    assert [lead_id[-3:] for lead_id in lead_ids] == [
        "0L1",
        "0L2",
        "0L3",
        "0L4",
        "0L5",
        "0L6",
        "0L8",
        "L10",
    ]


def test_failed_criteria_name_each_missed_criterion(fixture_run):
    rows = dict(
        (lead_id[-2:], (meets, failed))
        for lead_id, meets, failed in fixture_run.query(
            "select lead_id, meets_definition, failed_criteria from lead_funnel"
        )
    )
    assert rows == {
        "L1": (True, None),
        "L2": (True, None),
        "L3": (False, "budget_authority"),
        "L4": (False, "employees, active_intent"),
        "L5": (False, "active_intent"),
        "L6": (True, None),
        "L8": (True, None),
        "10": (False, "active_intent"),
    }


def test_stage_timestamps_in_reporting_time_zone(fixture_run):
    rows = {
        lead_id[-2:]: rest
        for lead_id, *rest in fixture_run.query(
            "select lead_id, created_at, mql_at, sql_at, created_month from lead_funnel"
        )
    }
    # Third product-page view, 17 Jan 09:00 UTC, is 10:00 in Amsterdam (CET).
    assert rows["L4"][1] == dt.datetime(2026, 1, 17, 10, 0)
    assert rows["L4"][2] is None
    # A demo request before creation qualifies the lead from the moment it exists.
    assert rows["L6"][1] == rows["L6"][2] == rows["L6"][0] == dt.datetime(2026, 1, 22, 9, 0)
    assert rows["L2"][3] == dt.date(2026, 2, 1)


def test_follow_up_counts_sales_activity_only(fixture_run):
    rows = {
        lead_id[-2:]: rest
        for lead_id, *rest in fixture_run.query(
            "select lead_id, hours_to_first_sales_touch, is_picked_up_within_window "
            "from lead_funnel"
        )
    }
    # L1: the marketing user's email at +1 h does not count; the sales call at +6 h does.
    assert rows["L1"] == [6.0, True]
    assert rows["L3"] == [48.0, False]
    # L5: the meeting was logged on the contact it was converted into, at +25 h.
    assert rows["L5"] == [25.0, False]
    assert rows["L6"] == [None, False]


def test_opportunities_converted_at_rate_in_force_on_close_date(fixture_run):
    rows = {
        opportunity_id[-2:]: rest
        for opportunity_id, *rest in fixture_run.query(
            "select opportunity_id, amount_eur, is_marketing_sourced, source_channel, "
            "converted_from_lead_id from opportunity_pipeline"
        )
    }
    assert rows["O1"] == [Decimal("20000.00"), True, "own_website", "00Q0000000000000L1"]
    assert rows["O2"] == [Decimal("10000.00"), True, "paid_search", "00Q0000000000000L2"]
    assert rows["O3"] == [Decimal("10000.00"), False, "sales_outbound", "00Q0000000000000L5"]
    assert rows["O4"] == [Decimal("5000.00"), True, "events", None]


def test_channel_falls_back_to_first_campaign_type(fixture_run):
    (row,) = fixture_run.query(
        "select source_channel, campaign_name, is_marketing_sourced from lead_funnel "
        "where lead_id = '00Q0000000000000L8'"
    )
    assert row == ("webinar", "Webinar - Alignment 2026-02", True)


def test_bi_file_holds_the_marts_only(fixture_run):
    tables = set(fixture_run.query("select schema_name, table_name from duckdb_tables()"))
    marts = {("main", path.stem) for path in MARTS_DIR.glob("*.sql")}
    assert {("main", "lead_funnel"), ("main", "shared_kpis_monthly")} <= marts
    assert tables == marts


def test_quarantined_row_is_kept_with_row_and_column(fixture_run):
    import duckdb

    build = fixture_run.warehouse.paths.build_database
    with duckdb.connect(str(build), read_only=True) as connection:
        rows = connection.execute(
            "select table_name, file_row, column_name from raw_quarantine.rejected_rows order by 1"
        ).fetchall()
    assert rows == [("activities", 13, "activityDate"), ("lead", 10, "NumberOfEmployees")]


def test_every_export_reconciles(fixture_run):
    evaluations = [
        e
        for e in fixture_run.result.get_asset_check_evaluations()
        if e.check_name == "every_row_accounted_for"
    ]
    assert len(evaluations) == 15 and all(e.passed for e in evaluations)
    lead = next(e for e in evaluations if e.asset_key.path == ["salesforce", "lead"])
    # Lead.csv: 10 rows; L9 quarantined; none superseded.
    assert lead.metadata["rows_read"].value == 10
    assert lead.metadata["rows_quarantined"].value == 1


def test_definition_checks_pass_and_sla_miss_is_a_warning(fixture_run):
    assert fixture_run.failed_checks(dg.AssetCheckSeverity.ERROR) == set()
    assert "sla_targets_met" in fixture_run.failed_checks(dg.AssetCheckSeverity.WARN)
