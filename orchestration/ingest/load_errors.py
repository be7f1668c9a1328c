"""A load that fails says why in words that are safe to store and show.

Error messages end up in Dagster's run storage, its logs and the console, none of
which erasure reaches, so they name the file, the line and the kind of problem, never
a value from the file: DuckDB's CSV errors quote the offending line ("Original Line:
…") and its conversion errors the offending value, and both are left out. A full disk
is named as such, with where, instead of the error that follows from it.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import duckdb

from orchestration.ingest.csv_reading import ExportFileError

# DuckDB's own sentences about what is wrong with a CSV file; they hold no file content.
CSV_PROBLEMS = (
    r"Value with unterminated quote found\.",
    r"Expected Number of Columns: \d+ Found: \d+",
    r"Invalid unicode \(byte sequence mismatch\) detected\.",
    r"Maximum line size of \d+ bytes exceeded\.",
)
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def unloadable(
    connection: duckdb.DuckDBPyConnection, files: Sequence[Path], error: duckdb.Error
) -> ExportFileError:
    names = ", ".join(str(f) for f in files) or "an empty export"
    return ExportFileError(f"{names}: could not be loaded: {safe_description(connection, error)}")


def safe_description(connection: duckdb.DuckDBPyConnection, error: duckdb.Error) -> str:
    message = str(error)
    if _is_disk_full(message):
        where = _database_directory(connection)
        free = shutil.disk_usage(where).free // 2**20 if where else None
        place = f" in {where} ({free} MiB free)" if where else ""
        return f"no space left on device{place}; free space and run again"
    line = re.search(r"CSV Error on Line: (\d+)", message)
    if line:
        problems = [m.group(0) for p in CSV_PROBLEMS if (m := re.search(p, message))]
        return f"the CSV reader stopped at line {line.group(1)}" + "".join(
            f": {problem}" for problem in problems
        )
    first_line = message.strip().splitlines()[0] if message.strip() else type(error).__name__
    return QUOTED.sub("…", first_line)


def _is_disk_full(message: str) -> bool:
    return os.strerror(errno.ENOSPC) in message or "No space left on device" in message


def _database_directory(connection: duckdb.DuckDBPyConnection) -> Path | None:
    try:
        row = connection.execute(
            "select path from duckdb_databases() where database_name = current_database()"
        ).fetchone()
    except duckdb.Error:
        return None
    return Path(row[0]).parent if row and row[0] else None
