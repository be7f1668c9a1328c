"""The README's claims match what they are about: the inputs the landing contract the
loader enforces, and the benchmark results committed in bench/results/."""

from __future__ import annotations

import json
import re

from orchestration.ingest.exports import EXPORTS
from orchestration.settings import PROJECT_ROOT

BENCH_RESULTS = PROJECT_ROOT / "bench" / "results"
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


BENCH_TABLE_HEADER = "| size | C: the nightly, full |"
NOT_MEASURED = "-"


def bench_row(size: str) -> str:
    """The README's row for `size`, as bench/results/latest-<size>.json has it."""
    results = json.loads((BENCH_RESULTS / f"latest-{size}.json").read_text(encoding="utf-8"))
    variants, ratios = results["variants"], results["ratios"]

    def seconds(name: str) -> str:
        if name not in variants:
            return NOT_MEASURED
        measured = f"{variants[name]['wall_s']:.0f} s"
        return measured if variants[name]["ok"] else f"failed after {measured}"

    def ratio(key: str) -> str:
        value = ratios.get(key, {}).get("value")
        return NOT_MEASURED if value is None else f"{value:.2f}"

    read_and_a = (
        f"{variants['read']['wall_s']:.0f} + {variants['A']['wall_s']:.0f} s"
        if {"read", "A"} <= variants.keys()
        else NOT_MEASURED
    )
    cells = [
        size,
        seconds("C"),
        read_and_a,
        ratio("C/(read+A)"),
        ratio("E/C"),
        seconds("D"),
        ratio("C/D"),
        ratio("C/M"),
        ratio("C/M CPU"),
        f"{results['peak_rss']['gib']:.2f} GiB",
    ]
    return "| " + " | ".join(cells) + " |"


def test_the_readme_quotes_the_committed_benchmark_results():
    lines = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(next(line for line in lines if line.startswith(BENCH_TABLE_HEADER)))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    sizes = [row.split("|")[1].strip() for row in rows]
    assert sizes == ["S", "M", "L"]
    assert rows == [bench_row(size) for size in sizes]
