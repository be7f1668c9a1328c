"""Each definition check passes on a good row and fails on a row that breaks it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import dagster as dg
import pytest

from orchestration.agreements.documents import DataQuality
from orchestration.agreements.history import load_agreement_history
from orchestration.checks.assets import bad_record_result, funnel_timestamps_are_ordered
from orchestration.checks.rules import (
    Violation,
    converted_opportunity_violations,
    definition_version_violations,
    disqualification_reason_violations,
    eur_amount_violations,
    follow_up_breaches,
    funnel_order_violations,
    implausible_amount_violations,
    last_complete_month,
    matured_month,
    month_target,
    monthly_target_results,
    sales_ready_violations,
    sla_results,
    unmapped_lead_statuses,
)
from tests.conftest import SHIPPED_DEFINITIONS, make_warehouse, write_version

# The shipped single file: a history of one version, 2026.1.
HISTORY = load_agreement_history(SHIPPED_DEFINITIONS)
ZONE = HISTORY.time_zone
CREATED = dt.datetime(2026, 3, 10, 9, 0)


def lead(**overrides):
    row = {
        "lead_id": "00Q1",
        "meets_definition": True,
        "number_of_employees": 25,
        "title": "Head of Finance",
        "active_intent_signal": "demo_request",
        "active_intent_at": CREATED + dt.timedelta(days=2),
        "created_at": CREATED,
        "mql_at": CREATED + dt.timedelta(days=1),
        "sql_at": CREATED + dt.timedelta(days=2),
        "first_sales_touch_at": CREATED + dt.timedelta(hours=3),
        "is_disqualified": False,
        "disqualification_reason": None,
        "is_converted": True,
        "converted_opportunity_id": "0061",
    }
    return row | overrides


def test_good_lead_passes_every_rule():
    assert sales_ready_violations([lead()], HISTORY) == []
    assert funnel_order_violations([lead()], ZONE) == []
    assert disqualification_reason_violations([lead()], HISTORY) == []
    assert converted_opportunity_violations([lead()], {"0061"}) == []


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        ({"number_of_employees": 9}, "9 employees, minimum 10 in 2026.1"),
        ({"number_of_employees": None}, "None employees"),
        ({"title": "Office Assistant"}, "not a budget-authority role"),
        ({"title": "Assistant to the CFO"}, "not a budget-authority role"),
        ({"title": None}, "not a budget-authority role"),
        ({"active_intent_signal": "email_click"}, "not an active-intent signal in 2026.1"),
        (
            {"active_intent_at": CREATED + dt.timedelta(days=31)},
            "from creation, beyond the 30 days of 2026.1",
        ),
    ],
)
def test_sales_ready_lead_breaking_a_criterion_fails(broken, problem):
    (violation,) = sales_ready_violations([lead(**broken)], HISTORY)
    assert problem in violation.problem


def test_intent_window_is_measured_in_utc_across_daylight_saving():
    # 29 Mar 2026 clocks go forward in Amsterdam: 30 wall-clock days are 30 days
    # minus one hour, so a signal 30 days + 30 min on the wall clock is in the window.
    created = dt.datetime(2026, 3, 20, 12, 0)
    signal_at = created + dt.timedelta(days=30, minutes=30)
    assert (
        sales_ready_violations([lead(created_at=created, active_intent_at=signal_at)], HISTORY)
        == []
    )


def test_lead_not_sales_ready_is_not_held_to_the_criteria():
    assert sales_ready_violations([lead(meets_definition=False, title=None)], HISTORY) == []


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        (None, "disqualified without a reason"),
        ("Other", "reason 'Other' is not on the agreed list of 2026.1"),
    ],
)
def test_disqualified_lead_needs_an_agreed_reason(reason, message):
    broken = lead(is_disqualified=True, disqualification_reason=reason)
    (violation,) = disqualification_reason_violations([broken], HISTORY)
    assert violation.problem == message
    assert (
        disqualification_reason_violations(
            [lead(is_disqualified=True, disqualification_reason="No budget")], HISTORY
        )
        == []
    )


def test_funnel_out_of_order_fails():
    broken = lead(sql_at=CREATED + dt.timedelta(hours=1))
    (violation,) = funnel_order_violations([broken], ZONE)
    assert violation.problem.startswith("sql_at 2026-03-10 10:00:00 is before mql_at")
    (touch,) = funnel_order_violations([lead(first_sales_touch_at=CREATED - dt.timedelta(1))], ZONE)
    assert "first_sales_touch_at" in touch.problem


# Amsterdam, 25 Oct 2026: clocks go back at 03:00 CEST to 02:00 CET, so 02:00-03:00
# happens twice. A lead created at 00:48 UTC (02:48 CEST) and touched at 01:32 UTC
# (02:32 CET) reads "created 02:48, touched 02:32": found in the size-M benchmark.
REPEATED_HOUR = dt.datetime(2026, 10, 25, 2, 48)


def test_wall_clock_times_in_the_repeated_hour_are_not_called_out_of_order():
    touched_in_the_second_pass = lead(
        created_at=REPEATED_HOUR,
        mql_at=None,
        sql_at=None,
        first_sales_touch_at=REPEATED_HOUR - dt.timedelta(minutes=16),
    )
    assert funnel_order_violations([touched_in_the_second_pass], ZONE) == []
    # Outside the repeated hour the same readings are certain, and wrong.
    same_readings_a_day_later = lead(
        created_at=REPEATED_HOUR + dt.timedelta(days=1),
        mql_at=None,
        sql_at=None,
        first_sales_touch_at=REPEATED_HOUR + dt.timedelta(days=1, minutes=-16),
    )
    assert len(funnel_order_violations([same_readings_a_day_later], ZONE)) == 1
    # More than an hour apart is out of order however the hour is read.
    an_hour_and_more = lead(
        created_at=REPEATED_HOUR,
        mql_at=None,
        sql_at=None,
        first_sales_touch_at=REPEATED_HOUR - dt.timedelta(minutes=61),
    )
    assert len(funnel_order_violations([an_hour_and_more], ZONE)) == 1


def test_converted_lead_without_published_opportunity_fails():
    assert [str(v) for v in converted_opportunity_violations([lead()], {"0062"})] == [
        "00Q1: opportunity 0061 does not exist"
    ]
    (missing,) = converted_opportunity_violations([lead(converted_opportunity_id=None)], set())
    assert missing.problem == "converted without an opportunity"


MAX_AMOUNT_EUR = 1_000_000


def opportunity(**overrides):
    row = {
        "opportunity_id": "0061",
        "amount": Decimal("1000.00"),
        "currency_iso_code": "SEK",
        "units_per_eur": None,
        "close_date": dt.date(2026, 3, 1),
        "amount_eur": None,
    }
    return row | overrides


def test_amount_without_eur_value_fails():
    (violation,) = eur_amount_violations([opportunity()], MAX_AMOUNT_EUR)
    assert violation.problem == (
        "SEK amount closing 2026-03-01 has no EUR value (no dated rate in force)"
    )
    converted = opportunity(units_per_eur=Decimal("10"), amount_eur=Decimal("100.00"))
    assert eur_amount_violations([converted], MAX_AMOUNT_EUR) == []
    assert eur_amount_violations([opportunity(amount=None)], MAX_AMOUNT_EUR) == []


@pytest.mark.parametrize(
    ("amount", "units_per_eur", "problem"),
    [
        ("-0.01", None, "amount below zero"),
        ("-500.00", "1", "amount below zero"),
        # 11,000,000 SEK at 10 SEK per EUR: EUR 1,100,000.
        ("11000000.00", "10", "amount above the plausible maximum of EUR 1,000,000"),
        ("9999999999999999.00", "1", "amount above the plausible maximum of EUR 1,000,000"),
    ],
)
def test_implausible_amount_is_named_and_has_no_eur_value_on_purpose(
    amount, units_per_eur, problem
):
    implausible = opportunity(
        amount=Decimal(amount),
        units_per_eur=None if units_per_eur is None else Decimal(units_per_eur),
    )
    assert [str(v) for v in implausible_amount_violations([implausible], MAX_AMOUNT_EUR)] == [
        f"0061: {problem}"
    ]
    # Its EUR value is missing because it is implausible, not for want of a rate.
    assert eur_amount_violations([implausible], MAX_AMOUNT_EUR) == []


@pytest.mark.parametrize(
    ("amount", "units_per_eur"),
    [
        ("0.00", "1"),
        # 10,000,000 SEK at 10 SEK per EUR: exactly EUR 1,000,000.
        ("10000000.00", "10"),
        # Without a rate only the sign can be judged.
        ("99999999.00", None),
    ],
)
def test_plausible_amount_passes(amount, units_per_eur):
    plausible = opportunity(
        amount=Decimal(amount),
        units_per_eur=None if units_per_eur is None else Decimal(units_per_eur),
    )
    assert implausible_amount_violations([plausible], MAX_AMOUNT_EUR) == []


def test_unmapped_lead_statuses_are_named_with_their_lead_count():
    counts = {"Open - Not Contacted": 4, "Qualified": 2, None: 1, "Nurture": 3}
    assert [
        str(v)
        for v in unmapped_lead_statuses(counts, ["Open - Not Contacted", "Nurture"], "salesforce")
    ] == [
        "status 'Qualified': 2 lead(s); not in salesforce.lead_statuses of the source mapping, "
        "so in no funnel stage",
        "no status: 1 lead(s); not in salesforce.lead_statuses of the source mapping, "
        "so in no funnel stage",
    ]
    assert unmapped_lead_statuses({"Nurture": 3}, ["Nurture"], "salesforce") == []


def data_quality(max_records: int, max_share: float) -> DataQuality:
    return DataQuality(MAX_AMOUNT_EUR, max_records, max_share)


@pytest.mark.parametrize(
    ("max_records", "max_share", "checked", "set_aside"),
    [
        (5, 0.001, 4, 5),
        (5, 0.001, 3_000, 5),
        # 0.1 % of a million records is more than five.
        (5, 0.001, 1_000_000, 1_000),
        (0, 0.0, 1_000_000, 0),
    ],
)
def test_records_set_aside_are_a_count_or_a_share_whichever_is_more(
    max_records, max_share, checked, set_aside
):
    assert data_quality(max_records, max_share).records_set_aside_at_most(checked) == set_aside


def test_a_handful_of_bad_records_warns_more_blocks():
    bad = [Violation(f"006{i}", "amount below zero") for i in range(3)]
    handful = bad_record_result(bad, 100, data_quality(3, 0.0))
    assert not handful.passed
    assert handful.severity == dg.AssetCheckSeverity.WARN
    systematic = bad_record_result(bad, 100, data_quality(2, 0.0))
    assert not systematic.passed
    assert systematic.severity == dg.AssetCheckSeverity.ERROR
    clean = bad_record_result([], 100, data_quality(0, 0.0))
    assert clean.passed


def test_monthly_targets_against_the_agreed_sla():
    month = {
        "month": dt.date(2026, 2, 1),
        "sales_ready_leads": 52,
        "lead_to_opportunity_rate": 0.25,
        "picked_up_within_window_share": 0.95,
        "marketing_pipeline_eur": Decimal("100000.00"),
        "lead_to_won_rate": 0.12,
    }
    met = {r.commitment: r.met for r in monthly_target_results(month, HISTORY)}
    assert met == {
        "sales_ready_leads": True,
        "sales_ready_to_opportunity_rate": False,
        "picked_up_within_window_share": True,
        "marketing_pipeline_eur": True,
        "lead_to_won_rate_floor": False,
    }


def test_the_floor_is_judged_on_the_latest_cohort_past_the_sales_cycle():
    # Sales cycle 90 days (the shipped definitions). Data up to 15 May: March's leads
    # have had 90 days only from 29 June, January's from 1 May (31 Jan + 90 days).
    assert HISTORY.latest.sales_cycle_days == 90
    months = [
        {
            "month": dt.date(2026, m, 1),
            "sales_ready_leads": 60,
            "lead_to_opportunity_rate": 0.4,
            "picked_up_within_window_share": 0.95,
            "marketing_pipeline_eur": Decimal("150000.00"),
            "lead_to_won_rate": won,
        }
        for m, won in ((1, 0.14), (2, 0.05), (3, 0.02), (4, 0.0), (5, 0.0))
    ]
    judged = {
        result.commitment: (month, result.met)
        for month, result in sla_results(months, HISTORY, dt.date(2026, 5, 15))
    }
    assert judged["lead_to_won_rate_floor"] == (dt.date(2026, 1, 1), True)
    assert judged["sales_ready_leads"] == (dt.date(2026, 4, 1), True)
    # On 30 April January's leads have had 89 days: no cohort is judged yet.
    early = sla_results(months, HISTORY, dt.date(2026, 4, 30))
    assert "lead_to_won_rate_floor" not in {result.commitment for _, result in early}
    assert matured_month(months, dt.date(2026, 5, 1), HISTORY) == months[0]


def test_last_complete_month_skips_the_running_month():
    months = [{"month": dt.date(2026, m, 1)} for m in (3, 1, 2)]
    assert last_complete_month(months) == {"month": dt.date(2026, 2, 1)}
    assert last_complete_month(months[:1]) is None


def test_follow_up_breaches_name_owner_and_week():
    week = {
        "owner_name": "Sid Dev",
        "owner_id": "005S2",
        "week_start": dt.date(2026, 1, 12),
        "leads_never_touched": 1,
        "leads_disqualified_below_min_attempts": 1,
    }
    assert [str(v) for v in follow_up_breaches([week], HISTORY)] == [
        "Sid Dev (week of 2026-01-12): 1 lead(s) never touched",
        "Sid Dev (week of 2026-01-12): 1 lead(s) disqualified after fewer than 3 attempts",
    ]
    clean = week | {"leads_never_touched": 0, "leads_disqualified_below_min_attempts": 0}
    assert follow_up_breaches([clean], HISTORY) == []


def test_funnel_order_check_fetches_only_suspects_and_counts_every_lead(tmp_path):
    """The SQL pre-filter must not hide a violation, nor flag the repeated DST hour."""
    leads = [
        ("in_order", CREATED, CREATED + dt.timedelta(days=1), None, None),
        ("sql_before_created", CREATED, None, CREATED - dt.timedelta(days=1), None),
        ("touch_before_created", CREATED, None, None, CREATED - dt.timedelta(minutes=5)),
        ("repeated_hour", REPEATED_HOUR, None, None, REPEATED_HOUR - dt.timedelta(minutes=16)),
    ]
    warehouse = make_warehouse(tmp_path / "landing", tmp_path / "warehouse")
    with warehouse.connect() as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.lead_funnel (lead_id varchar, created_at timestamp, "
            "mql_at timestamp, sql_at timestamp, first_sales_touch_at timestamp)"
        )
        connection.executemany("insert into marts.lead_funnel values (?, ?, ?, ?, ?)", leads)
    result = funnel_timestamps_are_ordered(warehouse=warehouse)
    assert not result.passed
    assert result.metadata["rows_checked"].value == 4
    assert result.metadata["violations"].value == 2
    examples = result.metadata["examples"].value
    assert "sql_before_created" in examples and "touch_before_created" in examples


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory):
    """2026.1 as shipped until 1 April; 2026.2 from then: 50 employees, only "No
    budget" as a reason, 40 sales-ready leads a month and a 30-day sales cycle. A
    draft, 2026.3, would ask 500 employees."""
    directory = tmp_path_factory.mktemp("versions")
    write_version(directory, "2026.1", "2026-01-01")

    def stricter(document):
        document["lead_definition"]["min_employees"] = 50
        document["disqualification_reasons"] = ["No budget"]
        document["sla_targets"]["sales_ready_leads"]["target"] = 40
        document["sales_cycle"]["days"] = 30

    write_version(directory, "2026.2", "2026-04-01", stricter)
    write_version(
        directory,
        "2026.3",
        "2026-06-01",
        lambda d: d["lead_definition"].update(min_employees=500),
        signed_by=("marketing",),
    )
    return load_agreement_history(directory)


def test_each_lead_is_checked_under_the_version_of_its_creation_day(two_versions):
    # 25 employees: enough for 2026.1 (10) on 31 March, not for 2026.2 (50) on 1 April.
    before = lead(created_at=dt.datetime(2026, 3, 31, 23, 30), number_of_employees=25)
    after = lead(lead_id="00Q2", created_at=dt.datetime(2026, 4, 1, 0, 30), number_of_employees=25)
    assert sales_ready_violations([before], two_versions) == []
    (violation,) = sales_ready_violations([after], two_versions)
    assert violation == Violation("00Q2", "25 employees, minimum 50 in 2026.2")
    # "Wrong timing" was agreed in 2026.1 and dropped in 2026.2; the draft judges nothing.
    timing = {"is_disqualified": True, "disqualification_reason": "Wrong timing"}
    assert disqualification_reason_violations([before | timing], two_versions) == []
    (dropped,) = disqualification_reason_violations([after | timing], two_versions)
    assert dropped.problem == "reason 'Wrong timing' is not on the agreed list of 2026.2"
    july = dt.datetime(2026, 7, 1, 9, 0)
    late = lead(created_at=july, active_intent_at=july, number_of_employees=60)
    assert sales_ready_violations([late], two_versions) == []


def test_a_lead_published_under_another_version_is_named(two_versions):
    leads = [
        {
            "lead_id": "a",
            "created_at": dt.datetime(2026, 3, 31, 23, 59),
            "definition_version": "2026.1",
        },
        {
            "lead_id": "b",
            "created_at": dt.datetime(2026, 4, 1, 0, 0),
            "definition_version": "2026.1",
        },
        {
            "lead_id": "c",
            "created_at": dt.datetime(2026, 6, 2, 0, 0),
            "definition_version": "2026.3",
        },
    ]
    assert definition_version_violations(leads, two_versions) == [
        Violation("b", "judged under '2026.1', but 2026.2 was in force on 2026-04-01"),
        Violation("c", "judged under '2026.3', but 2026.2 was in force on 2026-06-02"),
    ]


def test_a_month_is_held_to_the_targets_of_the_days_each_version_was_in_force(two_versions):
    assert month_target(two_versions, "sales_ready_leads", dt.date(2026, 3, 1)) == 50
    assert month_target(two_versions, "sales_ready_leads", dt.date(2026, 4, 1)) == 40
    # The draft's targets never count.
    assert month_target(two_versions, "sales_ready_leads", dt.date(2026, 6, 1)) == 40


def test_the_floor_waits_for_the_sales_cycle_in_force_at_the_month_end(two_versions):
    months = [{"month": dt.date(2026, m, 1)} for m in (3, 4)]
    # March (2026.1, 90 days) matures on 29 June; April (2026.2, 30 days) on 30 May.
    assert matured_month(months, dt.date(2026, 5, 30), two_versions) == months[1]
    assert matured_month(months, dt.date(2026, 5, 29), two_versions) is None
