"""dbt unit tests (the KPI logic on hand-derived inputs), run here instead of nightly.

They need the models' relations to exist, so they run against the fixture warehouse
that the session already built.
"""

from __future__ import annotations

import json
import os
import subprocess

from orchestration.dbt.assets import dbt_environment
from orchestration.dbt.project import DBT_EXECUTABLE
from tests.conftest import PROJECT_DBT_DIR


def test_every_dbt_unit_test_passes(fixture_run, tmp_path):
    target = tmp_path / "target"
    completed = subprocess.run(
        [
            DBT_EXECUTABLE,
            "test",
            "--select",
            "test_type:unit",
            "--project-dir",
            PROJECT_DBT_DIR,
            "--profiles-dir",
            PROJECT_DBT_DIR,
            "--target-path",
            target,
            "--log-path",
            tmp_path / "logs",
        ],
        env={**os.environ, **dbt_environment(fixture_run.warehouse)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:]
    defined = set(json.loads((target / "manifest.json").read_text())["unit_tests"])
    results = json.loads((target / "run_results.json").read_text())["results"]
    assert defined, "the project defines dbt unit tests"
    assert {result["unique_id"] for result in results} == defined
    assert {result["status"] for result in results} == {"pass"}
