"""When an incremental dbt build would be wrong: rows already processed depend on the
models' code and on the agreements, so a change to either needs a full refresh.

The build database remembers a fingerprint of both as of the last complete build, and
of every build started since: a build that fails, or builds some models only, has
still created those models again with its own code. A run whose fingerprint differs
from any of them rebuilds every model from scratch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

import duckdb

from orchestration.duckdb_sql import table_exists

BUILD_STATE_TABLE = "warehouse_state.dbt_builds"
ATTEMPTS_TABLE = "warehouse_state.dbt_build_attempts"
ATTEMPT_NUMBERS = "warehouse_state.dbt_build_attempt_numbers"
# What runs the SQL and the macros dbt ships: a new version may write other SQL, or
# DuckDB may read the same SQL otherwise.
BUILD_TOOLS = ("dbt-core", "dbt-duckdb", "duckdb")


def installed_build_tools() -> dict[str, str]:
    return {package: version(package) for package in BUILD_TOOLS}


def build_fingerprint(
    manifest: Mapping[str, Any], agreement_files: Iterable[Path], tools: Mapping[str, str]
) -> str:
    """Digest of what the models' rows and relations are made from: every model's code,
    every macro, the relations of the sources they read, the versions of the build
    tools, and the agreement files (every version file of the agreed definitions,
    drafts included, and the mapping).

    A model's code is its SQL file and its configuration, which `dbt_project.yml` and
    the models' YAML set too (materialisation, unique key, hooks): the file's checksum
    alone misses those. Its relation name carries the project's quoting."""
    digest = hashlib.sha256()
    digest.update(json.dumps(sorted(tools.items())).encode())
    for unique_id, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] == "model":
            code = node["checksum"]["checksum"], node["relation_name"], node["config"]
            digest.update(f"{unique_id}:{json.dumps(code, sort_keys=True)}\n".encode())
    # A source pointed at another table leaves the views on it reading the old one.
    for unique_id, source in sorted(manifest["sources"].items()):
        digest.update(f"{unique_id}:{source['relation_name']}\n".encode())
    for unique_id, macro in sorted(manifest["macros"].items()):
        digest.update(f"{unique_id}:{macro['macro_sql']}\n".encode())
    for path in agreement_files:
        digest.update(hashlib.sha256(path.read_bytes()).hexdigest().encode())
    return digest.hexdigest()


def needs_full_refresh(requested: bool, code_in_place: set[str] | None, fingerprint: str) -> bool:
    """A full refresh when asked for, on the first build, or when any model may have
    been built from other code or agreements than this run's."""
    return requested or code_in_place != {fingerprint}


def _has_table(connection: duckdb.DuckDBPyConnection, qualified_name: str) -> bool:
    return table_exists(connection, *qualified_name.split("."))


def code_in_place(connection: duckdb.DuckDBPyConnection) -> set[str] | None:
    """The fingerprints of the code that built what the build database holds: the last
    complete build's and those of the builds started after it. None before the first
    complete build.

    Builds are ordered by their attempt's number, not by a clock that may be set back.
    A version of this code from before attempts were numbered records complete builds
    only: one recorded after the last numbered build (a rollback) is in place too."""
    if not _has_table(connection, BUILD_STATE_TABLE):
        return None
    builds, newest = connection.execute(
        f"select count(*), arg_max(fingerprint, built_at) from {BUILD_STATE_TABLE}"
    ).fetchone()
    if not builds:
        return None
    last_complete, builds_numbered, since = None, 0, []
    if _has_table(connection, ATTEMPTS_TABLE):
        last_complete, builds_numbered = connection.execute(
            f"select max(attempt), coalesce(max(builds_recorded), 0) from {ATTEMPTS_TABLE} "
            "where builds_recorded is not null"
        ).fetchone()
        since = connection.execute(
            f"select distinct fingerprint from {ATTEMPTS_TABLE} where attempt >= ?",
            [last_complete if last_complete is not None else -1],
        ).fetchall()
    in_place = {fingerprint for (fingerprint,) in since}
    if builds > builds_numbered:
        in_place.add(newest)
    return in_place


def _create_state_tables(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute("create schema if not exists warehouse_state")
    connection.execute(
        f"""
        create table if not exists {BUILD_STATE_TABLE} (
            fingerprint varchar, full_refresh boolean, built_at timestamptz
        )
        """
    )
    connection.execute(f"create sequence if not exists {ATTEMPT_NUMBERS}")
    # builds_recorded: how many complete builds dbt_builds held once this attempt's was
    # recorded; null for an attempt that failed or built some models only.
    connection.execute(
        f"""
        create table if not exists {ATTEMPTS_TABLE} (
            attempt bigint primary key, fingerprint varchar, started_at timestamptz,
            builds_recorded bigint
        )
        """
    )


def record_attempt(connection: duckdb.DuckDBPyConnection, fingerprint: str) -> int:
    """Before dbt starts: whatever it builds from here on is this code's. Returns the
    attempt's number."""
    _create_state_tables(connection)
    (attempt,) = connection.execute(
        f"insert into {ATTEMPTS_TABLE} values (nextval(?), ?, ?, null) returning attempt",
        [ATTEMPT_NUMBERS, fingerprint, dt.datetime.now(dt.UTC)],
    ).fetchone()
    return attempt


def record_build(
    connection: duckdb.DuckDBPyConnection, attempt: int, fingerprint: str, full_refresh: bool
) -> None:
    """After a build of every model and test, whose attempt created the tables."""
    connection.execute(
        f"insert into {BUILD_STATE_TABLE} values (?, ?, ?)",
        [fingerprint, full_refresh, dt.datetime.now(dt.UTC)],
    )
    connection.execute(
        f"update {ATTEMPTS_TABLE} set builds_recorded = (select count(*) from {BUILD_STATE_TABLE}) "
        "where attempt = ?",
        [attempt],
    )
