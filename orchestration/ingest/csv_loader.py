"""Load one export file into the raw layer with DuckDB's CSV reader.

Rows that do not fit the contract (a value that does not parse as its column's type,
too many or too few fields, an empty key) are not dropped: they go to the quarantine
table with file, row, column and reason, and the load reports how many.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.ingest.exports import ExportSpec

QUARANTINE_SCHEMA = "raw_quarantine"
QUARANTINE_TABLE = f"{QUARANTINE_SCHEMA}.rejected_rows"


class ExportFileError(ValueError):
    """An export file cannot be loaded at all: missing, unreadable, or missing a column."""


@dataclass(frozen=True)
class LoadResult:
    source_file: Path
    rows_loaded: int
    rows_quarantined: int
    columns: tuple[str, ...]


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_header(path: Path) -> list[str]:
    if not path.is_file():
        raise ExportFileError(f"{path}: export file not found")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError as error:
        raise ExportFileError(f"{path}: not readable as UTF-8 ({error.reason})") from error
    if not header:
        raise ExportFileError(f"{path}: file is empty, expected a header row")
    return [name.strip() for name in header]


def column_types(
    path: Path, header: list[str], spec: ExportSpec, custom_fields: Mapping[str, str]
) -> dict[str, str]:
    """Types for every column in the file's own order; unknown columns stay text."""
    present = set(header)
    wanted = [*spec.columns, *custom_fields.values()]
    missing = [column for column in wanted if column not in present]
    if missing:
        raise ExportFileError(
            f"{path}: required column(s) {', '.join(repr(c) for c in missing)} missing; "
            f"the file has: {', '.join(header)}"
        )
    duplicated = sorted({column for column in header if header.count(column) > 1})
    if duplicated:
        raise ExportFileError(f"{path}: column(s) {', '.join(duplicated)} appear more than once")
    return {column: spec.columns.get(column, "VARCHAR") for column in header}


def _ensure_quarantine(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(f"create schema if not exists {QUARANTINE_SCHEMA}")
    connection.execute(
        f"""
        create table if not exists {QUARANTINE_TABLE} (
            source varchar,
            table_name varchar,
            source_file varchar,
            -- The row as a spreadsheet shows it: the header is row 1, and a quoted
            -- value spanning several lines is still one row. Null for a row that
            -- parsed but breaks a rule; raw_record then holds the row as JSON.
            file_row bigint,
            column_name varchar,
            error_type varchar,
            reason varchar,
            raw_record varchar,
            quarantined_at timestamptz
        )
        """
    )


def load_export(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    path: Path,
    custom_fields: Mapping[str, str] | None = None,
) -> LoadResult:
    """Replace `<source>.<table>` with the rows of `path` and quarantine the rest.

    `custom_fields` maps a warehouse field name to the org's column holding it; the
    column is kept under its own name and copied under the warehouse name.
    """
    custom_fields = dict(custom_fields or {})
    header = read_header(path)
    types = column_types(path, header, spec, custom_fields)
    key = spec.key_column
    target = f"{quote_identifier(spec.source)}.{quote_identifier(spec.table)}"
    loaded_at = dt.datetime.now(dt.UTC)
    reader = (
        "read_csv(?, header = true, auto_detect = false, delim = ',', quote = '\"', "
        "escape = '\"', nullstr = '', columns = ?, store_rejects = true, "
        "rejects_table = 'csv_rejected_values', rejects_scan = 'csv_rejected_scans')"
    )
    aliases = "".join(
        f", {quote_identifier(column)} as {quote_identifier(field)}"
        for field, column in custom_fields.items()
    )

    _ensure_quarantine(connection)
    connection.execute("begin transaction")
    try:
        connection.execute(f"create schema if not exists {quote_identifier(spec.source)}")
        connection.execute(
            f"""
            create or replace temp table loaded_rows as
            select *{aliases}, ?::varchar as _source_file, ?::timestamptz as _loaded_at
            from {reader}
            """,
            [str(path), loaded_at, str(path), types],
        )
        scope = [spec.source, spec.table]
        connection.execute(
            f"delete from {QUARANTINE_TABLE} where source = ? and table_name = ?", scope
        )
        connection.execute(
            f"""
            insert into {QUARANTINE_TABLE}
            select ?, ?, ?, line, column_name, error_type, error_message, csv_line, ?
            from csv_rejected_values
            """,
            [*scope, str(path), loaded_at],
        )
        connection.execute(
            f"""
            insert into {QUARANTINE_TABLE}
            select ?, ?, ?, null, ?, 'MISSING KEY', 'required key ' || ? || ' is empty',
                   to_json(loaded_rows)::varchar, ?
            from loaded_rows where {quote_identifier(key)} is null
            """,
            [*scope, str(path), key, key, loaded_at],
        )
        connection.execute(
            f"""
            create or replace table {target} as
            select * from loaded_rows where {quote_identifier(key)} is not null
            """
        )
        (rows_loaded,) = connection.execute(f"select count(*) from {target}").fetchone()
        (rows_quarantined,) = connection.execute(
            f"""
            select count(distinct coalesce(file_row::varchar, raw_record))
            from {QUARANTINE_TABLE} where source = ? and table_name = ?
            """,
            scope,
        ).fetchone()
        for scratch in ("loaded_rows", "csv_rejected_values", "csv_rejected_scans"):
            connection.execute(f"drop table {scratch}")
        connection.execute("commit")
    except duckdb.Error as error:
        connection.execute("rollback")
        raise ExportFileError(f"{path}: could not be loaded: {error}") from error
    return LoadResult(
        source_file=path,
        rows_loaded=rows_loaded,
        rows_quarantined=rows_quarantined,
        columns=tuple(types),
    )
