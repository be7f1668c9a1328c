"""Reading export files as text: which files, which encoding, which columns.

Files are read as text, and cast later in SQL, so a bad value names its column
instead of failing the whole file. Real-world variations are absorbed: a UTF-8 byte
order mark, Windows-1252 / Latin-1 files, `;` tab or `|` delimiters, quoted
newlines, and snake_case headers as Fivetran or Airbyte write them (`is_converted`
for `IsConverted`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb

from orchestration.duckdb_sql import column_names, quote_identifier, quote_literal
from orchestration.ingest.contract import CRM_SYSTEMS, ExportSpec, OrgFields

# Marks a field the reader padded because the row was short: an empty field reads as ''.
PADDED = "\x01"
OVERFLOW_COLUMN = "_overflow"
# Marks a line of a JSON-lines export that is not a JSON object (jsonl_reading.py).
NOT_JSON_COLUMN = "_is_not_json"
# Marks the rows of people erased on request until they are deleted, right after
# reading (personal_data.py).
ERASED_COLUMN = "_erased"
# What the readers add to each row besides the file's own columns.
BOOKKEEPING_COLUMNS = frozenset(
    {"_source_file", "_file_row", "_is_short", "_is_long", OVERFLOW_COLUMN, NOT_JSON_COLUMN}
)
DELIMITERS = (",", ";", "\t", "|")
# SQL of a query over a file's rows and their column names -> the query as it is to be
# written, and the parameters it reads (personal_data.protected).
Protection = Callable[[str, Sequence[str]], tuple[str, dict[str, object]]]
ReadResult = TypeVar("ReadResult")


# DuckDB's sizes as current_setting('memory_limit') shows them: "2.7 GiB".
_SIZE_UNITS = {"bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}
_SIZE_UNITS.update({"KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12})


@dataclass(frozen=True)
class ScratchSpace:
    """Where a load keeps the rows it read until they are loaded (scratch_space)."""

    in_memory: bool
    # The schema of the export's raw table, where a full load types the rows it read
    # in place (csv_loader.py): DuckDB renames a table only within its schema.
    schema: str = "main"

    def name(self, table: str) -> str:
        return f"{'temp' if self.in_memory else quote_identifier(self.schema)}.{table}"

    def create(self, table: str) -> str:
        """The start of a statement that creates or replaces `table` there."""
        return f"create or replace {'temp ' if self.in_memory else ''}table {self.name(table)}"


def scratch_space(
    connection: duckdb.DuckDBPyConnection, files: Sequence[Path], schema: str = "main"
) -> ScratchSpace:
    """Temp tables for the rows of `files`, or ordinary tables in the database's
    `schema`.

    Temp tables are fastest while they fit in DuckDB's memory, but hold text
    uncompressed and spill it as it is. Text takes about 1.5 times its size in the file,
    so files larger than a third of the memory limit go to ordinary tables, which
    DuckDB writes compressed to the database file (M's 2 GB of Marketo activities: peak
    RSS 3.2 -> 1.5 GB, no slower; smaller exports are slower that way)."""
    (limit,) = connection.execute("select current_setting('memory_limit')").fetchone()
    amount, unit = limit.split()
    size = sum(path.stat().st_size for path in files)
    return ScratchSpace(in_memory=size <= float(amount) * _SIZE_UNITS[unit] / 3, schema=schema)


@contextmanager
def scratch_in_reach(
    connection: duckdb.DuckDBPyConnection, scratch: ScratchSpace
) -> Iterator[None]:
    """While loading: `read_rows` and the files' tables named without a schema are the
    scratch tables, in temp (always searched first) or in the scratch's schema."""
    if scratch.in_memory:
        yield
        return
    connection.execute(f"create schema if not exists {quote_identifier(scratch.schema)}")
    connection.execute(f"set search_path = {quote_literal(f'{scratch.schema},main')}")
    try:
        yield
    finally:
        # A failed load has rolled its transaction back already; an error here must not
        # hide its error.
        with suppress(duckdb.Error):
            connection.execute("reset search_path")


def drop_scratch_tables(connection: duckdb.DuckDBPyConnection) -> None:
    """Drop the tables the readers keep rows in, in any scratch space: `read_rows`,
    and each file's `file_rows_<n>` (CSV) or `file_lines_<n>` (JSON lines)."""
    tables = connection.execute(
        """
        select database_name, schema_name, table_name from duckdb_tables()
        where database_name in (current_database(), 'temp')
            and regexp_full_match(table_name, 'read_rows|file_(rows|lines)_[0-9]+')
        """
    ).fetchall()
    for database, schema, table in tables:
        connection.execute(
            f"drop table {'.'.join(quote_identifier(part) for part in (database, schema, table))}"
        )


class ExportFileError(ValueError):
    """An export cannot be loaded at all: missing, unreadable, or missing a column."""


def export_files(landing_dir: Path, spec: ExportSpec) -> list[Path]:
    """`salesforce/Lead.csv` plus any later exports in `salesforce/Lead/*.csv` (for
    HubSpot `hubspot/contacts.jsonl` and `hubspot/contacts/*.jsonl`), oldest first;
    none for an optional export the org does not have, or for any export of a CRM
    system whose folder the landing folder does not hold."""
    single = landing_dir / spec.relative_path
    folder = single.with_suffix("")
    files = ([single] if single.is_file() else []) + sorted(folder.glob(f"*{single.suffix}"))
    if files or not spec.required:
        return files
    present = [system for system in CRM_SYSTEMS if (landing_dir / system).is_dir()]
    if not present:
        raise ExportFileError(
            f"{single}: export file not found (nor any in {folder}/): the landing folder "
            f"{landing_dir} holds neither {' nor '.join(f'{s}/' for s in CRM_SYSTEMS)}"
        )
    if spec.system in present:
        raise ExportFileError(f"{single}: export file not found (nor any in {folder}/)")
    return files


def normalised_name(name: str) -> str:
    """`IsConverted`, `is_converted` and `ISCONVERTED` all become `isconverted`."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


# Byte order marks of the UTF-16 and UTF-32 encodings spreadsheet tools save as
# "Unicode text"; the UTF-32 marks first, as they begin with the UTF-16 ones.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def wide_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32 from the byte order mark, or from the NUL bytes that ASCII text
    in those encodings has without one; None for byte-oriented encodings."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return encoding
    sample = head[: len(head) - len(head) % 4]
    if len(sample) < 4 or b"\0" not in sample:
        return None
    # ASCII in UTF-32 has three NULs per character, in UTF-16 one: the byte after
    # each character tells the byte order.
    if sample[1:4] == b"\0\0\0":
        return "utf-32-le"
    if sample[:3] == b"\0\0\0":
        return "utf-32-be"
    if sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le"
    if sample[0::2].count(0) > len(sample) // 4:
        return "utf-16-be"
    return None


def text_encoding(path: Path) -> str:
    """The file's encoding: UTF-16/32 when the file starts like it; else UTF-8 (with or
    without BOM) when the bytes allow it, else Windows-1252 or Latin-1."""
    wide = head_encoding(path)
    if wide:
        return wide
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 24):
                # ASCII is valid UTF-8 and much faster to recognise than to decode,
                # unless it follows the first bytes of a character split between chunks.
                if not chunk.isascii() or decoder.getstate()[0]:
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return _single_byte_encoding(path)
    return "utf-8-sig"


def head_encoding(path: Path) -> str | None:
    """UTF-16 or UTF-32 when the file's first bytes say so, else None."""
    with path.open("rb") as handle:
        return wide_encoding(handle.read(4096))


def _single_byte_encoding(path: Path) -> str:
    decoder = codecs.getincrementaldecoder("cp1252")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


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


def read_as_utf8(path: Path, read: Callable[[Path], ReadResult]) -> ReadResult:
    """`read(path)`, taking the file for UTF-8, as nearly every export is, unless its
    first bytes say UTF-16 or UTF-32; only a file that `read` cannot take as UTF-8 is
    checked byte by byte and, in another encoding, read again from a UTF-8 copy.

    Checking every file's encoding first meant reading it twice, which the disk, not
    the processor, paid for: L's 10 GB of Marketo activities took 120 s to check before
    DuckDB started reading them."""
    encoding = head_encoding(path)
    if encoding is None:
        try:
            return read(path)
        except (duckdb.Error, UnicodeDecodeError):
            encoding = text_encoding(path)
            if encoding == "utf-8-sig":
                raise
    with utf8_copy(path, encoding) as readable:
        return read(readable)


def read_header(path: Path) -> tuple[list[str], str]:
    """The header row and the delimiter it uses."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first_line = handle.readline()
    if not first_line.strip():
        raise ExportFileError(f"{path}: file is empty, expected a header row")
    delimiter = max(DELIMITERS, key=first_line.count)
    header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter))
    return [name.strip() for name in header], delimiter


@dataclass(frozen=True)
class FileColumns:
    """How one file's header meets the contract."""

    # file column -> warehouse column; contract names win, other columns keep theirs
    renamed: dict[str, str]
    # optional contract columns the file does not have
    absent: tuple[str, ...]


def map_columns(
    path: Path, header: Sequence[str], spec: ExportSpec, org_fields: OrgFields
) -> FileColumns:
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise ExportFileError(f"{path}: column(s) {', '.join(duplicated)} appear more than once")
    by_normalised = {normalised_name(column): column for column in header}
    needed = [
        *(name for name, column in spec.columns.items() if column.required),
        *org_fields.aliases.values(),
        *org_fields.signal_fields,
    ]
    missing = [column for column in needed if normalised_name(column) not in by_normalised]
    if missing:
        raise ExportFileError(
            f"{path}: required column(s) {', '.join(repr(c) for c in missing)} missing; "
            f"the file has {len(header)} column(s)"
        )
    wanted = [*spec.columns, *org_fields.aliases.values(), *org_fields.signal_fields]
    canonical = {
        by_normalised[normalised_name(column)]: column
        for column in wanted
        if normalised_name(column) in by_normalised
    }
    absent = tuple(name for name in spec.columns if normalised_name(name) not in by_normalised)
    return FileColumns({column: canonical.get(column, column) for column in header}, absent)


@dataclass(frozen=True)
class FileRead:
    """What reading one file found besides its rows."""

    path: Path
    # optional contract columns the file lacks, which read as nulls
    absent: tuple[str, ...]
    # lines in the file, counted in the bytes, independently of the CSV parser
    lines: int
    delimiter: str
    header_fields: int


def count_lines(path: Path) -> int:
    """Lines in the file: its line breaks, plus a last line without one."""
    breaks, last = 0, b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 24):
            breaks += chunk.count(b"\n")
            last = chunk[-1:]
    return breaks + (1 if last not in (b"", b"\n") else 0)


def read_file_as_text(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    spec: ExportSpec,
    org_fields: OrgFields,
    scratch: ScratchSpace,
    table: str,
    protect: Protection,
) -> FileRead:
    """One file's rows, all text, under warehouse column names, in the `scratch` table `table`,
    as `protect` leaves them: personal data is protected as it is read, so it is never
    written down as it came.

    The file is read from disk once (read_as_utf8): its lines are counted while DuckDB
    parses it."""
    return read_as_utf8(
        path,
        lambda readable: _read_utf8_file(
            connection, path, readable, spec, org_fields, scratch, table, protect
        ),
    )


def _read_utf8_file(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    readable: Path,
    spec: ExportSpec,
    org_fields: OrgFields,
    scratch: ScratchSpace,
    table: str,
    protect: Protection,
) -> FileRead:
    """`read_file_as_text` of `path`, from `readable`: the file itself or its UTF-8 copy."""
    with ThreadPoolExecutor(max_workers=1) as line_counter:
        lines = line_counter.submit(count_lines, readable)
        header, delimiter = read_header(readable)
        columns = map_columns(path, header, spec, org_fields)
        names = [*columns.renamed.values(), *columns.absent]
        selected = ", ".join(
            [
                *(
                    f"{quote_identifier(source)} as {quote_identifier(target)}"
                    for source, target in columns.renamed.items()
                ),
                *(f"null::varchar as {quote_identifier(name)}" for name in columns.absent),
            ]
        )

        def read_as_text(*, strict: bool, parallel: bool) -> None:
            # A strict read fails on any row whose field count differs from the
            # header's: when it succeeds no row is long, so it needs no overflow
            # column, and a last field is null only where the file holds the PADDED
            # marker itself, just as in a padded read.
            read_columns = header if strict else [*header, OVERFLOW_COLUMN]
            is_long = "false" if strict else f"{quote_identifier(OVERFLOW_COLUMN)} is not null"
            rows, protection_parameters = protect(
                f"""
                select
                    $path::varchar as _source_file,
                    {selected},
                    {quote_identifier(header[-1])} is null as _is_short,
                    {is_long} as _is_long
                from read_csv(
                    $readable, header = false, skip = 1, auto_detect = false,
                    all_varchar = true, strict_mode = {str(strict).lower()},
                    null_padding = {str(not strict).lower()},
                    parallel = {str(parallel).lower()}, delim = $delimiter, quote = '"',
                    escape = '"', nullstr = $padded, columns = $columns
                )
                """,
                names,
            )
            connection.execute(
                f"{scratch.create(table)} as {rows}",
                {
                    "path": str(path),
                    "readable": str(readable),
                    "delimiter": delimiter,
                    "padded": PADDED,
                    "columns": dict.fromkeys(read_columns, "VARCHAR"),
                    **protection_parameters,
                },
            )

        # DuckDB keeps insertion order (preserve_insertion_order) even when it reads a
        # file in parallel, so a row's position in this table is its position in the
        # file: rows are numbered from rowid. Clean files, the bulk of the data, take
        # the fast strict read, which DuckDB also runs in parallel on files with
        # quoted line breaks. Files with short or long rows are read padded; the
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
        return FileRead(path, columns.absent, lines.result(), delimiter, len(header))


def swallowed_records(
    connection: duckdb.DuckDBPyConnection, table: str, read: FileRead
) -> list[tuple[int, int]]:
    """Records whose quoted field swallowed lines that are records of their own (an
    unterminated quote): (line where the record starts, lines it spans).

    A record spans one line plus the line breaks inside its quoted fields. When the
    file's lines are exactly its records and header, no field holds a line break and
    nothing was swallowed. Otherwise a field holding a line with as many delimiters as
    a whole record has swallowed records, and every line it spans past its first is
    one the parser did not see as a record; line breaks in text (an address, a note)
    have no such lines.
    """
    (records,) = connection.execute(f"select count(*) from {table}").fetchone()
    if read.lines == records + 1:
        return []
    columns = [c for c in column_names(connection, table) if c not in BOOKKEEPING_COLUMNS]
    breaks = " + ".join(
        f"coalesce(length({quote_identifier(c)}) - length(replace({quote_identifier(c)}, "
        "chr(10), '')), 0)"
        for c in columns
    )
    record_like = " + ".join(
        f"coalesce(len(list_filter(string_split({quote_identifier(c)}, chr(10))[2:], "
        f"lambda line: length(line) - length(replace(line, $delimiter, '')) "
        f">= $delimiters)), 0)"
        for c in columns
    )
    has_break = " or ".join(f"contains({quote_identifier(c)}, chr(10))" for c in columns)
    return connection.execute(
        f"""
        select first_line, breaks + 1 as lines
        from (
            select
                _file_row + coalesce(sum(breaks) over (
                    order by _file_row rows between unbounded preceding and 1 preceding
                ), 0) as first_line,
                breaks,
                record_like
            from (
                select _file_row, {breaks} as breaks, {record_like} as record_like
                from {table} where {has_break}
            )
        )
        where record_like > 0
        order by first_line
        """,
        {"delimiter": read.delimiter, "delimiters": read.header_fields - 1},
    ).fetchall()
