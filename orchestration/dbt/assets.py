"""dbt models as Dagster assets; dbt tests run in the same build as asset checks."""

import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.agreements.documents import load_source_mapping
from orchestration.agreements.history import definition_files
from orchestration.dbt.agreement_tests import (
    agreement_data_tests,
    agreement_schemas,
    agreement_tables_digest,
    carried_tests,
    record_vouched,
    still_vouched_for,
    vouched_by_last_complete_build,
    with_carried_results,
)
from orchestration.dbt.build_state import (
    build_fingerprint,
    code_in_place,
    installed_build_tools,
    needs_full_refresh,
    record_attempt,
    record_build,
)
from orchestration.dbt.current_views import (
    VIEWS_LEFT_AS_THEY_ARE,
    view_models,
    views_still_bind,
    views_varying_by_build,
    with_views_materialised,
)
from orchestration.dbt.project import revenue_dbt_project
from orchestration.dbt.tethered import PARENT_PID_ENV
from orchestration.dbt.translator import RevenueDbtTranslator
from orchestration.ingest.absent_systems import MissingSystemError, load_absent_systems
from orchestration.ingest.privacy import KEY_ENV, privacy_rules
from orchestration.resources import WarehouseResource
from orchestration.run_tags import expects_shrink, is_full_refresh

BUILD_DATABASE_ENV = "REVENUE_BUILD_DATABASE"
# Secrets this process may hold that dbt has no use for: the pseudonym key, and the
# password of the instance's PostgreSQL (deploy/dagster.production.yaml).
SECRET_ENV_VARS = (KEY_ENV, "DAGSTER_PG_PASSWORD")


def dbt_build_args(
    full_refresh: bool, views_current: bool = False, tests_carried: Sequence[str] = ()
) -> list[str]:
    """Arguments for `dbt build`; selection comes from the Dagster run.

    Unit tests check SQL logic on fixed inputs, not the night's data: they run in the
    test suite (tests/test_dbt_unit_tests.py), as dbt recommends, not every night.
    Views already current are left as they are (current_views.py), and so are the data
    tests named in `tests_carried` (agreement_tests.py).
    """
    excluded = [*([VIEWS_LEFT_AS_THEY_ARE] if views_current else []), *tests_carried]
    return [
        "build",
        "--exclude-resource-type",
        "unit_test",
        *(["--full-refresh"] if full_refresh else []),
        # dbt reads the spaces between selectors as "or".
        *(["--exclude", " ".join(excluded)] if excluded else []),
        *(["--indirect-selection", "empty"] if views_current else []),
    ]


def dbt_environment(warehouse: WarehouseResource) -> dict[str, str]:
    """What dbt's profile reads, so dbt and Dagster always open the same database, and
    the process dbt must die with."""
    return {
        BUILD_DATABASE_ENV: str(warehouse.paths.build_database),
        "REVENUE_DUCKDB_MEMORY_LIMIT": warehouse.memory_limit,
        "REVENUE_DUCKDB_THREADS": str(warehouse.threads),
        PARENT_PID_ENV: str(os.getpid()),
    }


@contextmanager
def secrets_withheld() -> Iterator[None]:
    """This process's environment without the secrets, while a child is started.

    dagster-dbt gives dbt a copy of the whole environment. Steps run one at a time in
    this process, so no other step reads the environment meanwhile.
    """
    withheld = {name: os.environ.pop(name) for name in SECRET_ENV_VARS if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(withheld)


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
    manifest = json.loads(revenue_dbt_project.manifest_path.read_text())
    fingerprint = build_fingerprint(
        manifest,
        [*definition_files(warehouse.paths.definitions_dir), warehouse.paths.source_mapping_file],
        installed_build_tools(),
    )
    views = view_models(manifest)
    varying = views_varying_by_build(manifest)
    translator = RevenueDbtTranslator()
    with warehouse.connect() as connection:
        built_with = code_in_place(connection)
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
        full_refresh = needs_full_refresh(is_full_refresh(context), built_with, fingerprint)
        agreement_tests = agreement_data_tests(
            manifest,
            varying,
            agreement_tables_digest(connection, agreement_schemas(manifest)),
        )
        # A run of some models keeps dagster-dbt's own selection of them and their tests.
        quiet = not full_refresh and not context.is_subset
        views_current = quiet and not varying and views_still_bind(connection, views)
        carried = carried_tests(
            still_vouched_for(agreement_tests, vouched_by_last_complete_build(connection))
            if quiet
            else [],
            manifest,
            translator,
            revenue_dbt_project,
            context.selected_asset_check_keys,
        )
        attempt = record_attempt(connection, fingerprint)
    for note in absent:
        context.log.info(note)
    if full_refresh and not is_full_refresh(context):
        context.log.info(
            "Full refresh: first build, or the models' code, the build tools or the "
            "agreements changed since the last complete build, or a build since then "
            "ran other code."
        )
    with secrets_withheld():
        build = dbt.cli(
            dbt_build_args(full_refresh, views_current, [test.name for test in carried]),
            context=context,
            target_path=warehouse.paths.dbt_target_dir,
        )
    asset_key_of_output = context.assets_def.keys_by_output_name.__getitem__
    events = build.stream()
    if views_current:
        events = with_views_materialised(
            events,
            {
                translator.get_asset_key(manifest["nodes"][view.unique_id]): view.unique_id
                for view in views
            },
            context.assets_def.asset_deps,
            asset_key_of_output,
            lambda asset_key: (
                check for check in context.assets_def.check_keys if check.asset_key == asset_key
            ),
            passed_already={test.check_key for test in carried},
        )
    yield from with_carried_results(events, carried, asset_key_of_output)
    # A run of some models, or of some of their tests ("Materialize selected" in the
    # UI), leaves the others as they were and rows untested, so only a build of
    # everything vouches for the fingerprint and for the data tests' watermark.
    if not context.is_subset:
        with warehouse.connect() as connection:
            record_build(connection, attempt, fingerprint, full_refresh)
            record_vouched(connection, attempt, agreement_tests)


def mart_asset_keys() -> list[dg.AssetKey]:
    """Every model under `models/marts`: exactly what the BI file publishes."""
    return [spec.key for spec in revenue_dbt_models.specs if spec.group_name == "marts"]
