"""Load an object's export files into the raw layer with DuckDB's CSV reader.

Every row read is accounted for: it is loaded, quarantined (with file, row, column
and reason) or superseded by a newer version of the same record. Files are read as
text first and cast in SQL, so a bad value names its column instead of failing the
whole file, and real-world variations are absorbed: a UTF-8 byte order mark,
Windows-1252 / Latin-1 files, `;` or tab delimiters, European number formats
(`1.234,56`, `€ 1.234,56`), quoted newlines, and snake_case headers as Fivetran or
Airbyte write them (`is_converted` for `IsConverted`). A required column that is
missing fails the load; nothing is guessed silently.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.ingest.exports import ExportSpec
from orchestration.ingest.privacy import (
    EMAIL_COLUMNS,
    PHONE_COLUMNS,
    PrivacyRules,
    pseudonym_parameters,
    pseudonym_sql,
)

QUARANTINE_SCHEMA = "raw_quarantine"
QUARANTINE_TABLE = f"{QUARANTINE_SCHEMA}.rejected_rows"
RECONCILIATION_TABLE = f"{QUARANTINE_SCHEMA}.load_reconciliation"
LOADED_FILES_TABLE = f"{QUARANTINE_SCHEMA}.loaded_files"
# Marks a field the reader padded because the row was short: an empty field reads as ''.
PADDED = "\x01"
OVERFLOW_COLUMN = "_overflow"
DELIMITERS = (",", ";", "\t", "|")
NUMERIC_TYPES = ("DECIMAL", "DOUBLE", "BIGINT", "INTEGER")


class ExportFileError(ValueError):
    """An export cannot be loaded at all: missing, unreadable, or missing a column."""


@dataclass(frozen=True)
class LoadResult:
    files: tuple[Path, ...]
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_superseded: int
    rows_erased: int
    columns: tuple[str, ...]

    @property
    def reconciles(self) -> bool:
        accounted = self.rows_loaded + self.rows_quarantined + self.rows_superseded
        return self.rows_read == accounted + self.rows_erased


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def export_files(landing_dir: Path, spec: ExportSpec) -> list[Path]:
    """`salesforce/Lead.csv` plus any later exports in `salesforce/Lead/*.csv`, oldest first."""
    single = landing_dir / spec.relative_path
    folder = single.with_suffix("")
    files = ([single] if single.is_file() else []) + sorted(folder.glob("*.csv"))
    if not files:
        raise ExportFileError(f"{single}: export file not found (nor any in {folder}/)")
    return files


def normalised_name(name: str) -> str:
    """`IsConverted`, `is_converted` and `ISCONVERTED` all become `isconverted`."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def text_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the bytes allow it, else Windows-1252 or Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


@contextmanager
def utf8_copy(path: Path, encoding: str) -> Iterator[Path]:
    """DuckDB reads UTF-8; other encodings are transcoded to a temporary copy."""
    if encoding == "utf-8-sig":
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="revenue-transcode-") as scratch:
        target = Path(scratch) / path.name
        with (
            path.open(encoding=encoding, newline="") as source,
            target.open("w", encoding="utf-8", newline="") as sink,
        ):
            while chunk := source.read(1 << 20):
                sink.write(chunk)
        yield target


def read_header(path: Path) -> tuple[list[str], str]:
    """The header row and the delimiter it uses."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first_line = handle.readline()
    if not first_line.strip():
        raise ExportFileError(f"{path}: file is empty, expected a header row")
    delimiter = max(DELIMITERS, key=first_line.count)
    header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter))
    return [name.strip() for name in header], delimiter


def map_columns(
    path: Path, header: Sequence[str], spec: ExportSpec, custom_fields: Mapping[str, str]
) -> dict[str, str]:
    """File column -> warehouse column: contract names win, other columns keep theirs."""
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise ExportFileError(f"{path}: column(s) {', '.join(duplicated)} appear more than once")
    by_normalised = {normalised_name(column): column for column in header}
    wanted = [*spec.columns, *custom_fields.values()]
    missing = [column for column in wanted if normalised_name(column) not in by_normalised]
    if missing:
        raise ExportFileError(
            f"{path}: required column(s) {', '.join(repr(c) for c in missing)} missing; "
            f"the file has: {', '.join(header)}"
        )
    canonical = {by_normalised[normalised_name(column)]: column for column in wanted}
    return {column: canonical.get(column, column) for column in header}


def _cast_expression(column: str, duckdb_type: str) -> str:
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


def _define_macros(connection: duckdb.DuckDBPyConnection) -> None:
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


def _ensure_bookkeeping(connection: duckdb.DuckDBPyConnection) -> None:
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


def _read_file_as_text(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    spec: ExportSpec,
    custom_fields: Mapping[str, str],
    file_index: int,
) -> None:
    """One file's rows, all text, under warehouse column names, in `file_rows_<n>`."""
    encoding = text_encoding(path)
    with utf8_copy(path, encoding) as readable:
        header, delimiter = read_header(readable)
        mapping = map_columns(path, header, spec, custom_fields)
        renamed = ", ".join(
            f"{quote_identifier(source)} as {quote_identifier(target)}"
            for source, target in mapping.items()
        )

        def read_as_text(*, strict: bool, parallel: bool) -> None:
            # A strict read fails on any row whose field count differs from the
            # header's: when it succeeds no row is long, so it needs no overflow
            # column, and a last field is null only where the file holds the PADDED
            # marker itself, just as in a padded read.
            columns = header if strict else [*header, OVERFLOW_COLUMN]
            is_long = "false" if strict else f"{quote_identifier(OVERFLOW_COLUMN)} is not null"
            connection.execute(
                f"""
                create or replace temp table file_rows_{file_index} as
                select
                    ?::varchar as _source_file,
                    {renamed},
                    {quote_identifier(header[-1])} is null as _is_short,
                    {is_long} as _is_long
                from read_csv(
                    ?, header = false, skip = 1, auto_detect = false, all_varchar = true,
                    strict_mode = {str(strict).lower()}, null_padding = {str(not strict).lower()},
                    parallel = {str(parallel).lower()}, delim = ?, quote = '"', escape = '"',
                    nullstr = ?, columns = ?
                )
                """,
                [str(path), str(readable), delimiter, PADDED, dict.fromkeys(columns, "VARCHAR")],
            )

        # DuckDB keeps insertion order (preserve_insertion_order) even when it reads a
        # file in parallel, so a row's position in this table is its position in the
        # file: _read_files numbers the rows from rowid. Clean files, the bulk of the
        # data, take the fast strict read, which DuckDB also runs in parallel on files
        # with quoted line breaks. Files with short or long rows are read padded; the
        # parallel scanner gives up on some of those (short rows in a file with
        # quoted line breaks, among others), which are read again on one thread,
        # whose error, if any, stands.
        try:
            read_as_text(strict=True, parallel=True)
        except duckdb.Error:
            try:
                read_as_text(strict=False, parallel=True)
            except duckdb.Error:
                read_as_text(strict=False, parallel=False)


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
    if not loaded_before or not rules_unchanged:
        return LoadPlan("full", tuple(files))
    if any(fingerprints.get(name) != fingerprint for name, fingerprint in loaded_before.items()):
        return LoadPlan("full", tuple(files))
    new_files = tuple(f for f in files if str(f) not in loaded_before)
    return LoadPlan("incremental" if new_files else "unchanged", new_files)


def load_export(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    files: Sequence[Path],
    custom_fields: Mapping[str, str] | None,
    privacy: PrivacyRules,
    full_refresh: bool = False,
) -> LoadResult:
    """Bring `<source>.<table>` up to date with the latest version of every record in `files`.

    Files loaded before and unchanged since are not read again: only new files are
    merged in, so a nightly run's work follows the day's delta. `full_refresh` reads
    everything again.

    `custom_fields` maps a warehouse field name to the org's column holding it; the
    column is kept under its own name and copied under the warehouse name.
    """
    custom_fields = dict(custom_fields or {})
    target = f"{quote_identifier(spec.source)}.{quote_identifier(spec.table)}"
    loaded_at = dt.datetime.now(dt.UTC)
    _define_macros(connection)
    _ensure_bookkeeping(connection)
    fingerprints = {str(f): file_fingerprint(f) for f in files}
    loaded_before, previous = _previous_load(connection, spec, privacy)
    plan = (
        LoadPlan("full", tuple(files))
        if full_refresh
        else plan_load(loaded_before, files, fingerprints, previous is not None)
    )
    if plan.mode == "unchanged" and previous is not None:
        return previous

    # Files are read into temporary tables before the transaction: a failed parallel
    # read must not abort it, and the read is retried on one thread.
    try:
        rows_read, rows_erased = _read_files(connection, spec, plan.files, custom_fields, privacy)
    except duckdb.Error as error:
        raise _unloadable(plan.files, error) from error
    connection.execute("begin transaction")
    try:
        if plan.mode == "full":
            _clear_bookkeeping(connection, spec)
        _quarantine(connection, spec, loaded_at)
        superseded_in_read = _build_incoming(connection, spec, custom_fields, loaded_at)
        replaced_or_older = 0
        if plan.mode == "full":
            connection.execute(f"create schema if not exists {quote_identifier(spec.source)}")
            connection.execute(f"create or replace table {target} as select * from incoming")
        else:
            replaced_or_older = _merge_incoming(connection, spec, target)
        result = _reconcile(
            connection,
            spec,
            target,
            files,
            loaded_at,
            (previous if plan.mode == "incremental" else None),
            rows_read,
            rows_erased,
            superseded_in_read,
            replaced_or_older,
            _erasure_digest(privacy),
        )
        connection.executemany(
            f"insert into {LOADED_FILES_TABLE} values (?, ?, ?, ?, ?)",
            [
                [spec.source, spec.table, str(f), fingerprints[str(f)], loaded_at]
                for f in plan.files
            ],
        )
        for scratch in ("read_rows", "rejected_rows", "incoming"):
            connection.execute(f"drop table {scratch}")
        connection.execute("commit")
    except duckdb.Error as error:
        connection.execute("rollback")
        raise _unloadable(plan.files, error) from error
    except ExportFileError:
        connection.execute("rollback")
        raise
    return result


def _unloadable(files: Sequence[Path], error: duckdb.Error) -> ExportFileError:
    return ExportFileError(f"{', '.join(str(f) for f in files)}: could not be loaded: {error}")


def _erasure_digest(privacy: PrivacyRules) -> str:
    """Changes whenever the erasure list does, which forces a full reload."""
    listed = [*sorted(privacy.erased_pseudonyms), "|", *sorted(privacy.erased_person_ids)]
    return hashlib.sha256("\n".join(listed).encode()).hexdigest()


def _previous_load(
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
               erasure_digest
        from {RECONCILIATION_TABLE} where source = ? and table_name = ?
        """,
        scope,
    ).fetchone()
    table_exists = connection.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?", scope
    ).fetchone()[0]
    if row is None or not table_exists or row[6] != _erasure_digest(privacy):
        return loaded_before, None
    files, *counts, _ = row
    return loaded_before, LoadResult(
        tuple(Path(f) for f in files), *counts, columns=tuple(spec.columns)
    )


def _read_files(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    files: Sequence[Path],
    custom_fields: Mapping[str, str],
    privacy: PrivacyRules,
) -> tuple[int, int]:
    """All rows of `files`, as text, pseudonymised, without erased people, in `read_rows`."""
    for index, path in enumerate(files):
        _read_file_as_text(connection, path, spec, custom_fields, index)
        # rowid 0 is the first record after the header: row 2, as a spreadsheet shows it.
        # Numbering in place is much cheaper than copying the rows to add the column.
        connection.execute(f"alter table file_rows_{index} add column _file_row bigint")
        connection.execute(f"update file_rows_{index} set _file_row = rowid + 2")
    # A failed load leaves read_rows behind: it is created before the transaction.
    connection.execute("drop table if exists temp.read_rows")
    if len(files) == 1:
        connection.execute("alter table file_rows_0 rename to read_rows")
    else:
        all_rows = " union all by name ".join(
            f"select * from file_rows_{index}" for index in range(len(files))
        )
        connection.execute(f"create temp table read_rows as {all_rows}")
        for index in range(len(files)):
            connection.execute(f"drop table file_rows_{index}")
    (rows_read,) = connection.execute("select count(*) from read_rows").fetchone()
    return rows_read, _protect_personal_data(connection, spec, privacy)


def _build_incoming(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    custom_fields: Mapping[str, str],
    loaded_at: dt.datetime,
) -> int:
    """Typed, valid rows read this time, newest version per key, in `incoming`.

    Returns how many valid rows read this time a newer version of theirs supersedes.
    """
    read_columns = [c[0] for c in connection.execute("select * from read_rows limit 0").description]
    bookkeeping = {"_source_file", "_file_row", "_is_short", "_is_long", OVERFLOW_COLUMN}
    typed = ", ".join(
        f"{_cast_expression(column, kind)} as {quote_identifier(column)}"
        for column, kind in spec.columns.items()
    )
    extras = "".join(
        f", nullif({quote_identifier(column)}, '') as {quote_identifier(column)}"
        for column in read_columns
        if column not in spec.columns and column not in bookkeeping
    )
    aliases = "".join(
        f", nullif({quote_identifier(column)}, '') as {quote_identifier(field)}"
        for field, column in custom_fields.items()
    )
    key = quote_identifier(spec.key_column)
    (superseded,) = connection.execute(
        f"""
        select count(*) - count(distinct {key})
        from read_rows anti join rejected_rows using (_source_file, _file_row)
        """
    ).fetchone()
    # Keeping the newest version per key is costly, and changes nothing when no key
    # occurs twice: the count is over the same raw keys the window partitions by,
    # none of them null (an empty key is quarantined).
    newest_only = (
        f"""
        qualify row_number() over (
            partition by {key} order by {_newest_first(spec)}_source_file desc, _file_row desc
        ) = 1
        """
        if superseded
        else ""
    )
    connection.execute(
        f"""
        create or replace temp table incoming as
        select {typed}{extras}{aliases}, _source_file, ?::timestamptz as _loaded_at
        from read_rows
        anti join rejected_rows using (_source_file, _file_row)
        {newest_only}
        """,
        [loaded_at],
    )
    return superseded


def _newest_first(spec: ExportSpec) -> str:
    """Ordering terms that put the newest version of a record in `read_rows` first."""
    if not spec.version_column:
        return ""
    kind = spec.columns[spec.version_column]
    return f"{_cast_expression(spec.version_column, kind)} desc nulls last, "


def _merge_incoming(connection: duckdb.DuckDBPyConnection, spec: ExportSpec, target: str) -> int:
    """Upsert `incoming` into the raw table by key; returns rows superseded by it.

    A stored record is replaced by an incoming one that is at least as new; an
    incoming record older than the stored one is itself superseded.
    """
    key = quote_identifier(spec.key_column)
    stored = {c[0] for c in connection.execute(f"select * from {target} limit 0").description}
    for column in connection.execute("select * from incoming limit 0").description:
        if column[0] not in stored:
            connection.execute(
                f"alter table {target} add column {quote_identifier(column[0])} varchar"
            )
    newer = (
        f"coalesce(incoming.{quote_identifier(spec.version_column)} "
        f">= stored.{quote_identifier(spec.version_column)}, true)"
        if spec.version_column
        else "true"
    )
    (clashes,) = connection.execute(
        f"select count(*) from incoming join {target} as stored using ({key})"
    ).fetchone()
    connection.execute(
        f"""
        delete from incoming where {key} in (
            select {key} from incoming join {target} as stored using ({key}) where not ({newer})
        )
        """
    )
    connection.execute(f"delete from {target} where {key} in (select {key} from incoming)")
    connection.execute(f"insert into {target} by name select * from incoming")
    return clashes


def _clear_bookkeeping(connection: duckdb.DuckDBPyConnection, spec: ExportSpec) -> None:
    """A full reload starts this object's quarantine and file list afresh."""
    scope = [spec.source, spec.table]
    for table in (QUARANTINE_TABLE, LOADED_FILES_TABLE):
        connection.execute(f"delete from {table} where source = ? and table_name = ?", scope)


def _quarantine(
    connection: duckdb.DuckDBPyConnection, spec: ExportSpec, loaded_at: dt.datetime
) -> None:
    """Add every rule each read row breaks to this object's quarantine."""
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
            quote_literal(column),
            f"nullif({quote_identifier(column)}, '') is not null "
            f"and {_cast_expression(column, kind)} is null",
            f"'value ''' || {quote_identifier(column)} || ''' is not a valid {kind}'",
        )
        for column, kind in spec.columns.items()
        if kind != "VARCHAR"
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


def _protect_personal_data(
    connection: duckdb.DuckDBPyConnection, spec: ExportSpec, privacy: PrivacyRules
) -> int:
    """Pseudonymise contact data in place, then drop erased people's rows; returns those."""
    columns = [c[0] for c in connection.execute("select * from read_rows limit 0").description]
    emails = [c for c in columns if normalised_name(c) in EMAIL_COLUMNS]
    phones = [c for c in columns if normalised_name(c) in PHONE_COLUMNS]
    assignments = [
        f"{quote_identifier(c)} = {pseudonym_sql(kind, quote_identifier(c))}"
        for kind, kind_columns in (("email", emails), ("phone", phones))
        for c in kind_columns
    ]
    if assignments:
        connection.execute(
            f"update read_rows set {', '.join(assignments)}", pseudonym_parameters(privacy.key)
        )
    erased_when = [f"list_contains($pseudonyms, {quote_identifier(c)})" for c in emails] + [
        f"list_contains($ids, {quote_identifier(c)})" for c in spec.person_columns if c in columns
    ]
    if not erased_when or not (privacy.erased_pseudonyms or privacy.erased_person_ids):
        return 0
    condition = " or ".join(erased_when)
    erased_lists = {
        name: values
        for name, values in (
            ("pseudonyms", sorted(privacy.erased_pseudonyms)),
            ("ids", sorted(privacy.erased_person_ids)),
        )
        if f"${name}" in condition
    }
    (erased,) = connection.execute(
        f"select count(*) from read_rows where {condition}", erased_lists
    ).fetchone()
    connection.execute(f"delete from read_rows where {condition}", erased_lists)
    return erased


def _reconcile(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    target: str,
    files: Sequence[Path],
    loaded_at: dt.datetime,
    previous: LoadResult | None,
    rows_read: int,
    rows_erased: int,
    superseded_in_read: int,
    superseded_by_merge: int,
    erasure_digest: str,
) -> LoadResult:
    """Count each outcome on its own, not as a remainder, so the reconciliation can fail."""
    scope = [spec.source, spec.table]
    (rows_loaded,) = connection.execute(f"select count(*) from {target}").fetchone()
    (rows_quarantined,) = connection.execute("select count(*) from rejected_rows").fetchone()
    result = LoadResult(
        files=tuple(files),
        rows_read=rows_read + (previous.rows_read if previous else 0),
        rows_loaded=rows_loaded,
        rows_quarantined=rows_quarantined,
        rows_superseded=superseded_in_read
        + superseded_by_merge
        + (previous.rows_superseded if previous else 0),
        rows_erased=rows_erased + (previous.rows_erased if previous else 0),
        columns=tuple(spec.columns),
    )
    connection.execute(
        f"delete from {RECONCILIATION_TABLE} where source = ? and table_name = ?", scope
    )
    connection.execute(
        f"insert into {RECONCILIATION_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            *scope,
            [str(f) for f in files],
            result.rows_read,
            result.rows_loaded,
            result.rows_quarantined,
            result.rows_superseded,
            result.rows_erased,
            loaded_at,
            erasure_digest,
        ],
    )
    return result
