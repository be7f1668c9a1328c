"""The raw table's columns as SQL over the rows a load read (`read_rows`, all text),
and a full load's way of turning `read_rows` itself into the raw table.

Copying the rows read into a new, typed table writes every value a second time. A full
load whose rows were read into the database (files too large for memory) types them in
place instead: DuckDB rewrites the typed columns and leaves the text as it was read (M's
Marketo activities, after the read: 6 s to copy, 3.7 s in place).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from orchestration.duckdb_sql import quote_identifier, quote_literal
from orchestration.ingest.csv_reading import BOOKKEEPING_COLUMNS
from orchestration.ingest.exports import ExportSpec, OrgFields
from orchestration.ingest.quarantine import cast_expression

TEXT = "VARCHAR"


@dataclass(frozen=True)
class RawColumn:
    name: str
    type: str
    # SQL of its value over read_rows' text columns; None for an org field the org does
    # not map, which stays empty.
    value: str | None


def raw_columns(
    spec: ExportSpec, org_fields: OrgFields, read_columns: Sequence[str]
) -> list[RawColumn]:
    """Every column of the raw table but `_source_file` and `_loaded_at`: the contract's,
    typed; the other columns read, as text; the org's mapped fields under the names the
    models read; and the CRM signal fields as one JSON object. Empty text is null."""
    columns = [
        RawColumn(name, column.type, cast_expression(name, column.type, spec.is_json_lines))
        for name, column in spec.columns.items()
    ]
    columns += [
        RawColumn(column, TEXT, f"nullif({quote_identifier(column)}, '')")
        for column in read_columns
        if column not in spec.columns and column not in BOOKKEEPING_COLUMNS
    ]
    columns += [
        RawColumn(
            field,
            TEXT,
            f"nullif({quote_identifier(org_fields.aliases[field])}, '')"
            if field in org_fields.aliases
            else None,
        )
        for field in spec.mapped_fields
    ]
    if spec.signal_fields_column:
        pairs = ", ".join(
            f"{quote_literal(column)}, nullif({quote_identifier(column)}, '')"
            for column in org_fields.signal_fields
        )
        value = f"json_object({pairs})::{TEXT}" if pairs else None
        columns.append(RawColumn(spec.signal_fields_column, TEXT, value))
    return columns


def select_list(columns: Sequence[RawColumn]) -> str:
    return ", ".join(
        f"{column.value or f'null::{column.type}'} as {quote_identifier(column.name)}"
        for column in columns
    )


def can_type_in_place(columns: Sequence[RawColumn], read_columns: Sequence[str]) -> bool:
    """Whether the raw table's columns that `read_rows` lacks are all empty (an org field
    the org does not map): filling one would rewrite every row, and DuckDB holds what an
    update writes in memory until the load commits."""
    return all(column.value is None for column in columns if column.name not in read_columns)


def type_read_rows_in_place(
    connection: duckdb.DuckDBPyConnection,
    read_rows: str,
    read: Sequence[str],
    columns: Sequence[RawColumn],
    loaded_at: dt.datetime,
    spec: ExportSpec,
) -> None:
    """Turn `read_rows` (columns `read`; rejected rows and superseded versions already
    deleted), in the schema of the export's raw table, into that table (see
    can_type_in_place)."""
    # Text columns are rewritten only where some value is empty, and then by rewriting
    # the column: an update would hold every value it writes in memory until the load
    # commits.
    text = [column for column in columns if column.name in read and column.type == TEXT]
    empty_counts = (
        connection.execute(
            "select "
            + ", ".join(
                f"count(*) filter (where {quote_identifier(column.name)} = '')" for column in text
            )
            + f" from {read_rows}"
        ).fetchone()
        if text
        else ()
    )
    has_empty_values = {
        column.name for column, empty in zip(text, empty_counts, strict=True) if empty
    }
    for column in columns:
        name = quote_identifier(column.name)
        if column.name not in read:
            connection.execute(f"alter table {read_rows} add column {name} {column.type}")
        elif column.type != TEXT or column.name in has_empty_values:
            connection.execute(
                f"alter table {read_rows} alter column {name} type {column.type} "
                f"using {column.value}"
            )
    stamp = quote_literal(loaded_at.isoformat())
    connection.execute(
        f"alter table {read_rows} add column _loaded_at timestamptz default {stamp}::timestamptz"
    )
    connection.execute(f"alter table {read_rows} alter column _loaded_at drop default")
    for bookkeeping in sorted(BOOKKEEPING_COLUMNS - {"_source_file"}):
        if bookkeeping in read:
            connection.execute(
                f"alter table {read_rows} drop column {quote_identifier(bookkeeping)}"
            )
    table = quote_identifier(spec.table)
    connection.execute(f"drop table if exists {quote_identifier(spec.source)}.{table}")
    connection.execute(f"alter table {read_rows} rename to {table}")
