"""The code location's dbt resource starts dbt without opening a dbt adapter first, and
`dagster dev` parses the project with the venv's dbt."""

from __future__ import annotations

import json
import logging
import shutil

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.dbt.project import VenvDbtProjectPreparer, revenue_dbt_project
from orchestration.dbt.resource import RevenueDbtCliResource
from orchestration.definitions import defs


def test_dbt_command_starts_without_an_adapter_in_this_process(tmp_path, caplog):
    dbt = defs.resources["dbt"]
    assert isinstance(dbt, RevenueDbtCliResource)
    # The override replaces dagster-dbt's own hook, by its name in the installed version.
    assert "_initialize_dbt_core_adapter" in vars(DbtCliResource)
    # `revenue-dbt --version` answers without starting dbt: only dagster-dbt's own work
    # before the command is exercised. dagster-dbt's resource hands the command a
    # DuckDB adapter it opened here; an override it called wrongly would be logged as
    # a warning, and the command would still get none.
    with caplog.at_level(logging.WARNING):
        invocation = dbt.cli(["--version"], target_path=tmp_path)
    assert invocation.adapter is None
    assert [record.getMessage() for record in caplog.records] == []
    assert invocation.wait().is_successful()


def test_dagster_dev_parses_with_the_dbt_beside_the_interpreter(tmp_path, monkeypatch):
    # `.venv/bin/dagster dev` without the venv activated: no dbt on PATH.
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert shutil.which("dbt") is None
    project = DbtProject(
        project_dir=revenue_dbt_project.project_dir, target_path=tmp_path / "target"
    )
    monkeypatch.setenv("DAGSTER_IS_DEV_CLI", "1")
    VenvDbtProjectPreparer().prepare_if_dev(project)
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    assert "model.revenue_warehouse.lead_funnel" in manifest["nodes"]
