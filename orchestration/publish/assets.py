"""The BI-facing DuckDB file: the marts, published only when blocking checks pass."""

import dagster as dg

from orchestration.dbt.assets import mart_asset_keys
from orchestration.publish.bi_file import PublishedTable, publish_marts
from orchestration.publish.publish_record import needs_new_file, record_publish
from orchestration.resources import WarehouseResource
from orchestration.run_tags import is_full_refresh


@dg.asset(
    key=dg.AssetKey(["bi", "analytics_duckdb"]),
    deps=mart_asset_keys(),
    group_name="publishing",
    kinds={"duckdb"},
    description=(
        "`analytics.duckdb`: the marts only, for BI tools. Replaced atomically; blocking "
        "definition checks on the marts must pass first, so a failed check leaves the "
        "previous version in place. A quiet night rewrites only the rows that changed, "
        "in a copy of the previous version; a full refresh writes a new file."
    ),
)
def analytics_duckdb(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    tables = [key.path[-1] for key in mart_asset_keys()]
    published = publish_marts(
        warehouse.paths.build_database,
        warehouse.paths.analytics_database,
        "marts",
        tables,
        warehouse.duckdb_limits,
        from_scratch=is_full_refresh(context) or needs_new_file(warehouse.paths),
    )
    record_publish(warehouse.paths)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(warehouse.paths.analytics_database)),
            "written": (
                "changed rows only, in a copy of the previous version"
                if published and published[0].change
                else "a new file"
            ),
            "tables": dg.MetadataValue.md("\n".join(map(_described, published))),
        }
    )


def _described(table: PublishedTable) -> str:
    if table.change is None:
        return f"- `{table.name}`: {table.rows:,} rows"
    return (
        f"- `{table.name}`: {table.rows:,} rows "
        f"({table.change.rows_removed:,} removed, {table.change.rows_added:,} added)"
    )
