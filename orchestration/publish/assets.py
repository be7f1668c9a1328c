"""The BI-facing DuckDB file: the marts, published only when blocking checks pass."""

import dagster as dg

from orchestration.dbt.assets import mart_asset_keys
from orchestration.publish.bi_file import publish_marts
from orchestration.resources import WarehouseResource


@dg.asset(
    key=dg.AssetKey(["bi", "analytics_duckdb"]),
    deps=mart_asset_keys(),
    group_name="publishing",
    kinds={"duckdb"},
    description=(
        "`analytics.duckdb`: the marts only, for BI tools. Replaced atomically; blocking "
        "definition checks on the marts must pass first, so a failed check leaves the "
        "previous version in place."
    ),
)
def analytics_duckdb(warehouse: WarehouseResource) -> dg.MaterializeResult:
    tables = [key.path[-1] for key in mart_asset_keys()]
    published = publish_marts(
        warehouse.paths.build_database,
        warehouse.paths.analytics_database,
        "marts",
        tables,
        warehouse.duckdb_limits,
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(warehouse.paths.analytics_database)),
            "tables": dg.MetadataValue.md(
                "\n".join(f"- `{table.name}`: {table.rows} rows" for table in published)
            ),
        }
    )
