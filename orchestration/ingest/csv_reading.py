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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.duckdb_sql import quote_identifier
from orchestration.ingest.exports import ExportSpec, OrgFields

# Marks a field the reader padded because the row was short: an empty field reads as ''.
PADDED = "\x01"
OVERFLOW_COLUMN = "_overflow"
DELIMITERS = (",", ";", "\t", "|")


class ExportFileError(ValueError):
    """An export cannot be loaded at all: missing, unreadable, or missing a column."""


def export_files(landing_dir: Path, spec: ExportSpec) -> list[Path]:
    """`salesforce/Lead.csv` plus any later exports in `salesforce/Lead/*.csv`, oldest
    first; none for an optional export the org does not have."""
    single = landing_dir / spec.relative_path
    folder = single.with_suffix("")
    files = ([single] if single.is_file() else []) + sorted(folder.glob("*.csv"))
    if not files and spec.required:
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


def read_file_as_text(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    spec: ExportSpec,
    org_fields: OrgFields,
    table: str,
) -> tuple[str, ...]:
    """One file's rows, all text, under warehouse column names, in the temp `table`;
    returns the optional contract columns the file lacks, which read as nulls."""
    encoding = text_encoding(path)
    with utf8_copy(path, encoding) as readable:
        header, delimiter = read_header(readable)
        columns = map_columns(path, header, spec, org_fields)
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
            connection.execute(
                f"""
                create or replace temp table {table} as
                select
                    ?::varchar as _source_file,
                    {selected},
                    {quote_identifier(header[-1])} is null as _is_short,
                    {is_long} as _is_long
                from read_csv(
                    ?, header = false, skip = 1, auto_detect = false, all_varchar = true,
                    strict_mode = {str(strict).lower()}, null_padding = {str(not strict).lower()},
                    parallel = {str(parallel).lower()}, delim = ?, quote = '"', escape = '"',
                    nullstr = ?, columns = ?
                )
                """,
                [
                    str(path),
                    str(readable),
                    delimiter,
                    PADDED,
                    dict.fromkeys(read_columns, "VARCHAR"),
                ],
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
    return columns.absent
