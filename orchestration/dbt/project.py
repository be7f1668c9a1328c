"""The dbt project, parsed once per code location load."""

from __future__ import annotations

import sys
from pathlib import Path

from dagster_dbt import DbtProject
from dagster_dbt.dbt_project import DagsterDbtProjectPreparer

from orchestration.dbt.resource import RevenueDbtCliResource
from orchestration.settings import PROJECT_ROOT

# The dbt installed next to this interpreter, so nobody has to activate the venv,
# started through `revenue-dbt` so that it dies with the run (dbt/tethered.py).
DBT_EXECUTABLE = str(Path(sys.executable).parent / "revenue-dbt")


class VenvDbtProjectPreparer(DagsterDbtProjectPreparer):
    """dagster-dbt's preparer (which a DbtProject cannot be given in dagster-dbt 0.29),
    parsing with the dbt next to this interpreter.

    dagster-dbt's own parses with the `dbt` on PATH, so `.venv/bin/dagster dev` started
    without the venv activated could not load the code location. Its guard against two
    processes parsing at once (the webserver's and the daemon's loads) is kept: only
    the step it guards is replaced. tests/test_dbt_resource.py fails if dagster-dbt
    stops calling it.
    """

    def _prepare_manifest(self, project: DbtProject) -> None:
        RevenueDbtCliResource(project_dir=project, dbt_executable=DBT_EXECUTABLE).cli(
            ["parse", "--quiet"], target_path=project.target_path
        ).wait()


revenue_dbt_project = DbtProject(project_dir=PROJECT_ROOT / "dbt_project")
# In `dagster dev` the manifest is rebuilt from the models on every reload; deployed
# code ships the manifest built by `make install` (`dbt parse`).
VenvDbtProjectPreparer().prepare_if_dev(revenue_dbt_project)
