"""What the org's exports cover: which optional inputs are missing and what that limits.

Told to the user in each load's metadata and in `make run`'s summary, so a
sales-led org without Marketo, or an export without field history, knows which
figures are empty or simplified rather than wrong.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from orchestration.ingest.bookkeeping import RECONCILIATION_TABLE, LoadResult
from orchestration.ingest.exports import EXPORTS, NO_EFFECT, ExportSpec


def coverage_notes(spec: ExportSpec, result: LoadResult) -> list[str]:
    """One line per missing input of this export that changes what the marts show."""
    if result.is_absent:
        return [] if spec.without == NO_EFFECT else [f"no {spec.relative_path}: {spec.without}"]
    columns = {**spec.columns, **spec.mapped_fields}
    return [
        f"{spec.object_name}.{name} not exported: {columns[name].without}"
        if name in spec.columns
        else f"{spec.object_name}.{name} not mapped in source_mapping.yml: {columns[name].without}"
        for name in result.absent_columns
        if name in columns and columns[name].without not in (None, NO_EFFECT)
    ]


def recorded_coverage(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The coverage notes of every export, as the last load of each recorded them."""
    exists = connection.execute(
        "select count(*) from duckdb_tables() "
        "where schema_name = 'raw_quarantine' and table_name = 'load_reconciliation'"
    ).fetchone()[0]
    if not exists:
        return []
    recorded = {
        (source, table): (files, absent)
        for source, table, files, absent in connection.execute(
            f"select source, table_name, files, coalesce(absent_columns, []) "
            f"from {RECONCILIATION_TABLE}"
        ).fetchall()
    }
    return list(_notes(recorded, EXPORTS))


def _notes(recorded: dict, specs: Iterable[ExportSpec]) -> Iterable[str]:
    for spec in specs:
        if (spec.source, spec.table) not in recorded:
            continue
        files, absent = recorded[(spec.source, spec.table)]
        yield from coverage_notes(
            spec, LoadResult(tuple(files), 0, 0, 0, 0, 0, absent_columns=tuple(absent))
        )
