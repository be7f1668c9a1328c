"""One asset per export file: Salesforce objects, Marketo and HubSpot exports into the
raw layer."""

from pathlib import Path

import dagster as dg

from orchestration.agreements.documents import (
    ConfigurationError,
    SourceMapping,
    load_source_mapping,
)
from orchestration.agreements.history import load_agreement_history
from orchestration.ingest.absent_systems import absent_systems
from orchestration.ingest.coverage import coverage_gaps, coverage_lines
from orchestration.ingest.csv_loader import load_export
from orchestration.ingest.csv_reading import export_files
from orchestration.ingest.exports import EXPORTS, ExportSpec, OrgFields
from orchestration.ingest.load_checks import export_check_results, export_check_specs
from orchestration.ingest.privacy import privacy_rules
from orchestration.ingest.quarantine import QUARANTINE_TABLE
from orchestration.resources import WarehouseResource
from orchestration.run_tags import expects_shrink, is_full_refresh


def org_fields(spec: ExportSpec, mapping: SourceMapping) -> OrgFields:
    """What the org's source mapping adds to this export's contract."""
    if spec.source == "hubspot":
        return OrgFields(aliases=dict(mapping.hubspot.properties_for(spec.object_name)))
    if spec.source != "salesforce":
        return OrgFields()
    return OrgFields(
        aliases=dict(mapping.custom_fields_for(spec.object_name)),
        signal_fields=mapping.lead_signal_fields if spec.signal_fields_column else (),
    )


def build_export_asset(spec: ExportSpec) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(spec.asset_key_path),
        group_name=f"{spec.source}_raw",
        kinds={"jsonl" if spec.is_json_lines else "csv", "duckdb"},
        description=f"{spec.description} Loaded from `{spec.relative_path}`.",
        check_specs=export_check_specs(spec),
    )
    def load(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        paths = warehouse.paths
        mapping = load_source_mapping(paths.source_mapping_file)
        fields = org_fields(spec, mapping)
        files = export_files(paths.landing_dir, spec)
        if files and spec.system not in mapping.systems:
            raise ConfigurationError(
                f"{mapping.path}: the landing folder holds {spec.system} exports "
                f"({spec.relative_path}), but the mapping has no '{spec.system}' section"
            )
        privacy = privacy_rules(paths.warehouse_dir)
        with warehouse.connect() as connection:
            result = load_export(connection, spec, files, fields, privacy, is_full_refresh(context))
            check_results = export_check_results(
                connection,
                spec,
                load_agreement_history(paths.definitions_dir).latest,
                result,
                mapping.max_shrink_share,
                expects_shrink(context, spec.asset_key_path),
            )
        notes = coverage_lines(coverage_gaps(spec, result))
        for note in notes:
            context.log.info(note)
        for problem in result.problems:
            context.log.error(problem)
        if result.conflicting_versions:
            context.log.warning(
                f"{result.conflicting_versions} record(s) of {spec.relative_path} have two "
                f"different versions with the same {spec.version_column}; the later file "
                "and row wins"
            )
        if result.rows_quarantined:
            context.log.warning(
                f"{result.rows_quarantined} row(s) of {spec.relative_path} set aside in "
                f"{QUARANTINE_TABLE}"
            )
        return dg.MaterializeResult(
            metadata={
                "source_files": dg.MetadataValue.md(
                    "\n".join(f"- `{f}`" for f in files) or "none: the org has no such export"
                ),
                "limited_by_missing_input": dg.MetadataValue.md(
                    "\n".join(f"- {note}" for note in notes) or "nothing"
                ),
                "rows_read": result.rows_read,
                "rows_loaded": result.rows_loaded,
                "rows_quarantined": result.rows_quarantined,
                "rows_superseded": result.rows_superseded,
                "rows_erased": result.rows_erased,
                "conflicting_versions": result.conflicting_versions,
                "dagster/row_count": result.rows_loaded,
            },
            check_results=check_results,
        )

    return load


export_assets = [build_export_asset(spec) for spec in EXPORTS]


def export_assets_for(landing_dir: Path) -> list[dg.AssetsDefinition]:
    """One asset per export of the CRM systems the landing folder holds: an org on
    Salesforce has no HubSpot steps in its runs (absent_systems.py loads their tables
    empty for dbt)."""
    absent = absent_systems(landing_dir)
    specs_and_assets = zip(EXPORTS, export_assets, strict=True)
    return [asset for spec, asset in specs_and_assets if spec.system not in absent]
