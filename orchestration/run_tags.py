"""Run tags that change what a run does, read by the assets that honour them."""

import dagster as dg

# Read every export file again and rebuild every dbt model from scratch, instead of
# merging only what arrived since the last run.
FULL_REFRESH_TAG = "revenue-warehouse/full-refresh"


def is_full_refresh(context: dg.AssetExecutionContext) -> bool:
    return context.run.tags.get(FULL_REFRESH_TAG) == "true"
