"""A sales-led organisation's exports, run as they come, KPIs derived by hand.

tests/fixtures/sales_led_org: Salesforce only. No marketing/ folder, no LeadHistory,
Event, Account, Contact, OpportunityHistory or DatedConversionRate; no CurrencyIsoCode
anywhere (the org works in USD, 1.25 USD per EUR as its mapping declares); only the
columns that matter (User has Name, no FirstName/LastName; Lead has no Email,
Company, SystemModstamp or IsDeleted). Its source mapping turns CRM facts into
signals: Webinar campaign attendance -> webinar_attendance, a response to a
"Demo Request…" campaign -> demo_request, Rating = Hot -> pricing_question,
Demo_Requested__c = true -> demo_request, LeadSource Web -> information_request.
Default agreed definitions (Europe/Amsterdam, UTC+1 in winter).

- A1 CFO, 50 FTE, Web, created Mon 5 Jan 09:00 UTC, Rating Hot: information_request
  and pricing_question at creation, so MQL and SQL at 10:00 local; sales-ready;
  touched by Sam (sales) after 3 h; converted to O1, USD 25,000 = EUR 20,000, won.
- A2 Head of Sales, 8 FTE, Webinar, 12 Jan: attended the webinar (member added 14 Jan,
  first response 15 Jan: the signal counts 15 Jan 00:00 UTC = 01:00 local): MQL; not
  sales-ready (employees; attendance is no intent signal). Touched after 26 h.
- A3 Marketing Assistant, 40 FTE, Cold Call, Tue 20 Jan, Demo_Requested__c: SQL at
  creation; excluded title; disqualified "No budget" after one attempt (1 h).
- A4 Owner, 12 FTE, Trade Show, 31 Jan 23:30 UTC = Sun 1 Feb 00:30 local, so a
  February lead in the week of 26 Jan; responded to "Demo Request - Website" on 2 Feb
  10:00 UTC (same day as added): SQL then, sales-ready; touched after 8.5 h;
  converted to O2, USD 12,500 = EUR 10,000, open.
- A5 CEO, 100 FTE, Web, Tue 10 Feb, owned by marketing, in Nurture: sales-ready, MQL
  at creation; only a marketing email, so never picked up by sales. Without field
  history its Nurture status counts as one recycle.
- A6 VP Marketing, 25 FTE, Referral, Sun 15 Feb, Rating Warm, did not respond to the
  demo campaign: no signal.
- O3 USD 6,250 = EUR 5,000, February, no lead, no LeadSource: not marketing-sourced.

January: 3 leads (A1-A3), 1 sales-ready (A1), converted: rate 1.0; picked up in
24 h: A1, A3 = 2/3; won: A1 = 1/3; marketing pipeline: O1 = 20,000. February: 3
leads (A4-A6), 2 sales-ready (A4, A5), 1 converted: 0.5; picked up: A4 = 1/3; won 0;
marketing pipeline: O2 = 10,000 (O3 is not marketing's).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb

from orchestration.ingest.coverage import recorded_coverage


def short(lead_id: str) -> str:
    return lead_id[-2:]


def test_monthly_kpis_of_a_salesforce_only_org(sales_led_run):
    rows = sales_led_run.query(
        "select month, leads_created, sales_ready_leads, lead_to_opportunity_rate, "
        "picked_up_within_window_share, lead_to_won_rate, marketing_pipeline_eur "
        "from shared_kpis_monthly order by month"
    )
    assert rows == [
        (dt.date(2026, 1, 1), 3, 1, 1.0, 2 / 3, 1 / 3, Decimal("20000.00")),
        (dt.date(2026, 2, 1), 3, 2, 0.5, 1 / 3, 0.0, Decimal("10000.00")),
    ]


def test_crm_signals_make_leads_mql_sql_and_sales_ready(sales_led_run):
    rows = {
        short(lead_id): rest
        for lead_id, *rest in sales_led_run.query(
            "select lead_id, mql_at, sql_at, meets_definition, failed_criteria, "
            "active_intent_signal from lead_funnel"
        )
    }
    at = dt.datetime
    assert rows == {
        "A1": [at(2026, 1, 5, 10), at(2026, 1, 5, 10), True, None, "pricing_question"],
        "A2": [at(2026, 1, 15, 1), None, False, "employees, active_intent", None],
        "A3": [at(2026, 1, 20, 9), at(2026, 1, 20, 9), False, "budget_authority", "demo_request"],
        "A4": [at(2026, 2, 2, 11), at(2026, 2, 2, 11), True, None, "demo_request"],
        "A5": [at(2026, 2, 10, 10), None, True, None, "information_request"],
        "A6": [None, None, False, "active_intent", None],
    }


def test_amounts_without_a_currency_convert_at_the_org_fixed_rate(sales_led_run):
    rows = sales_led_run.query(
        "select opportunity_id, amount, currency_iso_code, amount_eur, source_channel, "
        "is_marketing_sourced from opportunity_pipeline order by opportunity_id"
    )
    assert [(oid[-2:], *rest) for oid, *rest in rows] == [
        ("O1", Decimal("25000.00"), "USD", Decimal("20000.00"), "own_website", True),
        ("O2", Decimal("12500.00"), "USD", Decimal("10000.00"), "events", True),
        ("O3", Decimal("6250.00"), "USD", Decimal("5000.00"), "unattributed", False),
    ]
    # The webinar's USD 2,500 (Campaign has no currency column) is EUR 2,000.
    (webinar,) = sales_led_run.query(
        "select cost_eur, leads, cost_per_lead from source_performance "
        "where campaign_id = '701000000000000W1'"
    )
    assert webinar == (Decimal("2000.00"), 1, Decimal("2000.00"))


def test_weekly_review_of_a_salesforce_only_org(sales_led_run):
    rows = sales_led_run.query(
        "select week_start, leads_in, picked_up_within_24h, qualified_opportunities, "
        "not_qualified, still_open, pipeline_eur from weekly_pipeline_review order by 1"
    )
    week = dt.date
    assert rows == [
        (week(2026, 1, 5), 1, 1, 1, 0, 0, Decimal("20000.00")),
        (week(2026, 1, 12), 1, 0, 0, 0, 1, Decimal("0.00")),
        (week(2026, 1, 19), 1, 1, 0, 1, 0, Decimal("0.00")),
        (week(2026, 1, 26), 1, 1, 1, 0, 0, Decimal("10000.00")),
        (week(2026, 2, 2), 0, 0, 0, 0, 0, Decimal("0.00")),
        (week(2026, 2, 9), 2, 0, 0, 0, 2, Decimal("0.00")),
    ]


def test_follow_up_counts_every_attempt_without_field_history(sales_led_run):
    rows = sales_led_run.query(
        "select week_start, owner_name, leads_assigned, median_hours_to_first_touch, "
        "share_within_window, avg_attempts_before_disqualification, leads_never_touched, "
        "leads_disqualified_below_min_attempts from follow_up_discipline order by 1, 2"
    )
    week = dt.date
    assert rows == [
        (week(2026, 1, 5), "Sam Rep", 1, 3.0, 1.0, None, 0, 0),
        (week(2026, 1, 12), "Sid Dev", 1, 26.0, 0.0, None, 0, 0),
        (week(2026, 1, 19), "Sam Rep", 1, 1.0, 1.0, 1.0, 0, 1),
        (week(2026, 1, 26), "Sid Dev", 1, 8.5, 1.0, None, 0, 0),
        (week(2026, 2, 9), "Sam Rep", 1, None, 0.0, None, 1, 0),
    ]


def test_ownership_falls_back_to_the_current_status_and_owner(sales_led_run):
    rows = sales_led_run.query(
        "select lead_id, owner_side, handoffs_to_sales, recycled_to_nurture, "
        "is_from_field_history from lead_ownership where recycled_to_nurture > 0 "
        "or owner_side <> 'sales'"
    )
    assert [(short(lead_id), *rest) for lead_id, *rest in rows] == [
        ("A5", "marketing_nurture", 0, 1, False)
    ]


def test_the_run_says_which_inputs_were_missing_and_what_that_limits(sales_led_run):
    database = sales_led_run.warehouse.paths.build_database
    with duckdb.connect(str(database), read_only=True) as connection:
        notes = recorded_coverage(connection)
    assert notes == [
        "User.SystemModstamp, Lead.SystemModstamp, Opportunity.SystemModstamp, "
        "Task.SystemModstamp, Campaign.SystemModstamp, CampaignMember.SystemModstamp "
        "missing: of two versions of a record, the later file and row wins",
        "Lead.Company, Opportunity.AccountId, Opportunity.Name, Opportunity.OwnerId, "
        "Opportunity.StageName missing: shown empty in the marts",
        "Lead.ConvertedContactId missing: sales activity and Marketo activity on the "
        "converted contact do not count for the lead",
        "Lead.Email missing: Marketo people link to leads by Salesforce id only",
        "Lead.IsDeleted, Opportunity.IsDeleted, Task.IsDeleted, Campaign.IsDeleted, "
        "CampaignMember.IsDeleted missing: no record counts as deleted",
        "salesforce/LeadHistory.csv missing: no field history: lead_ownership reads "
        "hand-offs and recycles from the current status and owner, and every contact "
        "attempt counts before a disqualification",
        "Opportunity.CampaignId missing: opportunities not converted from a lead get no "
        "channel from a campaign",
        "Opportunity.CurrencyIsoCode, Campaign.CurrencyIsoCode missing: amounts are taken "
        "in the org currency (source_mapping.yml, salesforce.currency)",
        "Opportunity.LeadSource missing: opportunities not converted from a lead get no "
        "channel from LeadSource",
        "salesforce/Event.csv missing: meetings logged as events do not count as follow-up",
        "CampaignMember.ContactId missing: campaign responses of a converted lead's contact "
        "do not count",
        "salesforce/DatedConversionRate.csv missing: no dated exchange rates: only amounts "
        "in the corporate currency (or the org currency with a fixed rate) get a EUR value",
        "marketing/leads.csv, marketing/activities.csv missing: no Marketo activity "
        "credits a lead: MQL, SQL and intent come from the CRM signal rules only, and "
        "content influence is empty",
    ]
