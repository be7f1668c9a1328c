"""Load an object's export files into the raw layer: CSV exports with DuckDB's CSV
reader (csv_reading.py), JSON-lines exports line by line (jsonl_reading.py).

Every row read is accounted for: it is loaded, quarantined (with file, row, column
and reason), superseded by a newer version of the same record, or erased on request.
An optional export the org does not have loads as an empty table, and an optional
column a file lacks as nulls; both are recorded so the run can say what is limited.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import duckdb

from orchestration.duckdb_sql import column_names, quote_identifier
from orchestration.ingest.bookkeeping import (
    FilesRead,
    LoadPlan,
    LoadResult,
    clear_bookkeeping,
    ensure_bookkeeping,
    file_fingerprint,
    plan_load,
    previous_load,
    record_loaded_files,
    record_reconciliation,
)
from orchestration.ingest.csv_reading import (
    BOOKKEEPING_COLUMNS,
    ExportFileError,
    ScratchSpace,
    drop_scratch_tables,
    read_file_as_text,
    scratch_in_reach,
    scratch_space,
    swallowed_records,
)
from orchestration.ingest.exports import ExportSpec, OrgFields
from orchestration.ingest.jsonl_reading import read_json_lines
from orchestration.ingest.load_errors import unloadable
from orchestration.ingest.personal_data import drop_erased_rows, protected
from orchestration.ingest.privacy import PrivacyRules
from orchestration.ingest.quarantine import (
    cast_expression,
    define_number_parsing,
    ensure_quarantine,
    quarantine_broken_rows,
)
from orchestration.ingest.raw_columns import (
    can_type_in_place,
    raw_columns,
    select_list,
    type_read_rows_in_place,
)

# The hashes of the keys read more than once in a load (_build_incoming): the keys that
# can have been superseded or have conflicting versions.
REPEATED_KEY_HASHES = "repeated_key_hashes"


def load_export(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    files: Sequence[Path],
    org_fields: OrgFields,
    privacy: PrivacyRules,
    full_refresh: bool = False,
) -> LoadResult:
    """Bring `<source>.<table>` up to date with the latest version of every record in `files`.

    Files loaded before and unchanged since are not read again: only new files are
    merged in, so a nightly run's work follows the day's delta. `full_refresh` reads
    everything again. No files (an optional export the org does not have) gives an
    empty table.
    """
    target = f"{quote_identifier(spec.source)}.{quote_identifier(spec.table)}"
    loaded_at = dt.datetime.now(dt.UTC)
    define_number_parsing(connection)
    ensure_quarantine(connection)
    ensure_bookkeeping(connection)
    fingerprints = {str(f): file_fingerprint(f) for f in files}
    loaded_before, previous = previous_load(connection, spec, privacy)
    plan = (
        LoadPlan("full", tuple(files))
        if full_refresh
        else plan_load(loaded_before, files, fingerprints, previous is not None)
    )
    if plan.mode == "unchanged" and previous is not None:
        return previous

    scratch = scratch_space(connection, plan.files, spec.source)
    with scratch_in_reach(connection, scratch):
        # Files are read into scratch tables before the transaction: a failed parallel
        # read must not abort it, and the read is retried on one thread. A failed load
        # leaves its scratch tables behind.
        drop_scratch_tables(connection)
        try:
            reader = read_json_lines if spec.is_json_lines else _read_files
            read = reader(connection, spec, plan.files, org_fields, privacy, scratch)
        except duckdb.Error as error:
            raise unloadable(connection, plan.files, error) from error
        connection.execute("begin transaction")
        try:
            full = plan.mode == "full"
            if full:
                clear_bookkeeping(connection, spec)
            quarantine_broken_rows(connection, spec, loaded_at)
            if full:
                # Written straight into place: a copy of the largest tables costs as much
                # as reading them.
                connection.execute(f"create schema if not exists {quote_identifier(spec.source)}")
            superseded_in_read, conflicting = _build_incoming(
                connection, spec, org_fields, loaded_at, scratch, full
            )
            replaced_or_older = 0 if full else _merge_incoming(connection, spec, target)
            earlier = previous if plan.mode == "incremental" else LoadResult((), 0, 0, 0, 0, 0)
            (rows_loaded,) = connection.execute(f"select count(*) from {target}").fetchone()
            (rows_quarantined,) = connection.execute(
                "select count(*) from rejected_rows"
            ).fetchone()
            # Each outcome is counted on its own, not as a remainder, so the
            # reconciliation can fail.
            result = LoadResult(
                files=tuple(files),
                rows_read=read.records + earlier.rows_read,
                rows_loaded=rows_loaded,
                rows_quarantined=rows_quarantined,
                rows_superseded=superseded_in_read + replaced_or_older + earlier.rows_superseded,
                rows_erased=read.erased + earlier.rows_erased,
                absent_columns=_absent_columns(spec, read.absent, earlier),
                problems=(*earlier.problems, *read.problems),
                conflicting_versions=conflicting + earlier.conflicting_versions,
            )
            record_reconciliation(connection, spec, result, loaded_at, privacy)
            record_loaded_files(
                connection, spec, {str(f): fingerprints[str(f)] for f in plan.files}, loaded_at
            )
            drop_scratch_tables(connection)
            for table in ("rejected_rows", "incoming", REPEATED_KEY_HASHES):
                connection.execute(f"drop table if exists temp.{table}")
            connection.execute("commit")
        except duckdb.Error as error:
            _roll_back(connection)
            raise unloadable(connection, plan.files, error) from error
        except ExportFileError:
            _roll_back(connection)
            raise
        return result


def _absent_columns(spec: ExportSpec, read: set[str], earlier: LoadResult) -> tuple[str, ...]:
    """Columns some file lacks, whose rows are null: a CSV file's header says so. A JSON
    record leaves out null properties, so a JSON-lines export lacks a column only when
    no file loaded has it."""
    if spec.is_json_lines and earlier.files:
        return tuple(sorted(read & set(earlier.absent_columns)))
    return tuple(sorted({*read, *earlier.absent_columns}))


def _roll_back(connection: duckdb.DuckDBPyConnection) -> None:
    """Undo the load's transaction; one a failure (a full disk) already ended needs
    nothing, and its error must not hide the failure's."""
    with contextlib.suppress(duckdb.Error):
        connection.execute("rollback")


def _read_files(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    files: Sequence[Path],
    org_fields: OrgFields,
    privacy: PrivacyRules,
    scratch: ScratchSpace,
) -> FilesRead:
    """All rows of `files`, as text, pseudonymised, without erased people, in the
    `scratch` table `read_rows`."""
    absent = {field for field in spec.mapped_fields if field not in org_fields.aliases}
    if not files:
        _create_empty_read_rows(connection, spec, org_fields, scratch)
        return FilesRead(0, 0, absent, ())
    swallowed, erased, problems = 0, 0, []

    def protect(rows: str, columns: Sequence[str]) -> tuple[str, dict[str, object]]:
        return protected(rows, columns, spec, privacy)

    tables = [f"file_rows_{index}" for index in range(len(files))]
    for path, name in zip(files, tables, strict=True):
        read = read_file_as_text(connection, path, spec, org_fields, scratch, name, protect)
        table = scratch.name(name)
        absent.update(read.absent)
        # rowid 0 is the first record after the header: row 2, as a spreadsheet shows it.
        # Numbering in place is much cheaper than copying the rows to add the column.
        connection.execute(f"alter table {table} add column _file_row bigint")
        connection.execute(f"update {table} set _file_row = rowid + 2")
        for line, lines in swallowed_records(connection, table, read):
            swallowed += lines - 1
            problems.append(
                f"{path} line {line}: a quoted field starting in this record runs over "
                f"{lines} lines holding records of their own, which were not read (an "
                "unterminated quote?)"
            )
        erased += drop_erased_rows(connection, table)
    _stack_as_read_rows(connection, [scratch.name(table) for table in tables])
    (kept,) = connection.execute("select count(*) from read_rows").fetchone()
    return FilesRead(kept + erased + swallowed, erased, absent, tuple(problems))


def _stack_as_read_rows(connection: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> None:
    """The rows of the `tables` (dropped) in `read_rows`, in the same schema. The other
    files' rows are added to the largest file's table: copying only those is much
    cheaper than copying them all, and a later file may have columns an earlier lacks."""
    sizes = {
        table: connection.execute(f"select count(*) from {table}").fetchone()[0] for table in tables
    }
    base, *others = sorted(tables, key=sizes.__getitem__, reverse=True)
    for table in others:
        _add_missing_columns(connection, base, table)
        connection.execute(f"insert into {base} by name select * from {table}")
        connection.execute(f"drop table {table}")
    connection.execute(f"alter table {base} rename to read_rows")


def _add_missing_columns(connection: duckdb.DuckDBPyConnection, target: str, source: str) -> None:
    """Give `target` the (text) columns of `source` it lacks, so `source` inserts by name."""
    have = set(column_names(connection, target))
    for column in column_names(connection, source):
        if column not in have:
            column_sql = quote_identifier(column)
            connection.execute(f"alter table {target} add column {column_sql} varchar")


def _create_empty_read_rows(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    org_fields: OrgFields,
    scratch: ScratchSpace,
) -> None:
    """The rows of an export the org does not have: none, with every column a file has."""
    text_columns = [*spec.columns, *org_fields.aliases.values(), *org_fields.signal_fields]
    columns = ", ".join(
        [
            "null::varchar as _source_file",
            *(f"null::varchar as {quote_identifier(name)}" for name in text_columns),
            "false as _is_short",
            "false as _is_long",
            "null::bigint as _file_row",
        ]
    )
    connection.execute(f"{scratch.create('read_rows')} as select {columns} limit 0")


def _build_incoming(
    connection: duckdb.DuckDBPyConnection,
    spec: ExportSpec,
    org_fields: OrgFields,
    loaded_at: dt.datetime,
    scratch: ScratchSpace,
    full: bool,
) -> tuple[int, int]:
    """Typed, valid rows read this time, newest version per key: on a full load in the
    raw table itself, else in the temp table `incoming`.

    Returns how many valid rows read this time a newer version of theirs supersedes,
    and how many records have two different versions under the same version stamp.
    """
    read_columns = column_names(connection, "read_rows")
    columns = raw_columns(spec, org_fields, read_columns)
    key = quote_identifier(spec.key_column)
    # Keys are grouped by their 64-bit hash, a much smaller hash table than the keys'
    # text (count(distinct) of 50M activity keys took DuckDB 0.5 GB past its memory
    # limit); only the keys of hashes that occur twice are compared as text, so a
    # collision of two different keys counts nothing.
    connection.execute(
        f"""
        create or replace temp table {REPEATED_KEY_HASHES} as
        select hash({key}) as key_hash
        from read_rows anti join rejected_rows using (_source_file, _file_row)
        group by key_hash
        having count(*) > 1
        """
    )
    (superseded,) = connection.execute(
        f"""
        select count(*) - count(distinct {key})
        from read_rows anti join rejected_rows using (_source_file, _file_row)
        where {_read_more_than_once(key)}
        """
    ).fetchone()
    conflicting = _conflicting_versions(connection, spec, read_columns) if superseded else 0
    # Keeping the newest version per key sorts rows by key: only the rows of keys read
    # more than once need it, and none when no key is (the count is over the same raw
    # keys the window partitions by, none of them null: an empty key is quarantined).
    version_rank = (
        f"row_number() over (partition by {key} "
        f"order by {_newest_first(spec)}_source_file desc, _file_row desc)"
    )
    read_rows = scratch.name("read_rows")
    # Rows a full load read into the raw table's schema become that table, typed in
    # place (raw_columns.py), once the rows it must not hold are deleted.
    if (
        full
        and not spec.is_json_lines
        and not scratch.in_memory
        and scratch.schema == spec.source
        and can_type_in_place(columns, read_columns)
    ):
        connection.execute(
            f"""
            delete from {read_rows} using rejected_rows
            where {read_rows}._source_file = rejected_rows._source_file
                and {read_rows}._file_row = rejected_rows._file_row
            """
        )
        if superseded:
            connection.execute(
                f"""
                delete from {read_rows} where rowid in (
                    select rowid from {read_rows}
                    where {_read_more_than_once(key)}
                    qualify {version_rank} > 1
                )
                """
            )
        type_read_rows_in_place(connection, read_rows, read_columns, columns, loaded_at, spec)
        return superseded, conflicting
    rows = f"""
        select {select_list(columns)}, _source_file, $loaded_at::timestamptz as _loaded_at
        from read_rows
        anti join rejected_rows using (_source_file, _file_row)
    """
    newest = (
        f"""
        {rows} where not {_read_more_than_once(key)}
        union all
        {rows} where {_read_more_than_once(key)}
        qualify {version_rank} = 1
        """
        if superseded
        else rows
    )
    target = (
        f"table {quote_identifier(spec.source)}.{quote_identifier(spec.table)}"
        if full
        else "temp table incoming"
    )
    connection.execute(f"create or replace {target} as {newest}", {"loaded_at": loaded_at})
    return superseded, conflicting


def _read_more_than_once(key: str) -> str:
    """SQL: whether the row's `key` (quoted) is among those read more than once, by hash
    (REPEATED_KEY_HASHES)."""
    return f"hash({key}) in (select key_hash from {REPEATED_KEY_HASHES})"


def _conflicting_versions(
    connection: duckdb.DuckDBPyConnection, spec: ExportSpec, read_columns: Sequence[str]
) -> int:
    """Records whose newest version stamp two rows with different content share: which
    is right cannot be told, so the later file and row wins, as for every duplicate,
    and the load reports how many."""
    if not spec.version_column:
        return 0
    key = quote_identifier(spec.key_column)
    stamp = cast_expression(
        spec.version_column, spec.columns[spec.version_column].type, spec.is_json_lines
    )
    content = ", ".join(quote_identifier(c) for c in read_columns if c not in BOOKKEEPING_COLUMNS)
    # Only a key read more than once can have two versions: the others are left out
    # before the window, which would otherwise sort every record read.
    (conflicting,) = connection.execute(
        f"""
        select count(*) from (
            select {key}
            from (
                select {key}, {stamp} as stamp, hash({content}) as content,
                       max({stamp}) over (partition by {key}) as newest_stamp
                from read_rows anti join rejected_rows using (_source_file, _file_row)
                where {_read_more_than_once(key)}
            )
            where stamp = newest_stamp
            group by {key}
            having count(distinct content) > 1
        )
        """
    ).fetchone()
    return conflicting


def _newest_first(spec: ExportSpec) -> str:
    """Ordering terms that put the newest version of a record in `read_rows` first."""
    if not spec.version_column:
        return ""
    kind = spec.columns[spec.version_column].type
    return f"{cast_expression(spec.version_column, kind, spec.is_json_lines)} desc nulls last, "


def _merge_incoming(connection: duckdb.DuckDBPyConnection, spec: ExportSpec, target: str) -> int:
    """Upsert `incoming` into the raw table by key; returns rows superseded by it.

    A stored record is replaced by an incoming one that is at least as new; an
    incoming record older than the stored one is itself superseded.
    """
    key = quote_identifier(spec.key_column)
    _add_missing_columns(connection, target, "incoming")
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
