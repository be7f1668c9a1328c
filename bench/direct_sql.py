"""Variant A, the limit: every dbt model's compiled SQL in one DuckDB connection.

The models run in dependency order with the materialisation dbt would give them, but
without dbt, Dagster, tests or checks: what the KPI SQL itself costs on this engine.
"""

from __future__ import annotations

import graphlib
import json
from pathlib import Path

import duckdb
import yaml

# An incremental model's first build is a full table build, as it is here on a raw copy.
CREATED_AS = {"view": "view", "table": "table", "incremental": "table"}
PROFILES = Path(__file__).resolve().parents[1] / "dbt_project" / "profiles.yml"


def model_order(manifest: dict) -> list[str]:
    """Every model's unique id, each after the models it selects from."""
    models = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
    }
    graph = {
        unique_id: [parent for parent in node["depends_on"]["nodes"] if parent in models]
        for unique_id, node in models.items()
    }
    return list(graphlib.TopologicalSorter(graph).static_order())


def model_statements(manifest: dict) -> list[str]:
    """The DDL that builds every model from its compiled SQL; ephemeral models are already
    inlined into the models that use them."""
    statements = []
    for unique_id in model_order(manifest):
        node = manifest["nodes"][unique_id]
        kind = node["config"]["materialized"]
        if kind == "ephemeral":
            continue
        statements.append(f'create schema if not exists "{node["database"]}"."{node["schema"]}"')
        # the newline keeps a trailing `-- comment` in the model from swallowing the `)`
        statements.append(
            f"create or replace {CREATED_AS[kind]} {node['relation_name']} as (\n"
            f"{node['compiled_code']}\n)"
        )
    return statements


def profile_settings(profiles: Path = PROFILES) -> dict[str, object]:
    """The DuckDB settings of the warehouse's dbt profile that do not come from the
    environment, so the limit runs under the same ones."""
    [profile] = yaml.safe_load(profiles.read_text(encoding="utf-8")).values()
    settings = profile["outputs"][profile["target"]].get("settings", {})
    return {
        name: value
        for name, value in settings.items()
        if not (isinstance(value, str) and "{{" in value)
    }


def build_models(database: Path, manifest_path: Path, memory_limit: str, threads: int) -> int:
    """Build every model into `database`; returns how many statements ran."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    statements = model_statements(manifest)
    config = {**profile_settings(), "memory_limit": memory_limit, "threads": threads}
    with duckdb.connect(str(database), config=config) as connection:
        for statement in statements:
            connection.execute(statement)
    return len(statements)
