"""The README's claims about inputs match the landing contract the loader enforces."""

from __future__ import annotations

import re

from orchestration.ingest.exports import EXPORTS
from orchestration.settings import PROJECT_ROOT

INPUT_TABLE_HEADER = "| export | required | columns it must have |"


def input_table_rows() -> list[list[str]]:
    lines = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(INPUT_TABLE_HEADER))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def exports_named(cell: str) -> list[str]:
    """`salesforce/Task.csv`, `Event.csv` -> salesforce/Task.csv, salesforce/Event.csv."""
    names = re.findall(r"`([^`]+)`", cell)
    folder = names[0].rsplit("/", 1)[0]
    return [name if "/" in name else f"{folder}/{name}" for name in names]


def test_the_readme_lists_every_export_with_whether_it_is_required():
    listed = {
        path: required == "yes"
        for export, required, *_ in input_table_rows()
        for path in exports_named(export)
    }
    assert listed == {spec.relative_path: spec.required for spec in EXPORTS}


def test_the_readme_names_exactly_the_required_columns_of_each_single_export():
    specs = {spec.relative_path: spec for spec in EXPORTS}
    checked = 0
    for export, _, must_have, _ in input_table_rows():
        (path, *others) = exports_named(export)
        if others:
            continue
        spec = specs[path]
        named = {name.strip() for name in re.sub(r"\([^)]*\)", "", must_have).split(",")}
        required = {name for name, column in spec.columns.items() if column.required}
        # A required mapped field (User's team column) is named by what it is.
        mapped = {"the team column the mapping names"} if spec.mapped_fields else set()
        assert named - mapped == required, path
        checked += 1
    assert checked >= 6
