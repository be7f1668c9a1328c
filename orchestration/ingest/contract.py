"""The shape of the landing contract: an export file, its columns, what each limits.

Real organisations export what an admin chose to export. An object or column is
required only where no shared KPI exists without it; everything else is optional. A
missing optional export loads as an empty table and a missing optional column as
nulls, and each says what it limits (`ExportSpec.without`, `Column.without`) so the
run can tell the user what they got. A file that is present but broken still fails.

The exports themselves are listed in exports.py (Salesforce, Marketo) and
hubspot_exports.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

# What an input no mart reads limits: not worth telling the user it is missing.
NO_EFFECT = "nothing: no mart reads it"
# The CRM systems a landing folder may hold, each in a folder of its own; Marketo's
# `marketing/` exports belong with Salesforce.
CRM_SYSTEMS = ("salesforce", "hubspot")


@dataclass(frozen=True)
class Column:
    type: str
    # None: the export must have it. Otherwise what is limited when it is absent.
    without: str | None = None
    # JSON-lines exports: where in the record the value is, as dot-separated keys
    # (`properties.amount`), or `list[key=value].field` for the entry of a list whose
    # `key` is `value`. None: the column's own name at the top of the record.
    path: str | None = None

    @property
    def required(self) -> bool:
        return self.without is None


def required(kind: str, path: str | None = None) -> Column:
    return Column(kind, path=path)


def optional(kind: str, without: str, path: str | None = None) -> Column:
    return Column(kind, without, path)


@dataclass(frozen=True)
class OrgFields:
    """What an org's source mapping adds to an export's contract."""

    # warehouse field -> the org's export column holding it (custom fields); for a
    # JSON-lines export, the record property holding it
    aliases: Mapping[str, str] = field(default_factory=dict)
    # export columns the CRM signal rules read, kept together in one JSON object
    signal_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportSpec:
    source: str
    table: str
    relative_path: str
    columns: Mapping[str, Column]
    description: str
    # None: the export must be there. Otherwise what is limited when it is absent.
    without: str | None = None
    # The column that says how recent the export is; None for reference data that
    # legitimately stays unchanged for months.
    freshness_column: str | None = "SystemModstamp"
    # Which of two rows with the same key is newer; None for records that never change.
    version_column: str | None = "SystemModstamp"
    # Columns holding the id of a person (lead, contact, Marketo person): an erased
    # person's rows are found through them.
    person_columns: tuple[str, ...] = ()
    # Warehouse fields the org's mapping names a column for (custom fields); an
    # optional one the mapping leaves out is null.
    mapped_fields: Mapping[str, Column] = field(default_factory=dict)
    # Where the loader keeps the columns CRM signal rules read, as a JSON object.
    signal_fields_column: str | None = None
    # The CRM system whose folder the export belongs to (CRM_SYSTEMS): a system's
    # required exports are required only when its folder is in the landing folder.
    system: str = "salesforce"

    @property
    def required(self) -> bool:
        return self.without is None

    @property
    def asset_key_path(self) -> list[str]:
        return [self.source, self.table]

    @property
    def object_name(self) -> str:
        """The exported object, e.g. `Lead` for `salesforce/Lead.csv`."""
        return PurePosixPath(self.relative_path).stem

    @property
    def is_json_lines(self) -> bool:
        """One JSON object per line (HubSpot), rather than a CSV file with a header."""
        return self.relative_path.endswith(".jsonl")

    @property
    def key_column(self) -> str:
        """The record key: the first column of the contract."""
        return next(iter(self.columns))

    @property
    def column_types(self) -> dict[str, str]:
        return {name: column.type for name, column in self.columns.items()}
