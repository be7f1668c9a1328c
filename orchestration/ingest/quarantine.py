"""Rows that do not fit are set aside, never dropped: each rule a row breaks is one
quarantine row naming the file, the row (as a spreadsheet shows it) and the column.

A rejected row is kept in a shape that debugs it without holding personal data, which
erasure could not find there: the key and the typed values that parse stay as they
are, and so do the pseudonyms that replaced emails, phones and IP addresses on load;
every other value keeps only its shape (capitals X, other letters x, digits 9,
everything else as is), so a phone number shifted into Company reads `+99 9 9999 9999`
and `approx. 50` reads `xxxxxx. 99`.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from orchestration.duckdb_sql import column_names, quote_identifier, quote_literal
from orchestration.ingest.contract import ExportSpec
from orchestration.ingest.csv_reading import BOOKKEEPING_COLUMNS, NOT_JSON_COLUMN
from orchestration.ingest.personal_data import personal_columns

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


def cast_expression(column: str, duckdb_type: str, plain_numbers: bool = False) -> str:
    """The typed value of a text column, null where the text does not parse. Numbers in
    CSV exports may be written the European way (`1.234,56`); `plain_numbers` (JSON)
    are not, and `1.085` is one and a bit."""
    text = f"nullif({quote_identifier(column)}, '')"
    if plain_numbers or not duckdb_type.startswith(NUMERIC_TYPES):
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


# Rules on a row's shape, each checked where the reader flags it (CSV: the field count;
# JSON lines: a line that is not a JSON object).
SHAPE_RULES = (
    ("TOO FEW FIELDS", "_is_short", "the row has fewer fields than the header"),
    ("TOO MANY FIELDS", "_is_long", "the row has more fields than the header"),
    ("NOT JSON", NOT_JSON_COLUMN, "the line is not a JSON object"),
)

# A key that looks like a record id (not, say, an address shifted into it) is kept.
RECORD_ID = r"^[A-Za-z0-9_.-]{1,64}$"


def shape_of(text: str) -> str:
    """SQL for the shape of a text value: capitals X, other letters x, digits 9."""
    lower = f"regexp_replace({text}, '\\p{{Ll}}', 'x', 'g')"
    upper = f"regexp_replace({lower}, '\\p{{Lu}}', 'X', 'g')"
    other = f"regexp_replace({upper}, '[\\p{{Lt}}\\p{{Lm}}\\p{{Lo}}]', 'x', 'g')"
    return f"regexp_replace({other}, '\\p{{N}}', '9', 'g')"


def debuggable_record(spec: ExportSpec, columns: list[str]) -> str:
    """SQL for a rejected row as JSON, without personal data (see the module's doc).
    Pseudonyms stay: `make erase` finds a person's quarantined rows through them."""
    pseudonymised = personal_columns(columns)
    kept = []
    for name in columns:
        value = quote_identifier(name)
        column = spec.columns.get(name)
        if name == spec.key_column:
            keep = f"regexp_full_match({value}, '{RECORD_ID}')"
        elif name in pseudonymised:
            keep = "true"
        elif column is not None and column.type != "VARCHAR":
            keep = f"{cast_expression(name, column.type, spec.is_json_lines)} is not null"
        else:
            keep = "false"
        kept.append(
            f"{quote_literal(name)}, case when {keep} then {value} else {shape_of(value)} end"
        )
    return f"json_object({', '.join(kept)})::varchar"


def quarantine_broken_rows(
    connection: duckdb.DuckDBPyConnection, spec: ExportSpec, loaded_at: dt.datetime
) -> None:
    """Add every rule each row of `read_rows` breaks to this object's quarantine, and
    list the rejected rows in the temp table `rejected_rows`."""
    scope = [spec.source, spec.table]
    key = spec.key_column
    read_columns = column_names(connection, "read_rows")
    # A line that is not JSON has no fields to check: it breaks that rule alone.
    parsed = f" and not {NOT_JSON_COLUMN}" if NOT_JSON_COLUMN in read_columns else ""
    rules = (
        [
            (error_type, "null", flag, quote_literal(reason))
            for error_type, flag, reason in SHAPE_RULES
            if flag in read_columns
        ]
        + [
            (
                "MISSING KEY",
                quote_literal(key),
                f"nullif({quote_identifier(key)}, '') is null{parsed}",
                quote_literal(f"required key {key} is empty"),
            ),
        ]
        + [
            (
                "CAST",
                quote_literal(name),
                f"nullif({quote_identifier(name)}, '') is not null "
                f"and {cast_expression(name, column.type, spec.is_json_lines)} is null{parsed}",
                f"'value shaped ''' || {shape_of(quote_identifier(name))} || ''' is not a valid "
                f"{column.type}'",
            )
            for name, column in spec.columns.items()
            if column.type not in ("VARCHAR", "JSON")
        ]
    )
    columns = [c for c in read_columns if c not in BOOKKEEPING_COLUMNS]
    # One pass over the file's rows finds the few that break any rule; each of those
    # then lists the rules it breaks, one quarantine row each. Its record is written
    # once: a copy per rule made the statement so long that planning it took longer
    # than running it on a day's delta.
    any_broken = " or ".join(f"({condition})" for _, _, condition, _ in rules)
    broken_rules = ", ".join(
        f"case when {condition} then {{'error_type': {quote_literal(error_type)}, "
        f"'column_name': {column}::varchar, 'reason': {reason}}} end"
        for error_type, column, condition, reason in rules
    )
    connection.execute(
        f"""
        insert into {QUARANTINE_TABLE}
        with broken_rows as (
            select
                _source_file,
                _file_row,
                {debuggable_record(spec, columns)} as raw_record,
                unnest(list_filter([{broken_rules}], lambda rule: rule is not null)) as rule
            from read_rows
            where {any_broken}
        )
        select ?, ?, _source_file, _file_row, rule.column_name, rule.error_type, rule.reason,
               raw_record, ?
        from broken_rows
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
