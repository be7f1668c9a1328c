"""The agreed definitions and the source mapping, published as tables for dbt."""

import dagster as dg

from orchestration.agreements.documents import (
    load_agreed_definitions,
    load_source_mapping,
    unproduced_signals,
)
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
        "The one page marketing and sales both sign: lead definition, MQL/SQL rules, "
        "follow-up window, disqualification reasons, channels and SLA targets."
    ),
)
def agreed_definitions(warehouse: WarehouseResource) -> dg.MaterializeResult:
    definitions_file = warehouse.paths.definitions_file
    definitions = load_agreed_definitions(definitions_file)
    with warehouse.connect() as connection:
        replace_config_tables(
            connection, "agreed_definitions", agreed_definition_tables(definitions)
        )
    return dg.MaterializeResult(
        metadata={
            "file": dg.MetadataValue.path(str(definitions_file)),
            "definition_version": definitions.version,
            "effective_date": definitions.effective_date.isoformat(),
            "signed_off_by": ", ".join(f"{s.name} ({s.team})" for s in definitions.sign_off),
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
    definitions = load_agreed_definitions(warehouse.paths.definitions_file)
    mapping.check_currency_against(definitions)
    unproduced = unproduced_signals(definitions, mapping)
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
