"""What `make run` prints: progress while it runs, the cause when it fails."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from types import SimpleNamespace

import dagster as dg

from orchestration.run_console import ProgressHandler, dbt_failures
from orchestration.settings import PROJECT_ROOT
from tests.conftest import SALES_LED_ORG


def test_a_failed_run_ends_with_the_cause_naming_file_and_column(tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(SALES_LED_ORG / "landing", landing)
    lead_file = landing / "salesforce" / "Lead.csv"
    header, *rows = lead_file.read_text().splitlines()
    status = header.split(",").index("Status")
    lead_file.write_text(
        "\n".join(
            ",".join(v for i, v in enumerate(line.split(",")) if i != status)
            for line in [header, *rows]
        )
        + "\n"
    )
    environment = {
        **os.environ,
        "REVENUE_LANDING_DIR": str(landing),
        "REVENUE_WAREHOUSE_DIR": str(tmp_path / "warehouse"),
        "REVENUE_SOURCE_MAPPING_FILE": str(SALES_LED_ORG / "source_mapping.yml"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
    }
    (tmp_path / "dagster_home").mkdir()
    run = subprocess.run(
        [sys.executable, "-m", "orchestration.nightly"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1
    # Progress: finished steps with their count and elapsed time.
    assert "] 1/30 " in run.stderr and "salesforce__user done" in run.stderr
    assert "salesforce__lead FAILED" in run.stderr
    # The cause names the file and the column, and no stack trace reaches the console.
    assert (
        f"  - salesforce__lead: ExportFileError: {lead_file}: required column(s) 'Status' "
        "missing; the file has 11 column(s)" in run.stderr
    )
    assert "Traceback" not in run.stderr + run.stdout
    assert "Stack Trace" not in run.stderr + run.stdout
    assert "the BI file was not replaced" in run.stderr
    assert not (tmp_path / "warehouse" / "analytics.duckdb").exists()


def test_dbt_failures_name_each_failed_node_with_the_first_line_of_its_message(tmp_path):
    (tmp_path / "run_results.json").write_text(
        json.dumps(
            {
                "results": [
                    {"unique_id": "model.revenue_warehouse.lead_funnel", "status": "success"},
                    {
                        "unique_id": "model.revenue_warehouse.opportunity_pipeline",
                        "status": "error",
                        "message": "Binder Error: column x not found\nLINE 3: ...",
                    },
                    {
                        "unique_id": "test.revenue_warehouse.not_null_lead_funnel_lead_id",
                        "status": "fail",
                        "message": "Got 2 results, configured to fail if != 0",
                    },
                    {"unique_id": "test.revenue_warehouse.unique_x", "status": "warn"},
                ]
            }
        )
    )
    assert dbt_failures(tmp_path) == [
        "dbt model.revenue_warehouse.opportunity_pipeline: Binder Error: column x not found",
        "dbt test.revenue_warehouse.not_null_lead_funnel_lead_id: Got 2 results, configured "
        "to fail if != 0",
    ]
    assert dbt_failures(tmp_path / "nowhere") == []


def test_dbt_progress_counts_every_model_up_to_date_views_left_as_they_are_included():
    # On a quiet night most views are not built but reported as materialised: the count
    # is of models up to date, not of models built.
    handler = ProgressHandler(steps=20, dbt_models=3, stream=io.StringIO())
    materialised = SimpleNamespace(
        event_type=dg.DagsterEventType.ASSET_MATERIALIZATION, step_key="revenue_dbt_models"
    )
    assert [handler.describe(materialised) for _ in range(3)] == [
        "  dbt: 1/3 models up to date",
        "  dbt: 2/3 models up to date",
        "  dbt: 3/3 models up to date",
    ]
