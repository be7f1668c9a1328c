"""The dbt project, parsed once per code location load."""

from __future__ import annotations

import sys
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import PROJECT_ROOT

# The dbt installed next to this interpreter, so nobody has to activate the venv,
# started through `revenue-dbt` so that it dies with the run (dbt/tethered.py).
DBT_EXECUTABLE = str(Path(sys.executable).parent / "revenue-dbt")

revenue_dbt_project = DbtProject(project_dir=PROJECT_ROOT / "dbt_project")
# In `dagster dev` the manifest is rebuilt from the models on every reload; deployed
# code ships the manifest built by `make install` (`dbt parse`).
revenue_dbt_project.prepare_if_dev()
