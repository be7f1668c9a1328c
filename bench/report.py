"""The benchmark's results: measurements, ratios against the targets, KPI cross-check,
rendered as one Markdown page and as JSON for tools that track them over time."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

# Rows per KPI: leading key columns, then numbers. Cost may be None (no campaign spend).
KpiRows = dict[str, list[list]]
KEY_COLUMNS = {"lead_funnel": 1, "weekly_pipeline_review": 1, "source_performance": 2}
VALUE_NAMES = {
    "lead_funnel": ("leads", "sales_ready_leads"),
    "weekly_pipeline_review": (
        "leads_in",
        "picked_up_within_24h",
        "qualified_opportunities",
        "not_qualified",
    ),
    "source_performance": ("leads", "cost_eur"),
}
# Costs are rounded to cents per campaign on both sides, in decimal and in binary floats.
MONEY_TOLERANCE = 0.05
GIB = 1 << 30


@dataclass(frozen=True)
class Measurement:
    variant: str
    label: str
    wall_seconds: float
    peak_rss_bytes: int
    ok: bool
    note: str = ""
    # Processor time of the process tree: unlike wall time, the disk's speed, which
    # varies on a shared machine, does not change it. None in results from before.
    cpu_seconds: float | None = None


@dataclass(frozen=True)
class Ratio:
    key: str  # the ratio's name in the JSON results, e.g. "C/(read+A)"
    meaning: str  # what it compares, in words; may be empty
    numerator: str  # variant names
    denominator: str | tuple[str, ...]  # several: their seconds add up
    target: str  # e.g. "<= 1.3"
    cpu: bool = False  # compares processor seconds instead of wall seconds

    @property
    def name(self) -> str:
        return f"{self.key}: {self.meaning}" if self.meaning else self.key

    def value(self, by_variant: dict[str, Measurement]) -> float | None:
        parts = (self.denominator,) if isinstance(self.denominator, str) else self.denominator
        top, bottoms = by_variant.get(self.numerator), [by_variant.get(p) for p in parts]
        # A run that failed did not do the work: its time compares with nothing.
        if top is None or None in bottoms or not all(m.ok for m in (top, *bottoms)):
            return None
        top_seconds, bottom_seconds = self._seconds(top), [self._seconds(m) for m in bottoms]
        if top_seconds is None or None in bottom_seconds or not sum(bottom_seconds):
            return None
        return top_seconds / sum(bottom_seconds)

    def _seconds(self, measurement: Measurement) -> float | None:
        return measurement.cpu_seconds if self.cpu else measurement.wall_seconds

    def met(self, value: float | None) -> str:
        if value is None:
            return "n/a"
        if not self.target:
            return "-"
        operator, limit = self.target.split()
        passed = value <= float(limit) if operator == "<=" else value >= float(limit)
        return "yes" if passed else "no"


def compare_kpis(marts: KpiRows, pandas: KpiRows) -> list[str]:
    """Every number the pandas version gets differently from the marts; a row missing on
    one side counts as zeros (the weekly mart shows quiet weeks, pandas does not)."""
    mismatches = []
    for kpi, key_count in KEY_COLUMNS.items():
        expected = {tuple(row[:key_count]): row[key_count:] for row in marts[kpi]}
        actual = {tuple(row[:key_count]): row[key_count:] for row in pandas[kpi]}
        for key in sorted(expected.keys() | actual.keys()):
            zeros = [0] * len(VALUE_NAMES[kpi])
            for name, mart, mine in zip(
                VALUE_NAMES[kpi], expected.get(key, zeros), actual.get(key, zeros), strict=True
            ):
                if abs((mart or 0) - (mine or 0)) > MONEY_TOLERANCE:
                    where = ", ".join(str(k) for k in key)
                    mismatches.append(f"{kpi} [{where}] {name}: marts {mart}, pandas {mine}")
    return mismatches


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def measurement_json(measurement: Measurement, rows_in: int) -> dict:
    return {
        "label": measurement.label,
        "wall_s": round(measurement.wall_seconds, 1),
        "cpu_s": None if measurement.cpu_seconds is None else round(measurement.cpu_seconds, 1),
        "peak_rss_mib": round(measurement.peak_rss_bytes / (1 << 20)),
        "raw_rows_per_s": round(rows_in / measurement.wall_seconds)
        if measurement.wall_seconds
        else None,
        "ok": measurement.ok,
        "note": measurement.note,
    }


def results_json(
    settings: dict[str, str],
    measurements: Sequence[Measurement],
    rows_in: int,
    ratios: Sequence[Ratio],
    mismatches: Sequence[str],
    memory_target_bytes: int,
    memory_variants: Collection[str] | None = None,
    reference: dict[str, Measurement] | None = None,
) -> dict:
    """The results as data, which the Markdown page renders. The memory target applies to
    `memory_variants` (all when None): the pandas comparison is not the warehouse's own
    footprint. `reference` holds measurements of another run a ratio may compare with
    (e.g. "M:C", size M's nightly, for how L grows)."""
    by_variant = {**(reference or {}), **{m.variant: m for m in measurements}}
    ratio_values = {}
    for ratio in ratios:
        value = ratio.value(by_variant)
        ratio_values[ratio.key] = {
            "name": ratio.name,
            "value": None if value is None else round(value, 3),
            "target": ratio.target,
            "met": ratio.met(value),
        }
    measured = [m for m in measurements if memory_variants is None or m.variant in memory_variants]
    peak = max((m.peak_rss_bytes for m in measured), default=0)
    return {
        "settings": settings,
        "raw_rows_in": rows_in,
        "variants": {m.variant: measurement_json(m, rows_in) for m in measurements},
        "ratios": ratio_values,
        "peak_rss": {
            "variants": [m.variant for m in measured],
            "gib": round(peak / GIB, 2),
            "target_gib": memory_target_bytes / GIB,
            "met": "yes" if peak <= memory_target_bytes else "no",
        },
        "kpi_mismatches": list(mismatches),
    }


def render_results(title: str, results: dict) -> str:
    """The results page, from `results_json`'s document."""
    lines = [f"# {title}", ""]
    lines += markdown_table(("setting", "value"), list(results["settings"].items()))
    lines += ["", "## Variants", ""]
    lines += markdown_table(
        ("variant", "what", "wall s", "CPU s", "peak RSS MiB", "raw rows/s", "ok", "note"),
        [
            (
                variant,
                m["label"],
                f"{m['wall_s']:.1f}",
                "-" if m.get("cpu_s") is None else f"{m['cpu_s']:.1f}",
                f"{m['peak_rss_mib']:,}",
                "-" if m["raw_rows_per_s"] is None else f"{m['raw_rows_per_s']:,}",
                "yes" if m["ok"] else "**no**",
                m["note"],
            )
            for variant, m in results["variants"].items()
        ],
    )
    ratio_rows = [
        (r["name"], "-" if r["value"] is None else f"{r['value']:.2f}", r["target"], r["met"])
        for r in results["ratios"].values()
    ]
    memory = results["peak_rss"]
    ratio_rows.append(
        (
            f"peak RSS of {', '.join(memory['variants'])} (GiB)",
            f"{memory['gib']:.2f}",
            f"<= {memory['target_gib']:.0f}",
            memory["met"],
        )
    )
    lines += ["", "## Ratios (targets are reported, not enforced)", ""]
    lines += markdown_table(("ratio", "value", "target", "met"), ratio_rows)
    lines += ["", "## Cross-check: pandas (D) against the marts of C", ""]
    mismatches = results["kpi_mismatches"]
    if mismatches:
        lines += [f"{len(mismatches)} mismatch(es):", ""] + [f"- {m}" for m in mismatches]
    else:
        lines.append(
            "No mismatches: sales-ready leads per month, the weekly review's leads in / picked"
            " up / opportunities / not qualified, and leads and cost per channel and month agree."
        )
    return "\n".join(lines) + "\n"
