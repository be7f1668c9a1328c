"""Rows that do not fit are set aside, never dropped: each rule a row breaks is one
quarantine row naming the file, the row (as a spreadsheet shows it) and the column."""

from __future__ import annotations

import datetime as dt

import duckdb

from orchestration.duckdb_sql import quote_identifier, quote_literal
from orchestration.ingest.exports import ExportSpec

QUARANTINE_SCHEMA = "raw_quarantine"
QUARANTINE_TABLE = f"{QUARANTINE_SCHEMA}.rejected_rows"
NUMERIC_TYPES = ("DECIMAL", "DOUBLE", "BIGINT", "INTEGER")


def ensure_quarantine(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(f"create schema if not exists {QUARANTINE_SCHEMA}")
    connection.execute(
        f"""
        create table if not exists {QUARANTINE_TABLE} (
            source varchar,
            table_name varchar,
            source_file varchar,
            -- The row as a spreadsheet shows it: the header is row 1, and a quoted
            -- value spanning several lines is still one row.
            file_row bigint,
            column_name varchar,
            error_type varchar,
            reason varchar,
            raw_record varchar,
            quarantined_at timestamptz
        )
        """
    )


def cast_expression(column: str, duckdb_type: str) -> str:
    """The typed value of a text column, null where the text does not parse."""
    text = f"nullif({quote_identifier(column)}, '')"
    if not duckdb_type.startswith(NUMERIC_TYPES):
        return f"try_cast({text} as {duckdb_type})"
    parsed = f"try_cast(revenue_parse_number({text}) as {duckdb_type})"
    # revenue_parse_number's regular expressions are slow, and most numbers are plain
    # digits. Without a '.' or ',' the parse only strips currency signs and white
    # space; a cast that accepts the text as it is has no such sign, and white space
    # only around the number, which casts ignore: the same value either way.
    return (
        f"case when contains({text}, '.') or contains({text}, ',') then {parsed} "
        f"else coalesce(try_cast({text} as {duckdb_type}), {parsed}) end"
    )


def define_number_parsing(connection: duckdb.DuckDBPyConnection) -> None:
    """The macros `cast_expression` uses for numbers."""
    # European exports write 1.234,56 or € 1.234,56; US-style 1,234.56 also occurs.
    connection.execute(
        r"""
        create or replace temp macro revenue_strip_number(raw) as
            regexp_replace(raw, '[€$£\s\x{00a0}]', '', 'g')
        """
    )
    connection.execute(
        r"""
        create or replace temp macro revenue_parse_number(raw) as
            case
                when regexp_full_match(revenue_strip_number(raw), '[-+]?\d{1,3}(\.\d{3})+(,\d+)?')
                    or regexp_full_match(revenue_strip_number(raw), '[-+]?\d+,\d+')
                    then replace(replace(revenue_strip_number(raw), '.', ''), ',', '.')
                when regexp_full_match(revenue_strip_number(raw), '[-+]?\d{1,3}(,\d{3})+(\.\d+)?')
                    then replace(revenue_strip_number(raw), ',', '')
                else revenue_strip_number(raw)
            end
        """
    )


def quarantine_broken_rows(
    connection: duckdb.DuckDBPyConnection, spec: ExportSpec, loaded_at: dt.datetime
) -> None:
    """Add every rule each row of `read_rows` breaks to this object's quarantine, and
    list the rejected rows in the temp table `rejected_rows`."""
    scope = [spec.source, spec.table]
    key = spec.key_column
    rules = [
        ("TOO FEW FIELDS", "null", "_is_short", "'the row has fewer fields than the header'"),
        ("TOO MANY FIELDS", "null", "_is_long", "'the row has more fields than the header'"),
        (
            "MISSING KEY",
            quote_literal(key),
            f"nullif({quote_identifier(key)}, '') is null",
            quote_literal(f"required key {key} is empty"),
        ),
    ] + [
        (
            "CAST",
            quote_literal(name),
            f"nullif({quote_identifier(name)}, '') is not null "
            f"and {cast_expression(name, column.type)} is null",
            f"'value ''' || {quote_identifier(name)} || ''' is not a valid {column.type}'",
        )
        for name, column in spec.columns.items()
        if column.type != "VARCHAR"
    ]
    checks = " union all ".join(
        f"""
        select {quote_literal(error_type)} as error_type, {column} as column_name,
               {reason} as reason, _source_file, _file_row,
               to_json(read_rows)::varchar as raw_record
        from read_rows where {condition}
        """
        for error_type, column, condition, reason in rules
    )
    connection.execute(
        f"""
        insert into {QUARANTINE_TABLE}
        select ?, ?, _source_file, _file_row, column_name, error_type, reason, raw_record, ?
        from ({checks}) as broken
        """,
        [*scope, loaded_at],
    )
    connection.execute(
        f"""
        create or replace temp table rejected_rows as
        select distinct source_file as _source_file, file_row as _file_row
        from {QUARANTINE_TABLE}
        where source = ? and table_name = ?
        """,
        scope,
    )
