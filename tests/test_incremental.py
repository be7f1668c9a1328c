"""A nightly run over a delta merges only the new files, and equals a full refresh."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from dataclasses import dataclass

import dagster as dg
import duckdb
import pytest

from orchestration.dbt.assets import BUILD_DATABASE_ENV, dbt_environment, revenue_dbt_models
from orchestration.dbt.project import DBT_EXECUTABLE, revenue_dbt_project
from orchestration.definitions import build_definitions
from orchestration.nightly import run_nightly_refresh
from orchestration.settings import DEFAULT_SOURCE_MAPPING_FILE
from tests.conftest import (
    FIXTURE_LANDING,
    PROJECT_DBT_DIR,
    copy_landing,
    dbt_results,
    make_warehouse,
    mart_rows,
)

LEAD_HEADER = (FIXTURE_LANDING / "salesforce" / "Lead.csv").read_text().splitlines()[0]
TASK_HEADER = (FIXTURE_LANDING / "salesforce" / "Task.csv").read_text().splitlines()[0]
HISTORY_HEADER = (FIXTURE_LANDING / "salesforce" / "LeadHistory.csv").read_text().splitlines()[0]
# Next day: L4 is disqualified ("Just looking") after a second call, and a new lead
# L11 arrives and is called within the hour. L12 arrives with L8's email address, so
# the Marketo person linked to L8 by email alone is now ambiguous and unlinked: L8
# loses its information-request signal and its only content (a whitepaper, added to
# the first day's export below), both already processed. Call T2, L1's only sales
# touch, is deleted in Salesforce, and so is lead L10. L6 is contacted: only its
# history says so, the Lead export has no new version of it. L3 attended a session of
# the webinar two minutes after its creation, three before its first Marketo signal:
# only the campaign's members say so, a CRM signal under this test's mapping.
LEAD_DELTA = (
    "00Q0000000000000L4,Dee,Delta,dee@delta.example,,Delta,Director of Operations,5,Webinar,"
    "Closed - Not Converted,005000000000000S2,2026-01-15T08:00:00.000Z,false,,,,,false,"
    "2026-03-10T09:00:00.000Z,Just looking,Services\n"
    "00Q000000000000L11,Kim,Kilo,kim@kilo.example,,Kilo BV,CFO,40,Web,Working - Contacted,"
    "005000000000000S1,2026-03-10T08:00:00.000Z,false,,,,,false,2026-03-10T08:30:00.000Z,,IT\n"
    "00Q000000000000L12,Hank,Hotel,owner@example.org,,Hotel Group,Owner,12,Web,"
    "Working - Contacted,005000000000000S1,2026-03-10T07:00:00.000Z,false,,,,,false,"
    "2026-03-10T07:00:00.000Z,,Hospitality\n"
    "00Q000000000000L10,Jo,Juliet,jo@juliet.example,,Juliet BV,Director of Finance,20,Web,"
    "Nurture,005000000000000M1,2026-03-02T09:00:00.000Z,false,,,,,true,"
    "2026-03-10T09:30:00.000Z,,Finance\n"
)
HISTORY_DELTA = (
    "017000000000000H7,00Q0000000000000L4,Status,Working - Contacted,Closed - Not Converted,"
    "2026-03-10T09:00:00.000Z,false\n"
    "017000000000000H8,00Q0000000000000L6,Status,Open - Not Contacted,Working - Contacted,"
    "2026-03-10T10:00:00.000Z,false\n"
)
TASK_DELTA = (
    "00T000000000000T8,00Q0000000000000L4,,005000000000000S2,Call,Call,Call,Completed,"
    "2026-03-10T08:45:00.000Z,2026-03-10,60,false,2026-03-10T08:45:00.000Z\n"
    "00T000000000000T9,00Q000000000000L11,,005000000000000S1,Call,Call,Call,Completed,"
    "2026-03-10T08:30:00.000Z,2026-03-10,60,false,2026-03-10T08:30:00.000Z\n"
    "00T000000000000T2,00Q0000000000000L1,,005000000000000S1,Call,Call,Call,Completed,"
    "2026-01-05T15:00:00.000Z,2026-01-05,300,true,2026-03-10T09:00:00.000Z\n"
)


OPPORTUNITY_HEADER = (
    (FIXTURE_LANDING / "salesforce" / "Opportunity.csv").read_text().splitlines()[0]
)
# O2, converted from L2 and open, is won; nothing else about L2 changes.
OPPORTUNITY_DELTA = (
    "006000000000000O2,001000000000000A2,Bravo Ltd - Rollout,8500.00,GBP,Closed Won,100,"
    "2026-02-03T10:00:00.000Z,2026-03-10,true,true,Google Ads,,005000000000000S1,false,"
    "2026-03-10T09:00:00.000Z\n"
)
L2 = "00Q0000000000000L2"


MEMBER_HEADER = (FIXTURE_LANDING / "salesforce" / "CampaignMember.csv").read_text().splitlines()[0]
MEMBER_DELTA = (
    "00v000000000000M3,701000000000000W1,00Q0000000000000L3,,Attended,true,"
    "2026-01-12T08:02:00.000Z,2026-01-12,false,2026-03-10T09:00:00.000Z\n"
    "00v000000000000M5,701000000000000W1,00Q0000000000000L5,,Attended,true,"
    "2026-01-21T10:00:00.000Z,2026-01-21,true,2026-03-10T09:00:00.000Z\n"
)
L3 = "00Q0000000000000L3"
# L5 attended the webinar the day after its creation, by the first day's export: its
# only CRM signal, and the only one of the first day (L8's membership has another
# status). The second day deletes that membership (above), and nothing else about L5.
L5 = "00Q0000000000000L5"
L5_MEMBER = (
    "00v000000000000M5,701000000000000W1,00Q0000000000000L5,,Attended,true,"
    "2026-01-21T10:00:00.000Z,2026-01-21,false,2026-01-21T10:00:00.000Z\n"
)
# The shipped mapping, with a campaign-response rule.
MAPPING_WITH_CRM_SIGNALS = DEFAULT_SOURCE_MAPPING_FILE.read_text().replace(
    "    campaign_responses: []\n",
    "    campaign_responses:\n"
    "      - {signal: webinar_attendance, campaign_type: Webinar, member_status: Attended}\n",
)


ACTIVITY_HEADER = (FIXTURE_LANDING / "marketing" / "activities.csv").read_text().splitlines()[0]
L8_WHITEPAPER = (
    'a-13,1008,2026-02-12T08:00:00Z,2,507,15,Whitepaper Download - The SDR Handbook,"{}"\n'
)
L8 = "00Q0000000000000L8"


@dataclass(frozen=True)
class SecondNight:
    run: dg.ExecuteInProcessResult
    dbt_results: dict[str, str]


def content_of(warehouse, lead_id: str) -> list[tuple]:
    with duckdb.connect(str(warehouse.paths.analytics_database), read_only=True) as connection:
        return connection.execute(
            "select content_type, content_asset from lead_content_consumed where lead_id = ?",
            [lead_id],
        ).fetchall()


@pytest.fixture(scope="module")
def incremental_and_full(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    landing = copy_landing(FIXTURE_LANDING, root / "landing")
    (landing / "marketing" / "activities").mkdir()
    (landing / "marketing" / "activities" / "2026-03-09.csv").write_text(
        ACTIVITY_HEADER + "\n" + L8_WHITEPAPER
    )
    with (landing / "salesforce" / "CampaignMember.csv").open("a") as members:
        members.write(L5_MEMBER)
    mapping = root / "source_mapping.yml"
    assert "campaign_responses:\n" in MAPPING_WITH_CRM_SIGNALS
    mapping.write_text(MAPPING_WITH_CRM_SIGNALS)
    nightly = make_warehouse(landing, root / "nightly", source_mapping_file=str(mapping))
    instance = dg.DagsterInstance.ephemeral()
    assert run_nightly_refresh(build_definitions(nightly), instance).success
    assert content_of(nightly, L8) == [("whitepaper", "The SDR Handbook")]
    for folder, header, rows in (
        ("Lead", LEAD_HEADER, LEAD_DELTA),
        ("Task", TASK_HEADER, TASK_DELTA),
        ("LeadHistory", HISTORY_HEADER, HISTORY_DELTA),
        ("CampaignMember", MEMBER_HEADER, MEMBER_DELTA),
        ("Opportunity", OPPORTUNITY_HEADER, OPPORTUNITY_DELTA),
    ):
        (landing / "salesforce" / folder).mkdir()
        (landing / "salesforce" / folder / "2026-03-10.csv").write_text(header + "\n" + rows)
    second_night = run_nightly_refresh(build_definitions(nightly), instance)
    assert second_night.success
    second_build = dbt_results(nightly)
    # One mart built again on its own, as "Materialize selected" in the UI does: not a
    # complete build (test_dbt_built_incrementally_after_the_first_full_build).
    assert (
        build_definitions(nightly)
        .resolve_job_def("nightly_refresh")
        .execute_in_process(
            instance=instance, asset_selection=[dg.AssetKey(["marts", "pipeline_movement"])]
        )
        .success
    )
    full = make_warehouse(landing, root / "full", source_mapping_file=str(mapping))
    assert run_nightly_refresh(build_definitions(full), instance, full_refresh=True).success
    return nightly, full, SecondNight(second_night, second_build)


def test_delta_run_reads_only_the_new_files(incremental_and_full):
    nightly, _, _ = incremental_and_full
    with duckdb.connect(str(nightly.paths.build_database), read_only=True) as connection:
        loads = connection.execute(
            "select source_file, count(distinct loaded_at) from raw_quarantine.loaded_files "
            "where table_name = 'lead' group by 1 order by 1"
        ).fetchall()
        lead = connection.execute(
            "select rows_read, rows_loaded, rows_quarantined, rows_superseded "
            "from raw_quarantine.load_reconciliation where table_name = 'lead'"
        ).fetchone()
    assert [(path.rsplit("/", 1)[-1], count) for path, count in loads] == [
        ("Lead.csv", 1),
        ("2026-03-10.csv", 1),
    ]
    # 10 rows in Lead.csv + 4 in the delta; L9 quarantined; L4's and L10's old versions
    # superseded; loaded: 9 rows of Lead.csv (L10's now marked deleted) plus L11 and L12.
    assert lead == (14, 11, 1, 2)


def test_dbt_built_incrementally_after_the_first_full_build(incremental_and_full):
    nightly, full, _ = incremental_and_full
    # The one-mart run after the second night is not recorded as a build.
    builds = "select full_refresh from warehouse_state.dbt_builds order by built_at"
    attempts = (
        "select count(*), count(distinct fingerprint) from warehouse_state.dbt_build_attempts"
    )
    with duckdb.connect(str(nightly.paths.build_database), read_only=True) as connection:
        assert [row[0] for row in connection.execute(builds).fetchall()] == [True, False]
        # It is recorded as an attempt with the same code, so it does not force the
        # next night to a full refresh.
        assert connection.execute(attempts).fetchone() == (3, 1)
    with duckdb.connect(str(full.paths.build_database), read_only=True) as connection:
        assert [row[0] for row in connection.execute(builds).fetchall()] == [True]


def test_second_night_leaves_views_as_they_are_and_runs_every_data_test(incremental_and_full):
    _, full, second_night = incremental_and_full
    full_build = dbt_results(full)
    views = {
        "model.revenue_warehouse.stg_salesforce__leads",
        "model.revenue_warehouse.int_leads_unioned",
        "model.revenue_warehouse.int_lead_signals_combined",
    }
    assert views <= full_build.keys()
    assert not views & second_night.dbt_results.keys()
    tests = {node for node in full_build if node.startswith("test.")}
    assert len(tests) > 100
    # The tests of the agreement tables alone, whose files did not change, are carried
    # over from the first night's build: every other data test ran, those on the views
    # included, and passed.
    manifest = json.loads(revenue_dbt_project.manifest_path.read_text())
    agreement_models = ("stg_agreed_definitions__", "stg_source_mapping__")
    of_agreements = {
        test
        for test in tests
        if all(
            parent.split(".")[-1].startswith(agreement_models)
            for parent in manifest["nodes"][test]["depends_on"]["nodes"]
        )
    }
    assert len(of_agreements) == 51
    ran = {node for node in second_night.dbt_results if node.startswith("test.")}
    assert ran == tests - of_agreements
    assert {second_night.dbt_results[node] for node in ran} == {"pass"}
    assert any(".primary_key_stg_salesforce__leads_" in node for node in ran)
    # Dagster shows each carried test passed on the night's materialisation, and why.
    evaluations = {
        evaluation.check_name: evaluation
        for evaluation in second_night.run.get_asset_check_evaluations()
    }
    assert {manifest["nodes"][test]["name"] for test in tests} <= evaluations.keys()
    for test in of_agreements:
        evaluation = evaluations[manifest["nodes"][test]["name"]]
        assert evaluation.passed
        assert "unchanged since the last complete build" in str(evaluation.metadata["evaluated"])
    # Lineage in Dagster shows the views as materialised by the night, as their rows are
    # the night's.
    materialised = {
        event.asset_key.to_user_string(): event.materialization
        for event in second_night.run.get_asset_materialization_events()
    }
    assert {"staging/stg_salesforce__leads", "intermediate/int_leads_unioned"} <= set(materialised)
    # Every model, view or not, as every data test passed.
    assert {spec.key.to_user_string() for spec in revenue_dbt_models.specs} <= set(materialised)
    # With the view's code version, as for a built view, so nothing downstream of it
    # shows as unsynced.
    code_versions = {
        spec.key.to_user_string(): spec.code_version for spec in revenue_dbt_models.specs
    }
    view = "staging/stg_salesforce__leads"
    assert code_versions[view]
    assert materialised[view].tags["dagster/code_version"] == code_versions[view]


def reprocessed_by_the_second_build(database, model: str, column: str) -> list:
    """Rows written by a build that started after the first build had finished."""
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            f"""
            select distinct {column} from intermediate.{model}
            where processed_at > (select min(built_at) from warehouse_state.dbt_builds)
            order by 1
            """
        ).fetchall()
    return [row[0] for row in rows]


def test_delta_run_processes_only_the_activities_the_delta_concerns(incremental_and_full):
    nightly, _, _ = incremental_and_full
    database = nightly.paths.build_database
    # The two new calls, and T7, credited to deleted L10 (now to no lead); deleted T2 is
    # gone, no other task or event concerns L4/L11/L12.
    assert reprocessed_by_the_second_build(
        database, "int_crm_activities_linked_to_leads", "activity_id"
    ) == ["00T000000000000T7", "00T000000000000T8", "00T000000000000T9"]
    # No new Marketo activity: only person 1008, whose email L12 made ambiguous, is
    # re-linked, with its signal (an information request) and its whitepaper.
    for model in ("int_marketo_activities_linked_to_leads", "int_content_touches_linked_to_leads"):
        assert reprocessed_by_the_second_build(database, model, "marketo_lead_id") == [1008]
    # Per-lead models recompute the leads the delta concerns: L3 (its first CRM
    # signal), L5 (lost its only one), L8 (lost its signal and content), L4, L11 and
    # L12 (loaded again or new).
    assert reprocessed_by_the_second_build(database, "int_lead_stages_reached", "lead_id") == [
        L3,
        "00Q0000000000000L4",
        L5,
        L8,
        "00Q000000000000L11",
        "00Q000000000000L12",
    ]
    assert reprocessed_by_the_second_build(database, "int_lead_content_summarised", "lead_id") == []


def test_delta_run_judges_again_only_the_leads_the_delta_concerns(incremental_and_full):
    nightly, _, _ = incremental_and_full
    database = nightly.paths.build_database
    l1, l4, l11, l12 = (
        "00Q0000000000000L1",
        "00Q0000000000000L4",
        "00Q000000000000L11",
        "00Q000000000000L12",
    )
    # Scores follow the leads whose records or signals changed (previous test).
    assert reprocessed_by_the_second_build(
        database, "int_leads_scored_against_definition", "lead_id"
    ) == [L3, l4, L5, L8, l11, l12]
    # First campaigns: L3 now has the webinar, L5's membership is deleted; L11 and L12
    # are new. L4's new version keeps its lead source, so its channel is unchanged.
    assert reprocessed_by_the_second_build(
        database, "int_leads_attributed_to_channels", "lead_id"
    ) == [L3, L5, l11, l12]
    # Sales touches: L4's second call and L11's first. L1's only one (T2) is deleted,
    # which leaves L1 no row here.
    assert reprocessed_by_the_second_build(database, "int_lead_first_sales_touches", "lead_id") == [
        l4,
        l11,
    ]
    # Judged again: all of the above, and L1, picked up in time by T2 alone.
    assert reprocessed_by_the_second_build(
        database, "int_leads_judged_under_each_version", "lead_id"
    ) == [l1, L3, l4, L5, L8, l11, l12]


def test_lead_that_lost_its_only_crm_signal_keeps_its_stages(incremental_and_full):
    nightly, full, _ = incremental_and_full
    query = (
        "select lead_id, definition_version, mql_at, sql_at, has_crm_signals "
        "from intermediate.int_lead_stages_reached order by all"
    )
    stages = {}
    for warehouse in (nightly, full):
        with duckdb.connect(str(warehouse.paths.build_database), read_only=True) as connection:
            stages[warehouse] = connection.execute(query).fetchall()
    assert stages[nightly] == stages[full]
    [l5_stages] = [row for row in stages[nightly] if row[0] == L5]
    assert l5_stages[-1] is False


def lead_stays(warehouse, lead_id: str) -> list[tuple]:
    with duckdb.connect(str(warehouse.paths.analytics_database), read_only=True) as connection:
        return connection.execute(
            "select stay_number, stage_name, cast(entered_at as varchar), "
            "cast(exited_at as varchar) from stage_durations "
            "where record_type = 'lead' and record_id = ? order by stay_number",
            [lead_id],
        ).fetchall()


def test_delta_run_rewrites_the_stays_of_the_leads_it_concerns(incremental_and_full):
    nightly, _, _ = incremental_and_full
    # Reporting time is Amsterdam (CET, UTC+1 in March). L6, created 22 Jan 08:00 UTC,
    # was contacted on 10 March 10:00 UTC by its history alone; L4's new status closes
    # its stay in Working - Contacted, where its Owner change started none; L10 is gone.
    assert lead_stays(nightly, "00Q0000000000000L6") == [
        (1, "Open - Not Contacted", "2026-01-22 09:00:00", "2026-03-10 11:00:00"),
        (2, "Working - Contacted", "2026-03-10 11:00:00", None),
    ]
    assert lead_stays(nightly, "00Q0000000000000L4") == [
        (1, "Working - Contacted", "2026-01-15 09:00:00", "2026-03-10 10:00:00"),
        (2, "Closed - Not Converted", "2026-03-10 10:00:00", None),
    ]
    assert lead_stays(nightly, "00Q000000000000L10") == []


def test_lead_left_without_content_loses_its_rows(incremental_and_full):
    nightly, _, _ = incremental_and_full
    assert content_of(nightly, L8) == []


def test_incremental_result_equals_full_refresh(incremental_and_full):
    nightly, full, _ = incremental_and_full
    incremental_marts = mart_rows(nightly.paths.analytics_database)
    assert incremental_marts == mart_rows(full.paths.analytics_database)
    with duckdb.connect(str(nightly.paths.analytics_database), read_only=True) as connection:
        leads = {
            lead_id: columns
            for lead_id, *columns in connection.execute(
                "select lead_id, meets_definition, first_sales_touch_at, mql_at, is_won "
                "from lead_funnel"
            ).fetchall()
        }
    assert {"00Q000000000000L11", "00Q000000000000L12"} <= leads.keys()
    # Sales-ready on the fixture (by its webinar signal), not once that signal is unlinked.
    assert leads["00Q0000000000000L8"][0] is False
    # T2 was L1's only sales touch.
    assert leads["00Q0000000000000L1"][1] is None
    # L3 is an MQL from its webinar session, 08:02 UTC: 09:02 in Amsterdam (CET).
    assert leads[L3][2] == dt.datetime(2026, 1, 12, 9, 2)
    # L2's opportunity is won.
    assert leads[L2][3] is True


def owner_teams(database) -> dict[str, str]:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute("select lead_id, owner_team from marts.lead_funnel").fetchall()
    return dict(rows)


def test_lead_funnel_shows_the_team_its_owner_moved_to(incremental_and_full, tmp_path):
    """Sid (S2) moves from Inside Sales to Marketing, a load of his user record alone:
    L3, L4 and L6, which he owns, are shown under marketing, though nothing about them
    changed (L6 has neither a new version nor sales touches)."""
    nightly, _, _ = incremental_and_full
    database = tmp_path / "build.duckdb"
    shutil.copyfile(nightly.paths.build_database, database)
    before = owner_teams(database)
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            """
            update salesforce.user
            set "Department" = 'Marketing', team_attribute = 'Marketing', _loaded_at = now()
            where "Id" = '005000000000000S2'
            """
        )
    completed = subprocess.run(
        [
            DBT_EXECUTABLE,
            "run",
            "--select",
            "int_users_assigned_to_teams lead_funnel",
            "--project-dir",
            PROJECT_DBT_DIR,
            "--profiles-dir",
            PROJECT_DBT_DIR,
            "--target-path",
            tmp_path / "target",
            "--log-path",
            tmp_path / "logs",
        ],
        env={**os.environ, **dbt_environment(nightly), BUILD_DATABASE_ENV: str(database)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:]
    moved = {L3: "marketing", "00Q0000000000000L4": "marketing", "00Q0000000000000L6": "marketing"}
    assert {before[lead] for lead in moved} == {"sales"}
    assert owner_teams(database) == {**before, **moved}


def compiled_test_sql(warehouse, test_name: str) -> str:
    """The SQL dbt ran for a data test in the warehouse's last build."""
    [compiled] = (warehouse.paths.dbt_target_dir / "compiled").rglob(f"{test_name}.sql")
    return compiled.read_text()


@pytest.mark.parametrize(
    "test_name",
    [
        "primary_key_stg_salesforce__tasks_task_id",
        "primary_key_int_content_touches_linked_to_leads_activity_id",
    ],
)
def test_history_tests_cover_the_rows_since_the_last_complete_build(
    incremental_and_full, test_name
):
    nightly, full, _ = incremental_and_full
    # The nightly's second build is incremental: it tests the rows loaded or processed
    # after the first build; a full refresh tests every row.
    assert "warehouse_state" in compiled_test_sql(nightly, test_name)
    assert "warehouse_state" not in compiled_test_sql(full, test_name)
    assert "'-infinity'" in compiled_test_sql(full, test_name)
