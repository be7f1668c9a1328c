"""The agreed definitions and the source mapping, published as tables for dbt."""

import datetime as dt

import dagster as dg

from orchestration.agreements.applied import verify_and_record
from orchestration.agreements.documents import load_source_mapping, unproduced_signals
from orchestration.agreements.history import load_agreement_history
from orchestration.agreements.tables import (
    agreed_definition_tables,
    hubspot_mapping_tables,
    replace_config_tables,
    source_mapping_tables,
)
from orchestration.resources import WarehouseResource

AGREEMENTS_GROUP = "agreements"


@dg.asset(
    group_name=AGREEMENTS_GROUP,
    kinds={"yaml", "duckdb"},
    description=(
        "The one page marketing and sales both sign, every version of it: lead "
        "definition, MQL/SQL rules, follow-up window, disqualification reasons, channels "
        "and SLA targets. A signed version that was applied never changes: a run whose "
        "files change one fails, naming the version and the keys."
    ),
)
def agreed_definitions(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    definitions_dir = warehouse.paths.definitions_dir
    history = load_agreement_history(definitions_dir)
    applied = verify_and_record(history, warehouse.paths.warehouse_dir, dt.datetime.now(dt.UTC))
    for version in applied:
        context.log.info(f"Version {version} of the agreed definitions applied for the first time")
    with warehouse.connect() as connection:
        replace_config_tables(connection, "agreed_definitions", agreed_definition_tables(history))
    return dg.MaterializeResult(
        metadata={
            "definitions": dg.MetadataValue.path(str(definitions_dir)),
            "signed_versions": ", ".join(
                f"{v.version} (from {v.effective_date.isoformat()})" for v in history.signed
            ),
            "drafts": ", ".join(v.version for v in history.drafts) or "none",
            "latest_signed_by": ", ".join(f"{s.name} ({s.team})" for s in history.latest.sign_off),
        },
    )


@dg.asset(
    group_name=AGREEMENTS_GROUP,
    kinds={"yaml", "duckdb"},
    description=(
        "How this org's exports map onto the warehouse: custom fields, lead status "
        "picklist, sales/marketing teams, Marketo activity signals, the HubSpot portal."
    ),
)
def source_mapping(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    mapping_file = warehouse.paths.source_mapping_file
    mapping = load_source_mapping(mapping_file)
    history = load_agreement_history(warehouse.paths.definitions_dir)
    mapping.check_currency_against(history.latest)
    unproduced = sorted(
        {signal for version in history.versions for signal in unproduced_signals(version, mapping)}
    )
    if unproduced:
        context.log.warning(
            f"{mapping_file}: no signal rule produces {', '.join(unproduced)}, which the "
            "agreed definitions use"
        )
    with warehouse.connect() as connection:
        replace_config_tables(
            connection,
            "source_mapping",
            source_mapping_tables(mapping) + hubspot_mapping_tables(mapping.hubspot),
        )
    return dg.MaterializeResult(
        metadata={
            "file": dg.MetadataValue.path(str(mapping_file)),
            "lead_statuses": len(mapping.lead_statuses),
            "signal_rules": len(mapping.signal_rules),
            "crm_signal_rules": len(mapping.crm_signal_rules.all),
            "hubspot_signal_rules": len(mapping.hubspot.signal_rules),
            "signals_no_rule_produces": ", ".join(unproduced) or "none",
        }
    )
