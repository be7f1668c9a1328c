"""Two signed versions and a draft on the hand-made fixture: each month is judged by
the version in force, the draft shows only in definition_impact, and an applied
version cannot be edited.

The versions (the fixture's leads are described in tests/test_kpis_on_fixture.py):
- 2026.1, as shipped, from 1 January.
- 2026.2, signed, from 1 February: 100 employees at least, a 4-hour follow-up window,
  trade shows (the events channel) no longer marketing-sourced, 40 sales-ready leads a
  month.
- 2026.3, a draft (only marketing signed), from 1 April: 2026.1 with an intent window
  of 20 days instead of 30.

Under 2026.2, February: L2 (200 FTE; created 31 Jan 23:30 UTC, which is 1 February in
Amsterdam) is sales-ready, L8 (12 FTE) is not: 1 sales-ready lead, converted (rate
1.0). L2 was touched after 8 h, L8 after exactly 4 h: 1 of 2 in time. Pipeline: O2
(EUR 10,000, from L2) counts; O4 (EUR 5,000, a trade show) no longer does. March: L10
(20 FTE, no intent) is not sales-ready on either count, touched after 3 h: in time.
Under the draft, January loses L6, whose demo request was 23 days before it came in:
1 sales-ready lead instead of 2.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import dagster as dg
import duckdb
import pytest

from orchestration.run_console import failure_causes
from tests.conftest import (
    FIXTURE_LANDING,
    make_warehouse,
    render_report,
    run_warehouse,
    write_version,
)

MONTHLY = (
    "select month, leads_created, sales_ready_leads, lead_to_opportunity_rate, "
    "marketing_pipeline_eur, picked_up_within_window_share, lead_to_won_rate, "
    "definition_version from shared_kpis_monthly order by month"
)
JANUARY = dt.date(2026, 1, 1)


def version_2(document):
    document["lead_definition"]["min_employees"] = 100
    document["follow_up"]["window_hours"] = 4
    document["channels"]["events"]["marketing_sourced"] = False
    document["sla_targets"]["sales_ready_leads"]["target"] = 40


def draft_3(document):
    document["lead_definition"]["active_intent"]["window_days"] = 20


@pytest.fixture(scope="module")
def versions_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("versions")
    definitions = root / "agreed_definitions"
    write_version(definitions, "2026.1", "2026-01-01")
    write_version(definitions, "2026.2", "2026-02-01", version_2)
    write_version(definitions, "2026.3", "2026-04-01", draft_3, signed_by=("marketing",))
    run = run_warehouse(
        make_warehouse(FIXTURE_LANDING, root / "warehouse", definitions_dir=str(definitions))
    )
    assert run.result.success, "the nightly job failed with three versions"
    return run


def test_months_before_the_new_version_keep_the_numbers_of_the_old_one(versions_run, fixture_run):
    # fixture_run knows 2026.1 only.
    (january_alone,) = [row for row in fixture_run.query(MONTHLY) if row[0] == JANUARY]
    assert versions_run.query(MONTHLY)[0] == january_alone
    early_leads = "select * from lead_funnel where created_at < '2026-02-01' order by lead_id"
    assert versions_run.query(early_leads) == fixture_run.query(early_leads)
    early_weeks = "select * from weekly_pipeline_review where week_start < '2026-01-26' order by 1"
    assert versions_run.query(early_weeks) == fixture_run.query(early_weeks)
    january_sla = "select * from sla_scorecard where month = '2026-01-01' order by commitment"
    assert versions_run.query(january_sla) == fixture_run.query(january_sla)


def test_later_months_are_judged_by_the_new_version(versions_run):
    assert versions_run.query(MONTHLY) == [
        (JANUARY, 5, 2, 0.5, Decimal("20000.00"), 0.2, 0.4, "2026.1"),
        (dt.date(2026, 2, 1), 2, 1, 1.0, Decimal("10000.00"), 0.5, 0.0, "2026.2"),
        (dt.date(2026, 3, 1), 1, 0, None, Decimal("0.00"), 1.0, 0.0, "2026.2"),
    ]
    leads = dict(
        (lead_id[-3:], rest)
        for lead_id, *rest in versions_run.query(
            "select lead_id, definition_version, meets_definition, failed_criteria, "
            "is_picked_up_within_window from lead_funnel where created_at >= '2026-02-01'"
        )
    )
    assert leads == {
        "0L2": ["2026.2", True, None, False],
        "0L8": ["2026.2", False, "employees", True],
        "L10": ["2026.2", False, "employees, active_intent", True],
    }
    assert versions_run.query(
        "select opportunity_id, is_marketing_sourced, definition_version "
        "from opportunity_pipeline order by 1"
    ) == [
        ("006000000000000O1", True, "2026.1"),
        ("006000000000000O2", True, "2026.2"),
        ("006000000000000O3", False, "2026.1"),
        ("006000000000000O4", False, "2026.2"),
    ]
    # The week of 26 January ends on Sunday 1 February, when L2 came in under 2026.2.
    assert versions_run.query(
        "select definition_version from weekly_pipeline_review where week_start = '2026-01-26'"
    ) == [("2026.1 + 2026.2",)]


def test_the_sla_holds_each_month_to_the_targets_in_force(versions_run):
    assert versions_run.query(
        "select month, target, definition_version from sla_scorecard "
        "where commitment = 'sales_ready_leads' order by month"
    ) == [
        (JANUARY, 50.0, "2026.1"),
        (dt.date(2026, 2, 1), 40.0, "2026.2"),
        (dt.date(2026, 3, 1), 40.0, "2026.2"),
    ]


def test_the_definition_checks_judge_each_lead_by_its_own_version(versions_run):
    # L8 is sales-ready under 2026.1 only; a check applying 2026.2 to all, or 2026.1 to
    # all, would fail on L8 or on the February rate.
    assert versions_run.failed_checks(dg.AssetCheckSeverity.ERROR) == set()
    evaluations = {e.check_name: e for e in versions_run.result.get_asset_check_evaluations()}
    assert evaluations["leads_judged_by_version_in_force"].passed


def test_the_draft_shows_only_in_definition_impact(versions_run):
    with duckdb.connect(str(versions_run.warehouse.paths.analytics_database), read_only=True) as bi:
        columns = bi.execute(
            "select table_name, column_name from duckdb_columns() "
            "where data_type = 'VARCHAR' and schema_name = 'main'"
        ).fetchall()
        holding_the_draft = {
            table
            for table, column in columns
            if bi.execute(
                f'select count(*) from "{table}" where "{column}" like \'%2026.3%\''
            ).fetchone()[0]
        }
    assert holding_the_draft == {"definition_impact"}


def test_definition_impact_restates_every_month_under_every_version(versions_run):
    rows = versions_run.query(
        "select month, definition_version, is_draft, is_in_force, kpi_value, "
        "published_value, difference from definition_impact "
        "where kpi = 'sales_ready_leads' order by month, definition_version"
    )
    assert rows == [
        (JANUARY, "2026.1", False, True, 2.0, 2.0, 0.0),
        # 2026.2 would have kept L6 (100 FTE) but not L1 (50 FTE).
        (JANUARY, "2026.2", False, False, 1.0, 2.0, -1.0),
        (JANUARY, "2026.3", True, False, 1.0, 2.0, -1.0),
        (dt.date(2026, 2, 1), "2026.1", False, False, 2.0, 1.0, 1.0),
        (dt.date(2026, 2, 1), "2026.2", False, True, 1.0, 1.0, 0.0),
        (dt.date(2026, 2, 1), "2026.3", True, False, 2.0, 1.0, 1.0),
        (dt.date(2026, 3, 1), "2026.1", False, False, 0.0, 0.0, 0.0),
        (dt.date(2026, 3, 1), "2026.2", False, True, 0.0, 0.0, 0.0),
        (dt.date(2026, 3, 1), "2026.3", True, False, 0.0, 0.0, 0.0),
    ]
    # Under 2026.1 February's trade-show pipeline (O4) would count again.
    assert versions_run.query(
        "select kpi_value, published_value from definition_impact where month = '2026-02-01' "
        "and definition_version = '2026.1' and kpi = 'marketing_pipeline_eur'"
    ) == [(15000.0, 10000.0)]


def test_the_monday_review_names_the_pending_draft_and_its_effect(versions_run):
    markdown, html, _ = render_report(versions_run, "2026-01-12")
    line = (
        "Draft 2026.3 of the agreed definitions (from 01 April 2026) is not signed by both "
        "teams yet: under it, January 2026 would have had 1 sales-ready lead instead of 2."
    )
    assert line.replace("(", "\\(").replace(")", "\\)") in markdown
    assert line in html


@pytest.fixture(scope="module")
def edited_run(versions_run):
    """The same warehouse after someone raised 2026.1's minimum to 50 employees and
    changed its pick-up window, without a new version."""

    def edited(document):
        document["lead_definition"]["min_employees"] = 50
        document["follow_up"]["window_hours"] = 12

    definitions = versions_run.warehouse.paths.definitions_dir
    published = versions_run.warehouse.paths.analytics_database
    before = (published.stat().st_ino, versions_run.query(MONTHLY))
    write_version(definitions, "2026.1", "2026-01-01", edited)
    return run_warehouse(versions_run.warehouse), published, before


def test_editing_an_applied_version_fails_naming_version_and_keys(edited_run):
    run, _, _ = edited_run
    assert not run.result.success
    # What `make run` prints as the cause of the failure.
    (cause,) = failure_causes(run.result, run.warehouse.paths.dbt_target_dir)
    assert cause.startswith("agreed_definitions: ")
    assert "2026.1.yml: the rules of version 2026.1 (applied since " in cause
    assert "changed at 'follow_up.window_hours', 'lead_definition.min_employees'" in cause
    assert "a signed version never changes" in cause and "new version" in cause


def test_editing_an_applied_version_keeps_the_previous_bi_file(edited_run):
    run, published, (inode, monthly) = edited_run
    assert not any(
        event.step_key == "bi__analytics_duckdb" for event in run.result.get_step_success_events()
    )
    assert published.stat().st_ino == inode
    assert run.query(MONTHLY) == monthly
