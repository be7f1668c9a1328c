"""The dbt resource of the code location: dagster-dbt's, minus an adapter nothing reads."""

from __future__ import annotations

from collections.abc import Sequence

from dagster_dbt import DbtCliResource


class RevenueDbtCliResource(DbtCliResource):
    """dagster-dbt's `DbtCliResource`, without the dbt adapter it opens in the run's own
    process before every dbt command.

    dagster-dbt keeps that adapter for `fetch_row_counts()` and `fetch_column_metadata()`,
    which this project does not call. Opening it imports dbt, reads the profile and the
    project and loads dbt's own macros in the run's process, before dbt itself starts:
    1 to 2 s of every run. The hook is private to dagster-dbt (pinned below 0.30);
    tests/test_dbt_resource.py fails if a dbt command gets an adapter again, or if
    dagster-dbt calls the hook in a way this override does not take.
    """

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None
