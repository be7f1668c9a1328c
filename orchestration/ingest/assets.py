"""One asset per export file: Salesforce objects and Marketo exports into the raw layer."""

import dagster as dg

from orchestration.agreements.documents import load_agreed_definitions, load_source_mapping
from orchestration.checks.exports import export_check_results, export_check_specs
from orchestration.ingest.csv_loader import QUARANTINE_TABLE, export_files, load_export
from orchestration.ingest.exports import EXPORTS, ExportSpec
from orchestration.ingest.privacy import privacy_rules
from orchestration.resources import WarehouseResource
from orchestration.run_tags import is_full_refresh


def build_export_asset(spec: ExportSpec) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(spec.asset_key_path),
        group_name=f"{spec.source}_raw",
        kinds={"csv", "duckdb"},
        description=f"{spec.description} Loaded from `{spec.relative_path}`.",
        check_specs=export_check_specs(spec),
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
        files = export_files(paths.landing_dir, spec)
        privacy = privacy_rules(paths.warehouse_dir)
        with warehouse.connect() as connection:
            result = load_export(
                connection, spec, files, custom_fields, privacy, is_full_refresh(context)
            )
            check_results = export_check_results(
                connection, spec, load_agreed_definitions(paths.definitions_file)
            )
        if result.rows_quarantined:
            context.log.warning(
                f"{result.rows_quarantined} row(s) of {spec.relative_path} set aside in "
                f"{QUARANTINE_TABLE}"
            )
        return dg.MaterializeResult(
            metadata={
                "source_files": dg.MetadataValue.md("\n".join(f"- `{f}`" for f in files)),
                "rows_read": result.rows_read,
                "rows_loaded": result.rows_loaded,
                "rows_quarantined": result.rows_quarantined,
                "rows_superseded": result.rows_superseded,
                "rows_erased": result.rows_erased,
                "dagster/row_count": result.rows_loaded,
            },
            check_results=check_results,
        )

    return load


export_assets = [build_export_asset(spec) for spec in EXPORTS]
