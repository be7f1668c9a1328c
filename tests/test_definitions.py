"""The Dagster code location loads and wires what the nightly run relies on."""

from __future__ import annotations

import subprocess
import sys

import dagster as dg
import pytest

from orchestration.checks.assets import definition_checks
from orchestration.dbt.assets import dbt_build_args, mart_asset_keys
from orchestration.dbt.translator import layer_of
from orchestration.definitions import defs
from orchestration.ingest.load_checks import FRESHNESS_CHECK
from orchestration.run_tags import FULL_REFRESH_TAG


@pytest.fixture(scope="module")
def asset_graph():
    return defs.resolve_asset_graph()


def test_every_check_targets_an_asset_that_exists(asset_graph):
    for check_key in asset_graph.asset_check_keys:
        assert check_key.asset_key in asset_graph.get_all_asset_keys(), check_key


def test_definition_checks_block_publishing(asset_graph):
    blocking = {
        spec.name for check in definition_checks for spec in check.check_specs if spec.blocking
    }
    assert blocking == {
        "sales_ready_leads_meet_every_criterion",
        "disqualified_leads_have_agreed_reason",
        "funnel_timestamps_are_ordered",
        "leads_judged_by_version_in_force",
        "converted_leads_have_opportunity",
        "amounts_have_eur_value",
        "opportunity_amounts_are_plausible",
    }
    publish_deps = asset_graph.get(dg.AssetKey(["bi", "analytics_duckdb"])).parent_keys
    assert set(mart_asset_keys()) <= publish_deps


def test_every_timestamped_export_has_a_freshness_check(asset_graph):
    targets = {key.asset_key for key in asset_graph.asset_check_keys if key.name == FRESHNESS_CHECK}
    assert dg.AssetKey(["salesforce", "lead"]) in targets
    assert dg.AssetKey(["marketo", "activities"]) in targets
    assert dg.AssetKey(["salesforce", "dated_conversion_rate"]) not in targets


def test_lineage_runs_from_raw_export_to_published_file(asset_graph):
    lead_funnel = dg.AssetKey(["marts", "lead_funnel"])
    ancestors = set()
    frontier = [lead_funnel]
    while frontier:
        key = frontier.pop()
        for parent in asset_graph.get(key).parent_keys:
            if parent not in ancestors:
                ancestors.add(parent)
                frontier.append(parent)
    assert {
        dg.AssetKey(["salesforce", "lead"]),
        dg.AssetKey(["marketo", "activities"]),
        dg.AssetKey("agreed_definitions"),
        dg.AssetKey("source_mapping"),
    } <= ancestors


def test_dbt_models_are_grouped_by_layer(asset_graph):
    groups = {key: asset_graph.get(key).group_name for key in asset_graph.get_all_asset_keys()}
    assert groups[dg.AssetKey(["staging", "stg_salesforce__leads"])] == "staging"
    assert groups[dg.AssetKey(["marts", "lead_funnel"])] == "marts"
    assert groups[dg.AssetKey(["salesforce", "lead"])] == "salesforce_raw"
    assert layer_of(["revenue_warehouse", "intermediate", "int_x"]) == "intermediate"


REPORT = dg.AssetKey(["reports", "weekly_pipeline_review"])


def test_nightly_schedule_runs_everything_but_the_report_at_two_in_amsterdam():
    schedule = defs.resolve_schedule_def("nightly_refresh_schedule")
    assert schedule.cron_schedule == "0 2 * * 1-6"
    assert schedule.execution_timezone == "Europe/Amsterdam"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    job = defs.resolve_job_def("nightly_refresh")
    everything = defs.resolve_asset_graph().executable_asset_keys
    assert job.asset_layer.executable_asset_keys == everything - {REPORT}


def test_sunday_night_is_a_full_refresh_of_the_same_assets():
    full = defs.resolve_schedule_def("weekly_full_refresh_schedule")
    assert (full.cron_schedule, full.execution_timezone) == ("0 2 * * 0", "Europe/Amsterdam")
    assert full.default_status == dg.DefaultScheduleStatus.RUNNING
    job = defs.resolve_job_def(full.job_name)
    assert job.tags[FULL_REFRESH_TAG] == "true"
    nightly = defs.resolve_job_def("nightly_refresh")
    assert job.asset_layer.executable_asset_keys == nightly.asset_layer.executable_asset_keys


def test_monday_report_has_its_own_schedule_at_seven():
    schedule = defs.resolve_schedule_def("weekly_pipeline_review_schedule")
    assert schedule.cron_schedule == "0 7 * * 1"
    assert schedule.execution_timezone == "Europe/Amsterdam"
    job = defs.resolve_job_def("weekly_pipeline_review")
    assert job.asset_layer.executable_asset_keys == {REPORT}


def test_dbt_build_arguments():
    nightly = ["build", "--exclude-resource-type", "unit_test"]
    assert dbt_build_args(full_refresh=False) == nightly
    assert dbt_build_args(full_refresh=True) == [*nightly, "--full-refresh"]
    # A quiet night leaves current views as they are, and runs the tests on them.
    assert dbt_build_args(full_refresh=False, views_current=True) == [
        *nightly,
        "--exclude",
        "config.materialized:view,resource_type:model",
        "--indirect-selection",
        "empty",
    ]
    # Tests carried over are left out by name, beside the views.
    assert dbt_build_args(False, True, ["pk_a", "pk_b"]) == [
        *nightly,
        "--exclude",
        "config.materialized:view,resource_type:model pk_a pk_b",
        "--indirect-selection",
        "empty",
    ]
    assert dbt_build_args(False, False, ["pk_a"]) == [*nightly, "--exclude", "pk_a"]


def test_loading_the_definitions_leaves_the_chart_library_for_the_monday_report():
    # Every nightly run loads the definitions; only the Monday report draws charts.
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, orchestration.definitions; "
            "print(sorted({'altair', 'vl_convert', 'dagster_dbt'} & set(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    # dagster_dbt shows the definitions did load.
    assert loaded.stdout.strip().splitlines()[-1] == "['dagster_dbt']"
