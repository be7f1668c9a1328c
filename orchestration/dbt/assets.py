"""dbt models as Dagster assets; dbt tests run in the same build as asset checks."""

import os

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt.project import revenue_dbt_project
from orchestration.dbt.translator import RevenueDbtTranslator
from orchestration.resources import WarehouseResource
from orchestration.run_tags import is_full_refresh

BUILD_DATABASE_ENV = "REVENUE_BUILD_DATABASE"


def dbt_build_args(full_refresh: bool) -> list[str]:
    """Arguments for `dbt build`; selection comes from the Dagster run."""
    return ["build", *(["--full-refresh"] if full_refresh else [])]


def dbt_environment(warehouse: WarehouseResource) -> dict[str, str]:
    """What dbt's profile reads, so dbt and Dagster always open the same database."""
    return {
        BUILD_DATABASE_ENV: str(warehouse.paths.build_database),
        "REVENUE_DUCKDB_MEMORY_LIMIT": warehouse.memory_limit,
        "REVENUE_DUCKDB_THREADS": str(warehouse.threads),
    }


@dbt_assets(
    manifest=revenue_dbt_project.manifest_path,
    project=revenue_dbt_project,
    dagster_dbt_translator=RevenueDbtTranslator(),
)
def revenue_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
):
    # dagster-dbt hands this process's environment to the dbt subprocess.
    os.environ.update(dbt_environment(warehouse))
    yield from dbt.cli(dbt_build_args(is_full_refresh(context)), context=context).stream()


def mart_asset_keys() -> list[dg.AssetKey]:
    """Every model under `models/marts`: exactly what the BI file publishes."""
    return [spec.key for spec in revenue_dbt_models.specs if spec.group_name == "marts"]
