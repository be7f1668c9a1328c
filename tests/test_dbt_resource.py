"""The code location's dbt resource starts dbt without opening a dbt adapter first."""

from __future__ import annotations

import logging

from dagster_dbt import DbtCliResource

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
