"""Jobs and schedules: the refresh at 02:00 every night (a full refresh on Sundays) and
the Monday report at 07:00."""

import dagster as dg

from orchestration.reports.assets import REPORTS_GROUP
from orchestration.run_tags import FULL_REFRESH_TAG, WRITER_TAG

SCHEDULE_TIME_ZONE = "Europe/Amsterdam"

# dagster.yaml lets one run with this tag be in progress at a time: the build database
# takes a single writing process, and two refreshes would publish over each other.
WAREHOUSE_WRITER_TAG = {WRITER_TAG: "true"}

WAREHOUSE_ASSETS = dg.AssetSelection.all() - dg.AssetSelection.groups(REPORTS_GROUP)

nightly_refresh_job = dg.define_asset_job(
    name="nightly_refresh",
    selection=WAREHOUSE_ASSETS,
    description=(
        "Ingest what arrived since the last run, bring every model up to date, check, "
        "publish the BI file."
    ),
    tags=WAREHOUSE_WRITER_TAG,
)

full_refresh_job = dg.define_asset_job(
    name="full_refresh",
    selection=WAREHOUSE_ASSETS,
    description="Read every export file again and rebuild every model from scratch.",
    tags={**WAREHOUSE_WRITER_TAG, FULL_REFRESH_TAG: "true"},
)

nightly_refresh_schedule = dg.ScheduleDefinition(
    name="nightly_refresh_schedule",
    job=nightly_refresh_job,
    cron_schedule="0 2 * * 1-6",
    execution_timezone=SCHEDULE_TIME_ZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

# Weeknights test only the rows loaded or processed since the last build (the `where`
# config of the tests on the activity histories); Sunday's full refresh tests every
# row again and rebuilds every incremental model from the exports.
weekly_full_refresh_schedule = dg.ScheduleDefinition(
    name="weekly_full_refresh_schedule",
    job=full_refresh_job,
    cron_schedule="0 2 * * 0",
    execution_timezone=SCHEDULE_TIME_ZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

weekly_review_job = dg.define_asset_job(
    name="weekly_pipeline_review",
    selection=dg.AssetSelection.groups(REPORTS_GROUP),
    description="Render last week's pipeline review from the published BI file.",
    # No writer tag: the report only opens the BI file read-only, and a publish swaps
    # that file atomically, so it reads a complete version even during a refresh.
    # Queueing it behind the writer would let a stuck refresh delay Monday's review.
)

weekly_review_schedule = dg.ScheduleDefinition(
    name="weekly_pipeline_review_schedule",
    job=weekly_review_job,
    cron_schedule="0 7 * * 1",
    execution_timezone=SCHEDULE_TIME_ZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
