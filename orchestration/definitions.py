"""The Dagster code location: assets, checks, jobs, schedules and resources."""

import dagster as dg

from orchestration.agreements.assets import agreed_definitions, source_mapping
from orchestration.checks.assets import definition_checks
from orchestration.dbt.assets import revenue_dbt_models
from orchestration.dbt.project import DBT_EXECUTABLE, revenue_dbt_project
from orchestration.dbt.resource import RevenueDbtCliResource
from orchestration.ingest.assets import export_assets_for
from orchestration.publish.assets import analytics_duckdb
from orchestration.reports.assets import weekly_pipeline_review_report
from orchestration.reports.review_log import weekly_reviews_rendered
from orchestration.resources import WarehouseResource
from orchestration.run_console import PROGRESS_LOGGER, progress_logger
from orchestration.schedules import (
    full_refresh_job,
    nightly_refresh_job,
    nightly_refresh_schedule,
    weekly_full_refresh_schedule,
    weekly_review_job,
    weekly_review_schedule,
)


def build_definitions(warehouse: WarehouseResource) -> dg.Definitions:
    return dg.Definitions(
        assets=[
            *export_assets_for(warehouse.paths.landing_dir),
            agreed_definitions,
            source_mapping,
            weekly_reviews_rendered,
            revenue_dbt_models,
            analytics_duckdb,
            weekly_pipeline_review_report,
        ],
        asset_checks=definition_checks,
        jobs=[nightly_refresh_job, full_refresh_job, weekly_review_job],
        schedules=[nightly_refresh_schedule, weekly_full_refresh_schedule, weekly_review_schedule],
        resources={
            "warehouse": warehouse,
            "dbt": RevenueDbtCliResource(
                project_dir=revenue_dbt_project, dbt_executable=DBT_EXECUTABLE
            ),
        },
        # Every step writes the same DuckDB file, which allows one writing process.
        executor=dg.in_process_executor,
        # The progress logger is used only when a run's config turns it on (`make run`).
        loggers={**dg.default_loggers(), PROGRESS_LOGGER: progress_logger},
    )


defs = build_definitions(WarehouseResource.from_environment())
