"""Run tags that change what a run does, read by the assets and resources that honour them."""

import dagster as dg

# Runs that write the warehouse: dagster.yaml lets one such run be in progress at a
# time, and each holds the warehouse lock (orchestration/warehouse_lock.py) throughout,
# as `make run` and `make erase` do.
WRITER_TAG = "revenue-warehouse/writer"

# Read every export file again and rebuild every dbt model from scratch, instead of
# merging only what arrived since the last run.
FULL_REFRESH_TAG = "revenue-warehouse/full-refresh"


def is_full_refresh(context: dg.AssetExecutionContext) -> bool:
    return context.run.tags.get(FULL_REFRESH_TAG) == "true"


def is_writer(run: dg.DagsterRun) -> bool:
    return run.tags.get(WRITER_TAG) == "true"


# Export asset paths ("salesforce/lead", comma-separated) or "all": their rows may
# shrink against the last accepted load beyond the volume guard's tolerance this run.
EXPECTED_SHRINK_TAG = "revenue-warehouse/expected-shrink"


def expects_shrink(context: dg.AssetExecutionContext, asset_path: list[str]) -> bool:
    expected = {p.strip() for p in context.run.tags.get(EXPECTED_SHRINK_TAG, "").split(",")}
    return "all" in expected or "/".join(asset_path) in expected
