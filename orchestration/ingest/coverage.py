"""What the org's exports cover: which optional inputs are missing and what that limits.

Told to the user in each load's metadata and in `make run`'s summary, so a
sales-led org without Marketo, or an export without field history, knows which
figures are empty or simplified rather than wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from orchestration.duckdb_sql import table_exists
from orchestration.ingest.bookkeeping import RECONCILIATION_TABLE, LoadResult
from orchestration.ingest.contract import CRM_SYSTEMS
from orchestration.ingest.exports import EXPORTS, NO_EFFECT, ExportSpec

SYSTEM_NAMES = {"salesforce": "Salesforce (or Marketo)", "hubspot": "HubSpot"}


@dataclass(frozen=True)
class Gap:
    """One missing input: an export (`column` None), a column, or an unmapped field."""

    spec: ExportSpec
    column: str | None
    effect: str

    @property
    def subject(self) -> str:
        if self.column is None:
            return self.spec.relative_path
        if self.column in self.spec.mapped_fields:
            return f"{self.spec.object_name}.{self.column} (not mapped)"
        return f"{self.spec.object_name}.{self.column}"


def coverage_gaps(spec: ExportSpec, result: LoadResult) -> list[Gap]:
    """The missing inputs of this export that change what the marts show."""
    if result.is_absent:
        return [] if spec.without == NO_EFFECT else [Gap(spec, None, spec.without or "")]
    columns = {**spec.columns, **spec.mapped_fields}
    return [
        Gap(spec, name, columns[name].without or "")
        for name in result.absent_columns
        if name in columns and columns[name].without not in (None, NO_EFFECT)
    ]


def coverage_lines(gaps: Iterable[Gap]) -> list[str]:
    """One line per effect, naming every input whose absence has it."""
    subjects_by_effect: dict[str, list[str]] = {}
    for gap in gaps:
        subjects_by_effect.setdefault(gap.effect, []).append(gap.subject)
    return [
        f"{', '.join(subjects)} missing: {effect}"
        for effect, subjects in subjects_by_effect.items()
    ]


def absent_system_note(system: str) -> str:
    """What a landing folder without one CRM system's folder says, in one line for all
    of that system's exports."""
    return (
        f"{system}/ missing: the landing folder holds no {SYSTEM_NAMES[system]} exports; "
        "they load as empty tables"
    )


def recorded_coverage(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The coverage lines of every export of the systems the landing folder holds, as
    the last load of each recorded it."""
    loads = _recorded_loads(connection)
    absent = _absent_systems(loads)
    return coverage_lines(
        gap
        for spec in EXPORTS
        if (spec.source, spec.table) in loads and spec.system not in absent
        for gap in coverage_gaps(spec, loads[(spec.source, spec.table)])
    )


def recorded_absent_systems(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """One line per CRM system whose folder the last loads found missing."""
    return [absent_system_note(system) for system in _absent_systems(_recorded_loads(connection))]


def _recorded_loads(connection: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], LoadResult]:
    if not table_exists(connection, "raw_quarantine", "load_reconciliation"):
        return {}
    return {
        (source, table): LoadResult(tuple(files), 0, 0, 0, 0, 0, tuple(absent))
        for source, table, files, absent in connection.execute(
            f"select source, table_name, files, coalesce(absent_columns, []) "
            f"from {RECONCILIATION_TABLE}"
        ).fetchall()
    }


def _absent_systems(loads: dict[tuple[str, str], LoadResult]) -> list[str]:
    """The CRM systems none of whose exports in their own folder had a file: a system's
    required exports fail the load when its folder is there without them."""
    return [
        system
        for system in CRM_SYSTEMS
        if all(
            loads[(spec.source, spec.table)].is_absent
            for spec in EXPORTS
            if spec.relative_path.startswith(f"{system}/") and (spec.source, spec.table) in loads
        )
        and any((spec.source, spec.table) in loads for spec in EXPORTS if spec.system == system)
    ]
