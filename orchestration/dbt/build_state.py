"""When an incremental dbt build would be wrong: rows already processed depend on the
models' code and on the agreements, so a change to either needs a full refresh.

The build database remembers a fingerprint of both as of the last complete build;
a run whose fingerprint differs rebuilds every model from scratch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb

BUILD_STATE_TABLE = "warehouse_state.dbt_builds"


def build_fingerprint(manifest: Mapping[str, Any], agreement_files: Iterable[Path]) -> str:
    """Digest of every model's and macro's code in the project and the agreement files
    (every version file of the agreed definitions, drafts included, and the mapping).

    A model's code is its SQL file and its configuration, which `dbt_project.yml` and
    the models' YAML set too (materialisation, unique key, hooks): the file's checksum
    alone misses those."""
    project = manifest["metadata"].get("project_name")
    digest = hashlib.sha256()
    for unique_id, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] == "model":
            config = json.dumps(node["config"], sort_keys=True)
            digest.update(f"{unique_id}:{node['checksum']['checksum']}:{config}\n".encode())
    for unique_id, macro in sorted(manifest["macros"].items()):
        if macro["package_name"] == project:
            digest.update(f"{unique_id}:{macro['macro_sql']}\n".encode())
    for path in agreement_files:
        digest.update(hashlib.sha256(path.read_bytes()).hexdigest().encode())
    return digest.hexdigest()


def needs_full_refresh(requested: bool, last_fingerprint: str | None, fingerprint: str) -> bool:
    """A full refresh when asked for, on the first build, or when code or agreements
    changed since the last complete build."""
    return requested or last_fingerprint != fingerprint


def last_build_fingerprint(connection: duckdb.DuckDBPyConnection) -> str | None:
    exists = connection.execute(
        "select count(*) from duckdb_tables() "
        "where schema_name = 'warehouse_state' and table_name = 'dbt_builds'"
    ).fetchone()[0]
    if not exists:
        return None
    row = connection.execute(
        f"select fingerprint from {BUILD_STATE_TABLE} order by built_at desc limit 1"
    ).fetchone()
    return row[0] if row else None


def record_build(
    connection: duckdb.DuckDBPyConnection, fingerprint: str, full_refresh: bool
) -> None:
    connection.execute("create schema if not exists warehouse_state")
    connection.execute(
        f"""
        create table if not exists {BUILD_STATE_TABLE} (
            fingerprint varchar, full_refresh boolean, built_at timestamptz
        )
        """
    )
    connection.execute(
        f"insert into {BUILD_STATE_TABLE} values (?, ?, ?)",
        [fingerprint, full_refresh, dt.datetime.now(dt.UTC)],
    )
