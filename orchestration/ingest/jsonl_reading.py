"""Reading JSON-lines exports (HubSpot): one API object per line, every line a record.

Each line that is not blank is a record, numbered as an editor shows it (the first
line is 1). A line that is not a JSON object is kept as it is and flagged, so the
quarantine names its file and line. From every object the contract's columns are
taken by their paths as text and cast later in SQL, as a CSV file's columns are, so a
bad value names its column; the whole record stays beside them as `record_json`.
Personal data is pseudonymised in both before anything is written (personal_data.py).

UTF-8 with or without byte order mark, UTF-16/32 and Windows line ends are read like
plain UTF-8 files. A key the contract requires that no record of a file has fails the
load, naming file and key; an optional one is recorded as absent only when no record
of any file read has it, because extract tools leave out properties that are null.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import duckdb

from orchestration.duckdb_sql import quote_identifier, quote_literal
from orchestration.ingest.bookkeeping import FilesRead
from orchestration.ingest.contract import Column, ExportSpec, OrgFields
from orchestration.ingest.csv_reading import (
    NOT_JSON_COLUMN,
    ExportFileError,
    ScratchSpace,
    read_as_utf8,
)
from orchestration.ingest.personal_data import (
    drop_erased_rows,
    drop_rows_of_erased_contacts,
    protected,
    records_with_personal_data_protected,
)
from orchestration.ingest.privacy import PrivacyRules, pseudonym_parameters

RECORD_COLUMN = "record_json"
# `values[name=email].value`: the `value` of the entry of `values` whose `name` is email.
LIST_ENTRY_PATH = re.compile(
    r"(?P<list>[^\[]+)\[(?P<key>[^=\]]+)=(?P<value>[^\]]+)\]\.(?P<field>.+)"
)
EPOCH_MILLISECONDS = r"-?\d{11,14}"


def read_json_lines(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    files: Sequence[Path],
    org_fields: OrgFields,
    privacy: PrivacyRules,
    scratch: ScratchSpace,
) -> FilesRead:
    """All records of `files`, as text columns plus the record itself, pseudonymised,
    without erased people, in the `scratch` table `read_rows`."""
    columns = _read_columns(spec, org_fields)
    unmapped = {field for field in spec.mapped_fields if field not in org_fields.aliases}
    if not files:
        _create_empty_read_rows(connection, columns, scratch)
        return FilesRead(0, 0, unmapped, ())
    absent = set(columns)
    tables = [f"file_lines_{index}" for index in range(len(files))]
    for path, table in zip(files, tables, strict=True):
        _read_lines(connection, path, scratch, table)
        absent &= _absent_keys(connection, path, spec, columns, scratch.name(table))
    all_lines = " union all ".join(f"select * from {scratch.name(table)}" for table in tables)
    extracted = ", ".join(
        f"{_text_at(column, name)} as {quote_identifier(name)}" for name, column in columns.items()
    )
    rows = f"""
        select _source_file, _file_row, {extracted}, _line as {RECORD_COLUMN},
               not _is_object as {NOT_JSON_COLUMN}
        from (select *, case when _is_object then _line end as _object from ({all_lines}))
        """
    rows, parameters = protected(
        records_with_personal_data_protected(rows, RECORD_COLUMN, NOT_JSON_COLUMN),
        [*columns, RECORD_COLUMN],
        spec,
        privacy,
    )
    connection.execute(
        f"{scratch.create('read_rows')} as {rows}",
        {**pseudonym_parameters(privacy.key), **parameters},
    )
    for table in tables:
        connection.execute(f"drop table {scratch.name(table)}")
    (records,) = connection.execute("select count(*) from read_rows").fetchone()
    erased = drop_erased_rows(connection, "read_rows")
    if "associated_contacts" in columns:
        erased += drop_rows_of_erased_contacts(connection, "associated_contacts", privacy)
    # A mapped property no record has is null in every record: nothing more to say.
    return FilesRead(records, erased, unmapped | (absent & set(spec.columns)), ())


def _read_columns(spec: ExportSpec, org_fields: OrgFields) -> dict[str, Column]:
    """The columns taken from each record: the contract's, and the properties the
    org's mapping names (under their own names, as a CSV file would have them)."""
    columns = dict(spec.columns)
    for field, property_name in org_fields.aliases.items():
        mapped = spec.mapped_fields[field]
        columns.setdefault(
            property_name, Column("VARCHAR", mapped.without, f"properties.{property_name}")
        )
    return columns


def _read_lines(
    connection: duckdb.DuckDBPyConnection, path: Path, scratch: ScratchSpace, table: str
) -> None:
    """The file's lines that are not blank, numbered, in the `scratch` table `table`."""

    def read(readable: Path) -> None:
        connection.execute(
            f"""
            {scratch.create(table)} as
            select _source_file, _file_row, _line,
                   case when json_valid(_line) then json_type(_line) = 'OBJECT'
                        else false end as _is_object
            from (
                select ?::varchar as _source_file, line_number as _file_row,
                       regexp_replace(
                           case when line_number = 1 then ltrim(line, chr(65279)) else line end,
                           '\\r$', ''
                       ) as _line
                from (
                    select unnest(lines) as line, generate_subscripts(lines, 1) as line_number
                    from (select string_split(content, chr(10)) as lines from read_text(?))
                )
            )
            where regexp_matches(_line, '\\S')
            """,
            [str(path), str(readable)],
        )

    read_as_utf8(path, read)


def _absent_keys(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    spec: ExportSpec,
    columns: dict[str, Column],
    table: str,
) -> set[str]:
    """Columns no record of the file has; a required one fails the load. The record
    key is not among them: a record without it is quarantined."""
    names = list(columns)
    found = ", ".join(f"coalesce(bool_or({_exists_at(columns[n], n)}), false)" for n in names)
    row = connection.execute(
        f"select count(*), {found} from (select _line as _object from {table} where _is_object)"
    ).fetchone()
    objects, present = row[0], dict(zip(names, row[1:], strict=True))
    if not objects:
        return set(names)
    missing = [
        _path_of(columns[name], name)
        for name in names
        if columns[name].required and name != spec.key_column and not present[name]
    ]
    if missing:
        raise ExportFileError(
            f"{path}: required key(s) {', '.join(repr(m) for m in missing)} missing from "
            f"every record; the file has {objects} record(s)"
        )
    return {name for name in names if not present[name]}


def _create_empty_read_rows(
    connection: duckdb.DuckDBPyConnection, columns: dict[str, Column], scratch: ScratchSpace
) -> None:
    """The rows of an export the org does not have: none, with every column a file has."""
    selected = ", ".join(
        [
            "null::varchar as _source_file",
            "null::bigint as _file_row",
            *(f"null::varchar as {quote_identifier(name)}" for name in columns),
            f"null::varchar as {RECORD_COLUMN}",
            f"false as {NOT_JSON_COLUMN}",
        ]
    )
    connection.execute(f"{scratch.create('read_rows')} as select {selected} limit 0")


def _path_of(column: Column, name: str) -> str:
    return column.path or name


def _json_path(keys: str) -> str:
    """`properties.amount` -> the JSONPath `$."properties"."amount"` as a SQL literal."""
    quoted = ".".join('"' + key.replace('"', '\\"') + '"' for key in keys.split("."))
    return quote_literal(f"$.{quoted}")


def _list_entry(column: Column, name: str) -> tuple[str, str] | None:
    """For a `list[key=value].field` path: the SQL of the matching entry, and its field."""
    match = LIST_ENTRY_PATH.fullmatch(_path_of(column, name))
    if not match:
        return None
    every_entry = _json_path(match["list"])[:-1] + "[*]'"
    entries = f"json_extract(_object, {every_entry})"
    entry = (
        f"list_filter({entries}, lambda entry: json_extract_string(entry, "
        f"{_json_path(match['key'])}) = {quote_literal(match['value'])})[1]"
    )
    return entry, _json_path(match["field"])


def _exists_at(column: Column, name: str) -> str:
    """SQL: the record has the column's key (a null value counts as having it)."""
    in_list = _list_entry(column, name)
    if in_list:
        entry, field = in_list
        return f"json_exists({entry}, {field})"
    return f"json_exists(_object, {_json_path(_path_of(column, name))})"


def _text_at(column: Column, name: str) -> str:
    """SQL: the column's value in the record as text (JSON text for a JSON column);
    null where the record lacks it or holds null. Epoch milliseconds, which some of
    HubSpot's APIs give for times, become ISO 8601 in UTC."""
    in_list = _list_entry(column, name)
    source, path = in_list or ("_object", _json_path(_path_of(column, name)))
    if column.type == "JSON":
        return f"nullif(json_extract({source}, {path})::varchar, 'null')"
    text = f"json_extract_string({source}, {path})"
    if column.type != "TIMESTAMPTZ":
        return text
    return (
        f"case when regexp_full_match({text}, '{EPOCH_MILLISECONDS}') "
        f"then strftime(epoch_ms({text}::bigint), '%Y-%m-%dT%H:%M:%S.%gZ') else {text} end"
    )
