"""The code location's dbt resource starts dbt without opening a dbt adapter first."""

from __future__ import annotations

from orchestration.dbt.resource import RevenueDbtCliResource
from orchestration.definitions import defs


def test_dbt_command_starts_without_an_adapter_in_this_process(tmp_path):
    dbt = defs.resources["dbt"]
    assert isinstance(dbt, RevenueDbtCliResource)
    # `revenue-dbt --version` answers without starting dbt: only dagster-dbt's own work
    # before the command is exercised. dagster-dbt's resource hands the command a
    # DuckDB adapter it opened here.
    invocation = dbt.cli(["--version"], target_path=tmp_path)
    assert invocation.adapter is None
    assert invocation.wait().is_successful()
