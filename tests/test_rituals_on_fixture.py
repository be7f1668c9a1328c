"""The alignment rituals' marts on the hand-made fixture, derived by hand.

See tests/test_kpis_on_fixture.py for the fixture lead by lead. What these marts add
(reporting zone Europe/Amsterdam, UTC+1 in January to March; weeks start on Monday):

Creation weeks: L1 Mon 5 Jan -> week 5 Jan; L3 Mon 12 Jan and L4 Thu 15 Jan -> 12 Jan;
L5 Tue 20 Jan and L6 Thu 22 Jan -> 19 Jan; L2 31 Jan 23:30 UTC = Sun 1 Feb 00:30 local
-> 26 Jan; L8 Tue 10 Feb -> 9 Feb; L10 Mon 2 Mar -> 2 Mar. So nine weeks from 5 Jan
to 2 Mar, of which 2 Feb, 16 Feb and 23 Feb have no leads.

Follow-up (sales Tasks/Events on the lead or its converted contact): L1 +6 h (T2; the
marketing email T1 does not count), L2 +8 h (T6), L3 +48 h and +72 h (T3, T4), L4 and
L6 never, L5 +25 h (E1 on contact C5), L8 +4 h (T5), L10 +3 h (T7). Within 24 h: L1,
L2, L8, L10.

Outcomes: converted L1 (O1 EUR 20,000 won), L2 (O2 GBP 8,500 = EUR 10,000), L5 (O3 USD
11,000 = EUR 10,000 won); not qualified L3 ("No budget"), L8 ("Wrong timing"); still
open L4 (working), L6 (open), L10 (nurture).

Owners: S1 Sam Rep and S2 Sid Dev are sales, M1 Mia Marketer is marketing. L10 is
owned by M1, every other lead by a sales user (L1, L2, L5, L8 by S1; L3, L4, L6 by S2).
L3 was disqualified by the LeadHistory Status change on 20 Jan, after two calls (T3,
T4); L8 has no Status history, so all its attempts (one call, T5) count. The agreed
minimum is 3 attempts, so both were disqualified below it.

Ownership history: L4 went from M1 (marketing) to S2 (sales) on 16 Jan 08:00 UTC
(09:00 local): one handoff. L10 went from S1 to M1 and to status Nurture at the same
moment (5 Mar 10:00 UTC): one recycle, not two.

Campaign W1 (Webinar type -> webinar channel) cost 2,800 and started 5 Feb; L8 is
its only lead (no LeadSource, first campaign W1 -> webinar), created in February, so
cost and lead share one row. The Campaign export has no CurrencyIsoCode column while
Opportunity has one: its cost is taken in the corporate currency, EUR 2,800, and the
run says so.

Content: only L4 (Marketo person 1004) browsed: /products/forecasting on 14 and 17 Jan
09:00 UTC, /pricing on 16 Jan 09:00, /blog/alignment on 17 Jan 10:00; the row with an
unreadable date is quarantined. No whitepaper or webinar activity in the fixture.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb

from orchestration.ingest.coverage import recorded_coverage

D = dt.date
T = dt.datetime


def by_suffix(rows: list[tuple]) -> dict[str, tuple]:
    """Key rows by the lead suffix (L1 ... L10) of their first column."""
    return {row[0].split("0000000")[-1].lstrip("0"): tuple(row[1:]) for row in rows}


def test_weekly_pipeline_review_follows_each_weeks_cohort(fixture_run):
    rows = fixture_run.query(
        "select week_start, leads_in, picked_up_within_24h, qualified_opportunities, "
        "not_qualified, still_open, pipeline_eur, picked_up_share, opportunity_rate, "
        "not_qualified_rate, definition_version "
        "from weekly_pipeline_review order by week_start"
    )
    zero = (0, 0, 0, 0, 0, Decimal("0.00"), None, None, None, "2026.1")
    assert rows == [
        # L1: picked up in 6 h, converted into O1.
        (D(2026, 1, 5), 1, 1, 1, 0, 0, Decimal("20000.00"), 1.0, 1.0, 0.0, "2026.1"),
        # L3 (48 h, "No budget") and L4 (never touched, working).
        (D(2026, 1, 12), 2, 0, 0, 1, 1, Decimal("0.00"), 0.0, 0.0, 0.5, "2026.1"),
        # L5 (25 h, converted into O3) and L6 (never touched, open).
        (D(2026, 1, 19), 2, 0, 1, 0, 1, Decimal("10000.00"), 0.0, 0.5, 0.0, "2026.1"),
        # L2, a February lead in January's last ISO week: 8 h, converted into O2.
        (D(2026, 1, 26), 1, 1, 1, 0, 0, Decimal("10000.00"), 1.0, 1.0, 0.0, "2026.1"),
        (D(2026, 2, 2), *zero),
        # L8: 4 h, "Wrong timing".
        (D(2026, 2, 9), 1, 1, 0, 1, 0, Decimal("0.00"), 1.0, 0.0, 1.0, "2026.1"),
        (D(2026, 2, 16), *zero),
        (D(2026, 2, 23), *zero),
        # L10: 3 h, in nurture.
        (D(2026, 3, 2), 1, 1, 0, 0, 1, Decimal("0.00"), 1.0, 0.0, 0.0, "2026.1"),
    ]


def test_weekly_disqualification_reasons_show_rises_and_drops(fixture_run):
    (row_count,) = fixture_run.query("select count(*) from weekly_disqualification_reasons")[0]
    # Nine weeks x (six agreed reasons + 'no reason given').
    assert row_count == 9 * 7
    rows = fixture_run.query(
        "select week_start, reason, leads, share_of_not_qualified, previous_week_leads, "
        "change_vs_previous_week from weekly_disqualification_reasons "
        "where leads > 0 or previous_week_leads > 0 order by week_start, reason"
    )
    assert rows == [
        (D(2026, 1, 12), "No budget", 1, 1.0, 0, 1),
        (D(2026, 1, 19), "No budget", 0, None, 1, -1),
        (D(2026, 2, 9), "Wrong timing", 1, 1.0, 0, 1),
        (D(2026, 2, 16), "Wrong timing", 0, None, 1, -1),
    ]
    first_week = fixture_run.query(
        "select distinct previous_week_leads from weekly_disqualification_reasons "
        "where week_start = '2026-01-05'"
    )
    assert first_week == [(None,)]


def test_sla_scorecard_judges_each_commitment_monthly(fixture_run):
    rows = fixture_run.query(
        "select month, commitment, owner_team, target, actual, round(attainment, 4), "
        "status, is_month_complete from sla_scorecard order by month, commitment"
    )
    jan, feb, mar = D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)
    assert rows == [
        # January: won L1 and L5 of 5 leads = 0.4 >= 0.13; pipeline O1 20,000 of 100,000;
        # picked up 1/5 = 0.2 of 0.9; 2 sales-ready of 50; 1 of 2 converted = 0.5.
        (jan, "lead_to_won_rate_floor", "shared", 0.13, 0.4, 3.0769, "met", True),
        (jan, "marketing_pipeline_eur", "shared", 100000.0, 20000.0, 0.2, "missed", True),
        (jan, "picked_up_within_window_share", "sales", 0.9, 0.2, 0.2222, "missed", True),
        (jan, "sales_ready_leads", "marketing", 50.0, 2.0, 0.04, "missed", True),
        (jan, "sales_ready_to_opportunity_rate", "sales", 0.3, 0.5, 1.6667, "met", True),
        # February: nothing won; O2 + O4 = 15,000; both leads in time; L2 of L2, L8.
        (feb, "lead_to_won_rate_floor", "shared", 0.13, 0.0, 0.0, "missed", True),
        (feb, "marketing_pipeline_eur", "shared", 100000.0, 15000.0, 0.15, "missed", True),
        (feb, "picked_up_within_window_share", "sales", 0.9, 1.0, 1.1111, "met", True),
        (feb, "sales_ready_leads", "marketing", 50.0, 2.0, 0.04, "missed", True),
        (feb, "sales_ready_to_opportunity_rate", "sales", 0.3, 0.5, 1.6667, "met", True),
        # March, the latest month, so not complete: L10 only, in time, not sales-ready,
        # so there is no conversion rate, and no actual means missed.
        (mar, "lead_to_won_rate_floor", "shared", 0.13, 0.0, 0.0, "missed", False),
        (mar, "marketing_pipeline_eur", "shared", 100000.0, 0.0, 0.0, "missed", False),
        (mar, "picked_up_within_window_share", "sales", 0.9, 1.0, 1.1111, "met", False),
        (mar, "sales_ready_leads", "marketing", 50.0, 0.0, 0.0, "missed", False),
        (mar, "sales_ready_to_opportunity_rate", "sales", 0.3, None, None, "missed", False),
    ]


def test_follow_up_discipline_per_sales_rep_and_week(fixture_run):
    rows = fixture_run.query(
        "select week_start, owner_name, leads_assigned, median_hours_to_first_touch, "
        "share_within_window, avg_attempts_before_disqualification, leads_never_touched, "
        "leads_disqualified_below_min_attempts, definition_version "
        "from follow_up_discipline order by week_start, owner_name"
    )
    # L10 belongs to a marketing user, so week 2 Mar has no row.
    assert rows == [
        (D(2026, 1, 5), "Sam Rep", 1, 6.0, 1.0, None, 0, 0, "2026.1"),
        # L3 touched after 48 h, disqualified after 2 calls (< 3); L4 never touched.
        (D(2026, 1, 12), "Sid Dev", 2, 48.0, 0.0, 2.0, 1, 1, "2026.1"),
        (D(2026, 1, 19), "Sam Rep", 1, 25.0, 0.0, None, 0, 0, "2026.1"),
        (D(2026, 1, 19), "Sid Dev", 1, None, 0.0, None, 1, 0, "2026.1"),
        (D(2026, 1, 26), "Sam Rep", 1, 8.0, 1.0, None, 0, 0, "2026.1"),
        # L8: one call, then disqualified without a Status history row.
        (D(2026, 2, 9), "Sam Rep", 1, 4.0, 1.0, 1.0, 0, 1, "2026.1"),
    ]


def test_a_campaign_export_without_currency_is_taken_in_the_corporate_currency(fixture_run):
    with duckdb.connect(str(fixture_run.warehouse.paths.build_database), read_only=True) as c:
        notes = recorded_coverage(c)
    assert (
        "Campaign.CurrencyIsoCode missing: amounts are taken in the org currency "
        "(source_mapping.yml, salesforce.currency)" in notes
    )
    assert not any("Opportunity.CurrencyIsoCode" in note for note in notes)


def test_source_performance_puts_campaign_cost_next_to_its_leads(fixture_run):
    rows = fixture_run.query(
        "select month, source_channel, campaign_name, cost_eur, leads, sales_ready_leads, "
        "mqls, sqls, opportunities, pipeline_eur, won_eur, cost_per_lead, "
        "cost_per_sales_ready_lead, cost_per_opportunity, sales_ready_rate, "
        "lead_to_opportunity_rate from source_performance order by month, source_channel"
    )
    zero, e2800, e10k, e20k = (Decimal(v) for v in ("0.00", "2800.00", "10000.00", "20000.00"))
    jan, feb, mar = D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)
    no_cost = (None, None, None)
    w1 = "Webinar - Alignment 2026-02"
    assert rows == [
        # L3 (Marktplaats): MQL by its information request.
        (jan, "classifieds", None, None, 1, 0, 1, 0, 0, zero, zero, *no_cost, 0.0, 0.0),
        # L6 (Partner Referral): demo request makes it SQL and MQL; sales-ready, open.
        (jan, "importer", None, None, 1, 1, 1, 1, 0, zero, zero, *no_cost, 1.0, 0.0),
        # L1 (Web): sales-ready, SQL by its demo request, O1 won.
        (jan, "own_website", None, None, 1, 1, 1, 1, 1, e20k, e20k, *no_cost, 1.0, 1.0),
        # L5 (Cold Call): its late "Call Me Back" makes it SQL; O3 won.
        (jan, "sales_outbound", None, None, 1, 0, 1, 1, 1, e10k, e10k, *no_cost, 0.0, 1.0),
        # L4 (LeadSource Webinar, no campaign): MQL by its third product-page view.
        (jan, "webinar", None, None, 1, 0, 1, 0, 0, zero, zero, *no_cost, 0.0, 0.0),
        # L2 (Google Ads): pricing question, O2 open.
        (feb, "paid_search", None, None, 1, 1, 1, 1, 1, e10k, zero, *no_cost, 1.0, 1.0),
        # W1's EUR 2,800 and its one lead L8 (sales-ready, MQL, disqualified): cost per
        # lead and per sales-ready lead 2,800; no opportunity, so no cost per one.
        (feb, "webinar", w1, e2800, 1, 1, 1, 0, 0, zero, zero, e2800, e2800, None, 1.0, 0.0),
        (mar, "own_website", None, None, 1, 0, 0, 0, 0, zero, zero, *no_cost, 0.0, 0.0),
    ]


def test_lead_ownership_shows_handoffs_and_recycles(fixture_run):
    rows = by_suffix(
        fixture_run.query(
            "select lead_id, current_owner_team, owner_side, funnel_stage, handoffs_to_sales, "
            "recycled_to_nurture, is_recycled, last_handoff_at from lead_ownership"
        )
    )
    assert rows == {
        "L1": ("sales", "sales", "converted", 0, 0, False, None),
        "L2": ("sales", "sales", "converted", 0, 0, False, None),
        "L3": ("sales", "sales", "disqualified", 0, 0, False, None),
        "L4": ("sales", "sales", "working", 1, 0, False, T(2026, 1, 16, 9, 0)),
        "L5": ("sales", "sales", "converted", 0, 0, False, None),
        "L6": ("sales", "sales", "open", 0, 0, False, None),
        "L8": ("sales", "sales", "disqualified", 0, 0, False, None),
        "L10": ("marketing", "marketing_nurture", "nurture", 0, 1, True, None),
    }


def test_lead_content_consumed_groups_page_views(fixture_run):
    rows = fixture_run.query(
        "select lead_id, content_type, content_asset, first_consumed_at, last_consumed_at, "
        "touches, webinar_minutes_attended, webinar_status "
        "from lead_content_consumed order by content_asset"
    )
    l4 = "00Q0000000000000L4"
    assert rows == [
        (l4, "page_group", "/blog", T(2026, 1, 17, 11), T(2026, 1, 17, 11), 1, None, None),
        (l4, "page_group", "/pricing", T(2026, 1, 16, 10), T(2026, 1, 16, 10), 1, None, None),
        (l4, "page_group", "/products", T(2026, 1, 14, 10), T(2026, 1, 17, 10), 2, None, None),
    ]


def test_content_influence_counts_the_leads_behind_each_asset(fixture_run):
    rows = fixture_run.query(
        "select content_type, content_asset, leads_touched, sales_ready_leads, opportunities, "
        "pipeline_eur, won_eur from content_influence order by content_asset"
    )
    # L4 is not sales-ready and never converted.
    zero = Decimal("0.00")
    assert rows == [
        ("page_group", "/blog", 1, 0, 0, zero, zero),
        ("page_group", "/pricing", 1, 0, 0, zero, zero),
        ("page_group", "/products", 1, 0, 0, zero, zero),
    ]


def test_disqualification_feedback_by_channel_and_campaign(fixture_run):
    rows = fixture_run.query(
        "select month, source_channel, campaign_name, reason, leads_created, "
        "leads_disqualified, leads_with_reason, share_of_disqualified, previous_month_share, "
        "share_change from disqualification_feedback order by month"
    )
    w1 = "Webinar - Alignment 2026-02"
    assert rows == [
        (D(2026, 1, 1), "classifieds", None, "No budget", 1, 1, 1, 1.0, None, None),
        # January's webinar lead L4 had no campaign: another group, nothing to compare.
        (D(2026, 2, 1), "webinar", w1, "Wrong timing", 1, 1, 1, 1.0, None, None),
    ]


def test_lead_funnel_carries_the_iso_creation_week(fixture_run):
    weeks = by_suffix(fixture_run.query("select lead_id, created_week from lead_funnel"))
    # 1 Feb 00:30 in Amsterdam is a Sunday: the week that began on Monday 26 Jan.
    assert weeks["L2"] == (D(2026, 1, 26),)
    assert weeks["L10"] == (D(2026, 3, 2),)
