"""Publish the marts as the BI file, atomically.

BI tools hold `analytics.duckdb` open read-only. The new version is built in a
separate file, checkpointed (no WAL left behind) and moved over the old one in one
rename, so a reader sees the previous complete version or the new one, never half.
The live file is only ever read, never written: a reader's lock on it cannot block a
publish, and a reader that still has the old file open keeps reading the old inode.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import duckdb

from orchestration.duckdb_sql import quote_identifier, quote_literal
from orchestration.publish.changed_rows import (
    TableChange,
    apply_changed_rows,
    changes_worth_rewriting,
)

PARTIAL_SUFFIX = ".partial"
# BI tools bundle older DuckDB drivers (DBeaver, Metabase, duckdb-engine pinned to 1.x):
# the file is written in the storage format DuckDB 1.1 and every later version read.
BI_STORAGE_COMPATIBILITY = "v1.1.0"
# The new version's name while it is built, in the connection that builds it.
TARGET = "published"


@dataclass(frozen=True)
class PublishedTable:
    name: str
    rows: int
    # The rows removed and added in a copy of the live file; None when copied in full.
    change: TableChange | None = None


def publish_marts(
    build_database: Path,
    analytics_database: Path,
    schema: str,
    tables: Sequence[str],
    limits: Mapping[str, object] = MappingProxyType({}),
    from_scratch: bool = False,
) -> list[PublishedTable]:
    """`limits`: DuckDB settings bounding the publish (memory_limit, threads).

    The new version is the live file with the changed rows rewritten where it holds
    what a publish writes and the night changed little (changed_rows.py), else a new
    file; always a new file `from_scratch`."""
    analytics_database.parent.mkdir(parents=True, exist_ok=True)
    remove_leftover_partials(analytics_database)
    staging_file = analytics_database.with_name(
        f".{analytics_database.name}.{uuid.uuid4().hex}{PARTIAL_SUFFIX}"
    )
    try:
        with duckdb.connect(
            config={
                **limits,
                # The marts' rows have no order to keep (dbt writes them without), and
                # copying them in any order takes an eighth less time at M.
                "preserve_insertion_order": False,
            },
        ) as connection:
            connection.execute(f"attach {quote_literal(str(build_database))} as build (read_only)")
            changes = (
                not from_scratch
                and _copied(connection, analytics_database, staging_file)
                and _changes_in_copy(connection, staging_file, schema, tables)
            )
            if changes:
                published = _rewrite_changed_rows(connection, schema, changes)
            else:
                staging_file.unlink(missing_ok=True)
                published = _write_new_file(connection, staging_file, schema, tables)
        os.replace(staging_file, analytics_database)
        # A write-ahead log beside the live file was written for the version just
        # replaced (by a BI tool that opened it for writing): applied to the new one,
        # it would corrupt it.
        Path(f"{analytics_database}.wal").unlink(missing_ok=True)
    finally:
        staging_file.unlink(missing_ok=True)
        Path(f"{staging_file}.wal").unlink(missing_ok=True)
    return published


def _attach_target(
    connection: duckdb.DuckDBPyConnection, path: Path, storage_version: str | None = None
) -> None:
    option = f" (storage_version {quote_literal(storage_version)})" if storage_version else ""
    connection.execute(f"attach {quote_literal(str(path))} as {TARGET}{option}")


def _close_target(connection: duckdb.DuckDBPyConnection) -> None:
    """Write everything into the file itself (no WAL left behind) and let it go."""
    connection.execute(f"checkpoint {TARGET}")
    connection.execute(f"detach {TARGET}")


def _copied(connection: duckdb.DuckDBPyConnection, live_file: Path, copy_file: Path) -> bool:
    """Copy the live file, as its readers see it; False when there is none to copy."""
    if not live_file.exists() or Path(f"{live_file}.wal").exists():
        # Changes in a write-ahead log are what a reader sees, and no copy of the file
        # alone holds them.
        return False
    try:
        connection.execute(f"attach {quote_literal(str(live_file))} as live (read_only)")
    except duckdb.Error:
        # A BI tool that opened the file for writing holds a lock no reader gets past
        # (DBeaver does unless told read-only); nor can a damaged file be read.
        return False
    try:
        # A reader's lock keeps writers out until the copy is whole.
        shutil.copyfile(live_file, copy_file)
    finally:
        connection.execute("detach live")
    return True


def _changes_in_copy(
    connection: duckdb.DuckDBPyConnection, copy_file: Path, schema: str, tables: Sequence[str]
) -> list[TableChange] | None:
    """The rows each mart changed since the copy of the live file, attached as the
    target when it is worth rewriting (changed_rows.py); else None, the copy let go.

    What the copy must hold is learnt from a new, empty file of the marts' tables, as
    a publish creates them, in the storage format BI tools read."""
    probe_file = copy_file.with_name(f"{copy_file.name}.probe{PARTIAL_SUFFIX}")
    connection.execute(
        f"attach {quote_literal(str(probe_file))} as fresh "
        f"(storage_version {quote_literal(BI_STORAGE_COMPATIBILITY)})"
    )
    try:
        for table in tables:
            connection.execute(
                f"create table fresh.main.{quote_identifier(table)} as select * from "
                f"build.{quote_identifier(schema)}.{quote_identifier(table)} limit 0"
            )
        _attach_target(connection, copy_file)
        changes = changes_worth_rewriting(connection, TARGET, "fresh", "build", schema, tables)
    finally:
        connection.execute("detach fresh")
        probe_file.unlink(missing_ok=True)
        Path(f"{probe_file}.wal").unlink(missing_ok=True)
    if changes is None:
        connection.execute(f"detach {TARGET}")
    return changes


def _rewrite_changed_rows(
    connection: duckdb.DuckDBPyConnection, schema: str, changes: Sequence[TableChange]
) -> list[PublishedTable]:
    published = []
    for change in changes:
        apply_changed_rows(connection, TARGET, "build", schema, change.table)
        _copy_descriptions(connection, schema, change.table)
        published.append(PublishedTable(change.table, _rows(connection, change.table), change))
    _close_target(connection)
    return published


def _write_new_file(
    connection: duckdb.DuckDBPyConnection, new_file: Path, schema: str, tables: Sequence[str]
) -> list[PublishedTable]:
    _attach_target(connection, new_file, BI_STORAGE_COMPATIBILITY)
    published = []
    for table in tables:
        connection.execute(
            f"create table {TARGET}.main.{quote_identifier(table)} as "
            f"select * from build.{quote_identifier(schema)}.{quote_identifier(table)}"
        )
        _copy_descriptions(connection, schema, table)
        published.append(PublishedTable(table, _rows(connection, table)))
    _close_target(connection)
    return published


def _rows(connection: duckdb.DuckDBPyConnection, table: str) -> int:
    (rows,) = connection.execute(
        f"select count(*) from {TARGET}.main.{quote_identifier(table)}"
    ).fetchone()
    return rows


def remove_leftover_partials(analytics_database: Path) -> None:
    """Delete half-built files (and their WALs) that a crashed or killed publish left behind.

    Only one run that writes the warehouse runs at a time (the run queue's writer tag
    limit, see dagster.yaml), so any partial file present now belongs to no live publish.
    """
    for leftover in analytics_database.parent.glob(f".{analytics_database.name}.*"):
        if leftover.name.endswith((PARTIAL_SUFFIX, f"{PARTIAL_SUFFIX}.wal")):
            leftover.unlink(missing_ok=True)


def _copy_descriptions(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> None:
    """Carry dbt's documentation along, so BI tools show what each column means; a
    description dbt no longer has is removed from a table carried over."""
    target = f"{TARGET}.main.{quote_identifier(table)}"
    (table_comment,) = connection.execute(
        "select comment from duckdb_tables() "
        "where database_name = 'build' and schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchone() or (None,)
    connection.execute(f"comment on table {target} is {_comment_literal(table_comment)}")
    for column, comment in connection.execute(
        "select column_name, comment from duckdb_columns() "
        "where database_name = 'build' and schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchall():
        connection.execute(
            f"comment on column {target}.{quote_identifier(column)} is {_comment_literal(comment)}"
        )


def _comment_literal(comment: str | None) -> str:
    return quote_literal(comment) if comment else "null"
