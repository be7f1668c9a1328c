"""One asset per export file: Salesforce objects and Marketo exports into the raw layer."""

import dagster as dg

from orchestration.agreements.documents import load_source_mapping
from orchestration.ingest.csv_loader import QUARANTINE_TABLE, load_export
from orchestration.ingest.exports import EXPORTS, ExportSpec
from orchestration.resources import WarehouseResource


def build_export_asset(spec: ExportSpec) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(spec.asset_key_path),
        group_name=f"{spec.source}_raw",
        kinds={"csv", "duckdb"},
        description=f"{spec.description} Loaded from `{spec.relative_path}`.",
    )
    def load(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        paths = warehouse.paths
        custom_fields = (
            load_source_mapping(paths.source_mapping_file).custom_fields_for(spec.object_name)
            if spec.source == "salesforce"
            else {}
        )
        source_file = paths.landing_dir / spec.relative_path
        with warehouse.connect() as connection:
            result = load_export(connection, spec, source_file, custom_fields)
        if result.rows_quarantined:
            context.log.warning(
                f"{result.rows_quarantined} row(s) of {source_file} set aside in {QUARANTINE_TABLE}"
            )
        return dg.MaterializeResult(
            metadata={
                "source_file": dg.MetadataValue.path(str(source_file)),
                "rows_loaded": result.rows_loaded,
                "rows_quarantined": result.rows_quarantined,
                "dagster/row_count": result.rows_loaded,
                "columns": ", ".join(result.columns),
            }
        )

    return load


export_assets = [build_export_asset(spec) for spec in EXPORTS]
