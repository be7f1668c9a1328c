"""What each load read, kept, set aside and skipped: the numbers that prove every row
is accounted for, and the file list that lets a nightly run read only what is new."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.duckdb_sql import table_exists
from orchestration.ingest.exports import ExportSpec
from orchestration.ingest.privacy import PrivacyRules
from orchestration.ingest.quarantine import QUARANTINE_SCHEMA, QUARANTINE_TABLE

RECONCILIATION_TABLE = f"{QUARANTINE_SCHEMA}.load_reconciliation"
LOADED_FILES_TABLE = f"{QUARANTINE_SCHEMA}.loaded_files"
ACCEPTED_VOLUMES_TABLE = f"{QUARANTINE_SCHEMA}.accepted_volumes"


@dataclass(frozen=True)
class LoadResult:
    files: tuple[Path, ...]
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_superseded: int
    rows_erased: int
    # Optional contract columns (and mapped fields) some loaded file did not have.
    absent_columns: tuple[str, ...] = ()
    # Records a file holds that no row accounts for (a quoted field that swallowed
    # lines), each named by file and line.
    problems: tuple[str, ...] = ()
    # Records with two different versions under the same version stamp; the later
    # file and row wins.
    conflicting_versions: int = 0

    @property
    def reconciles(self) -> bool:
        accounted = self.rows_loaded + self.rows_quarantined + self.rows_superseded
        return self.rows_read == accounted + self.rows_erased

    @property
    def is_absent(self) -> bool:
        """The org has no such export."""
        return not self.files


@dataclass(frozen=True)
class FilesRead:
    """What reading an export's files into `read_rows` found."""

    # Records the files hold: rows parsed, plus lines a runaway quoted field swallowed.
    records: int
    erased: int
    absent: set[str]
    problems: tuple[str, ...]


def ensure_bookkeeping(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(f"create schema if not exists {QUARANTINE_SCHEMA}")
    connection.execute(
        f"""
        create table if not exists {RECONCILIATION_TABLE} (
            source varchar,
            table_name varchar,
            files varchar[],
            rows_read bigint,
            rows_loaded bigint,
            rows_quarantined bigint,
            rows_superseded bigint,
            rows_erased bigint,
            loaded_at timestamptz,
            erasure_digest varchar
        )
        """
    )
    # Added after the first release: warehouses built before keep working.
    for column, kind in (
        ("absent_columns", "varchar[]"),
        ("problems", "varchar[]"),
        ("conflicting_versions", "bigint"),
    ):
        connection.execute(
            f"alter table {RECONCILIATION_TABLE} add column if not exists {column} {kind}"
        )
    connection.execute(
        f"""
        create table if not exists {ACCEPTED_VOLUMES_TABLE} (
            source varchar,
            table_name varchar,
            rows_loaded bigint,
            accepted_at timestamptz
        )
        """
    )
    connection.execute(
        f"""
        create table if not exists {LOADED_FILES_TABLE} (
            source varchar,
            table_name varchar,
            source_file varchar,
            fingerprint varchar,
            loaded_at timestamptz
        )
        """
    )


@dataclass(frozen=True)
class LoadPlan:
    """What a load must read: everything, only files not loaded before, or nothing."""

    mode: str  # "full", "incremental" or "unchanged"
    files: tuple[Path, ...]


def file_fingerprint(path: Path) -> str:
    status = path.stat()
    return f"{status.st_size}:{status.st_mtime_ns}"


def plan_load(
    loaded_before: Mapping[str, str],
    files: Sequence[Path],
    fingerprints: Mapping[str, str],
    rules_unchanged: bool,
) -> LoadPlan:
    """Read only new files when every file loaded before is still there, unchanged.

    A file that changed or vanished, or different erasure rules, need a full reload:
    an incremental merge cannot take rows back out.
    """
    if not rules_unchanged:
        return LoadPlan("full", tuple(files))
    if not loaded_before:
        # An export the org does not have stays an empty table until files arrive.
        return LoadPlan("full" if files else "unchanged", tuple(files))
    if any(fingerprints.get(name) != fingerprint for name, fingerprint in loaded_before.items()):
        return LoadPlan("full", tuple(files))
    new_files = tuple(f for f in files if str(f) not in loaded_before)
    return LoadPlan("incremental" if new_files else "unchanged", new_files)


def erasure_digest(privacy: PrivacyRules) -> str:
    """Changes whenever the erasure list does, which forces a full reload."""
    listed = [*sorted(privacy.erased_pseudonyms), "|", *sorted(privacy.erased_person_ids)]
    return hashlib.sha256("\n".join(listed).encode()).hexdigest()


def previous_load(
    connection: duckdb.DuckDBPyConnection, spec: ExportSpec, privacy: PrivacyRules
) -> tuple[dict[str, str], LoadResult | None]:
    """Files loaded before with their fingerprints, and the last load's counts when the
    raw table still exists and was loaded under the same erasure rules."""
    scope = [spec.source, spec.table]
    loaded_before = dict(
        connection.execute(
            f"select source_file, fingerprint from {LOADED_FILES_TABLE} "
            "where source = ? and table_name = ?",
            scope,
        ).fetchall()
    )
    row = connection.execute(
        f"""
        select files, rows_read, rows_loaded, rows_quarantined, rows_superseded, rows_erased,
               coalesce(absent_columns, []), coalesce(problems, []),
               coalesce(conflicting_versions, 0), erasure_digest
        from {RECONCILIATION_TABLE} where source = ? and table_name = ?
        """,
        scope,
    ).fetchone()
    if row is None or not table_exists(connection, *scope) or row[-1] != erasure_digest(privacy):
        return loaded_before, None
    files, *counts, absent, problems, conflicting, _ = row
    return loaded_before, LoadResult(
        tuple(Path(f) for f in files), *counts, tuple(absent), tuple(problems), conflicting
    )


def clear_bookkeeping(connection: duckdb.DuckDBPyConnection, spec: ExportSpec) -> None:
    """A full reload starts this object's quarantine and file list afresh."""
    scope = [spec.source, spec.table]
    for table in (QUARANTINE_TABLE, LOADED_FILES_TABLE):
        connection.execute(f"delete from {table} where source = ? and table_name = ?", scope)


def record_loaded_files(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    fingerprints: Mapping[str, str],
    loaded_at: dt.datetime,
) -> None:
    if not fingerprints:
        return
    connection.executemany(
        f"insert into {LOADED_FILES_TABLE} values (?, ?, ?, ?, ?)",
        [
            [spec.source, spec.table, name, fingerprint, loaded_at]
            for name, fingerprint in fingerprints.items()
        ],
    )


def record_reconciliation(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    result: LoadResult,
    loaded_at: dt.datetime,
    privacy: PrivacyRules,
) -> None:
    scope = [spec.source, spec.table]
    connection.execute(
        f"delete from {RECONCILIATION_TABLE} where source = ? and table_name = ?", scope
    )
    connection.execute(
        f"""
        insert into {RECONCILIATION_TABLE} (
            source, table_name, files, rows_read, rows_loaded, rows_quarantined,
            rows_superseded, rows_erased, loaded_at, erasure_digest, absent_columns,
            problems, conflicting_versions
        ) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            *scope,
            [str(f) for f in result.files],
            result.rows_read,
            result.rows_loaded,
            result.rows_quarantined,
            result.rows_superseded,
            result.rows_erased,
            loaded_at,
            erasure_digest(privacy),
            list(result.absent_columns),
            list(result.problems),
            result.conflicting_versions,
        ],
    )


def accepted_volume(connection: duckdb.DuckDBPyConnection, spec: ExportSpec) -> int | None:
    """Rows of the last load of this export the volume guard accepted."""
    row = connection.execute(
        f"select rows_loaded from {ACCEPTED_VOLUMES_TABLE} where source = ? and table_name = ?",
        [spec.source, spec.table],
    ).fetchone()
    return row[0] if row else None


def accept_volume(connection: duckdb.DuckDBPyConnection, spec: ExportSpec, rows: int) -> None:
    scope = [spec.source, spec.table]
    connection.execute(
        f"delete from {ACCEPTED_VOLUMES_TABLE} where source = ? and table_name = ?", scope
    )
    connection.execute(
        f"insert into {ACCEPTED_VOLUMES_TABLE} values (?, ?, ?, ?)",
        [*scope, rows, dt.datetime.now(dt.UTC)],
    )
