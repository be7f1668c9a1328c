"""dbt models as Dagster assets; dbt tests run in the same build as asset checks."""

import os

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.agreements.documents import load_source_mapping
from orchestration.dbt.build_state import (
    last_build_fingerprint,
    manifest_fingerprint,
    needs_full_refresh,
    record_build,
)
from orchestration.dbt.project import revenue_dbt_project
from orchestration.dbt.translator import RevenueDbtTranslator
from orchestration.ingest.absent_systems import MissingSystemError, load_absent_systems
from orchestration.ingest.privacy import privacy_rules
from orchestration.resources import WarehouseResource
from orchestration.run_tags import expects_shrink, is_full_refresh

BUILD_DATABASE_ENV = "REVENUE_BUILD_DATABASE"


def dbt_build_args(full_refresh: bool) -> list[str]:
    """Arguments for `dbt build`; selection comes from the Dagster run.

    Unit tests check SQL logic on fixed inputs, not the night's data: they run in the
    test suite (tests/test_dbt_unit_tests.py), as dbt recommends, not every night.
    """
    return [
        "build",
        "--exclude-resource-type",
        "unit_test",
        *(["--full-refresh"] if full_refresh else []),
    ]


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
    fingerprint = manifest_fingerprint(
        revenue_dbt_project.manifest_path,
        [warehouse.paths.definitions_file, warehouse.paths.source_mapping_file],
    )
    with warehouse.connect() as connection:
        last_fingerprint = last_build_fingerprint(connection)
        # dbt's sources of a CRM system the landing folder does not hold: empty tables.
        try:
            absent = load_absent_systems(
                connection,
                warehouse.paths.landing_dir,
                privacy_rules(warehouse.paths.warehouse_dir),
                load_source_mapping(warehouse.paths.source_mapping_file).max_shrink_share,
                lambda asset_path: expects_shrink(context, asset_path),
            )
        except MissingSystemError as error:
            raise dg.Failure(description=str(error)) from error
    for note in absent:
        context.log.info(note)
    full_refresh = needs_full_refresh(is_full_refresh(context), last_fingerprint, fingerprint)
    if full_refresh and not is_full_refresh(context):
        context.log.info(
            "Full refresh: first build, or the models' code or the agreements changed "
            "since the last complete build."
        )
    yield from dbt.cli(
        dbt_build_args(full_refresh),
        context=context,
        target_path=warehouse.paths.dbt_target_dir,
    ).stream()
    # A partial build leaves other models as they were, so only a complete one
    # vouches for the fingerprint.
    if context.selected_asset_keys == context.assets_def.keys:
        with warehouse.connect() as connection:
            record_build(connection, fingerprint, full_refresh)


def mart_asset_keys() -> list[dg.AssetKey]:
    """Every model under `models/marts`: exactly what the BI file publishes."""
    return [spec.key for spec in revenue_dbt_models.specs if spec.group_name == "marts"]
