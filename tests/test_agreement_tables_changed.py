"""A quiet night runs the agreement tables' tests again when those tables' rows changed
without the files (orchestration/dbt/agreement_tests.py): the build fingerprint reads
the files, not the tables."""

from __future__ import annotations

import dagster as dg
import duckdb

from orchestration.dbt.assets import revenue_dbt_models
from orchestration.definitions import build_definitions
from orchestration.nightly import run_nightly_refresh
from tests.conftest import FIXTURE_LANDING, copy_landing, dbt_results, make_warehouse

USER_TEAMS_KEY = "test.revenue_warehouse.primary_key_stg_source_mapping__user_teams_team_attribute"


def test_a_duplicate_written_into_an_agreement_table_fails_the_next_build(tmp_path):
    warehouse = make_warehouse(
        copy_landing(FIXTURE_LANDING, tmp_path / "landing"), tmp_path / "warehouse"
    )
    instance = dg.DagsterInstance.ephemeral()
    assert run_nightly_refresh(build_definitions(warehouse), instance).success
    assert any(node.startswith(USER_TEAMS_KEY) for node in dbt_results(warehouse))
    # A row written twice, as code that writes the tables otherwise, or a run that
    # wrote them from other files than those the fingerprint reads, could leave them.
    with duckdb.connect(str(warehouse.paths.build_database)) as connection:
        connection.execute(
            "insert into source_mapping.user_teams select * from source_mapping.user_teams limit 1"
        )
    # Every dbt model, the agreement assets left out: the same code and files, so no
    # full refresh.
    result = (
        build_definitions(warehouse)
        .resolve_job_def("nightly_refresh")
        .execute_in_process(
            instance=instance, asset_selection=list(revenue_dbt_models.keys), raise_on_error=False
        )
    )
    assert not result.success
    ran = dbt_results(warehouse)
    (user_teams_key,) = [node for node in ran if node.startswith(USER_TEAMS_KEY)]
    assert ran[user_teams_key] == "fail"
