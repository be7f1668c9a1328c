"""How dbt resources appear in Dagster: groups follow the dbt folder layers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings


def layer_of(fqn: list[str]) -> str | None:
    """`['revenue_warehouse', 'staging', 'salesforce', 'stg_…']` -> `staging`."""
    return fqn[1] if len(fqn) > 2 else None


class RevenueDbtTranslator(DagsterDbtTranslator):
    def __init__(self) -> None:
        # Several dbt source tables are one Dagster asset (a whole configuration file).
        super().__init__(
            settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True)
        )

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            source_key = (
                dbt_resource_props.get("source_meta", {}).get("dagster", {}).get("asset_key")
            )
            if source_key:
                return dg.AssetKey(source_key)
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "model":
            return layer_of(dbt_resource_props["fqn"])
        return super().get_group_name(dbt_resource_props)
