"""The benchmark's results: measurements, ratios against the targets, KPI cross-check,
rendered as one Markdown page."""

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


@dataclass(frozen=True)
class Ratio:
    name: str
    numerator: str  # variant names
    denominator: str | tuple[str, ...]  # several: their wall times add up
    target: str  # e.g. "<= 1.3"

    def value(self, by_variant: dict[str, Measurement]) -> float | None:
        parts = (self.denominator,) if isinstance(self.denominator, str) else self.denominator
        top, bottoms = by_variant.get(self.numerator), [by_variant.get(p) for p in parts]
        if top is None or None in bottoms:
            return None
        bottom_seconds = sum(bottom.wall_seconds for bottom in bottoms)
        return top.wall_seconds / bottom_seconds if bottom_seconds else None

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


def render_results(
    title: str,
    settings: dict[str, str],
    measurements: Sequence[Measurement],
    rows_in: int,
    ratios: Sequence[Ratio],
    mismatches: Sequence[str],
    memory_target_bytes: int,
    memory_variants: Collection[str] | None = None,
) -> str:
    """The results page. The memory target applies to `memory_variants` (all when None):
    the pandas comparison is not the warehouse's own footprint."""
    by_variant = {m.variant: m for m in measurements}
    lines = [f"# {title}", ""]
    lines += markdown_table(("setting", "value"), list(settings.items()))
    lines += ["", "## Variants", ""]
    lines += markdown_table(
        ("variant", "what", "wall s", "peak RSS MiB", "raw rows/s", "ok", "note"),
        [
            (
                m.variant,
                m.label,
                f"{m.wall_seconds:.1f}",
                f"{m.peak_rss_bytes / (1 << 20):,.0f}",
                f"{rows_in / m.wall_seconds:,.0f}" if m.wall_seconds else "-",
                "yes" if m.ok else "**no**",
                m.note,
            )
            for m in measurements
        ],
    )
    ratio_rows = []
    for ratio in ratios:
        value = ratio.value(by_variant)
        shown = "-" if value is None else f"{value:.2f}"
        ratio_rows.append((ratio.name, shown, ratio.target, ratio.met(value)))
    measured = [m for m in measurements if memory_variants is None or m.variant in memory_variants]
    peak = max((m.peak_rss_bytes for m in measured), default=0)
    ratio_rows.append(
        (
            f"peak RSS of {', '.join(m.variant for m in measured)} (GiB)",
            f"{peak / GIB:.2f}",
            f"<= {memory_target_bytes / GIB:.0f}",
            "yes" if peak <= memory_target_bytes else "no",
        )
    )
    lines += ["", "## Ratios (targets are reported, not enforced)", ""]
    lines += markdown_table(("ratio", "value", "target", "met"), ratio_rows)
    lines += ["", "## Cross-check: pandas (D) against the marts of C", ""]
    if mismatches:
        lines += [f"{len(mismatches)} mismatch(es):", ""] + [f"- {m}" for m in mismatches]
    else:
        lines.append(
            "No mismatches: sales-ready leads per month, the weekly review's leads in / picked"
            " up / opportunities / not qualified, and leads and cost per channel and month agree."
        )
    return "\n".join(lines) + "\n"
