"""The Monday pipeline review: last week's numbers as Markdown plus a funnel chart.

Thirty minutes, both teams, no drama: how many leads came in, how many were picked
up, how many qualified, where they dropped out, and one action per missed target.
Everything here reads the published BI file, so the report shows checked numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape

import duckdb

TOP_REASONS = 5

# What to do about a missed commitment; the owner acts, the review agrees.
SUGGESTED_ACTIONS = {
    "sales_ready_leads": (
        "Marketing: move budget towards the channels with the highest sales-ready rate "
        "(see source_performance) and away from volume-only sources."
    ),
    "sales_ready_to_opportunity_rate": (
        "Sales: review the sales-ready leads that did not convert, call by call, before "
        "calling them bad leads."
    ),
    "picked_up_within_window_share": (
        "Sales: rebalance lead routing so every lead is called within the agreed window; "
        "start with the owners listed under follow-up breaches."
    ),
    "marketing_pipeline_eur": (
        "Both: check whether the gap is lead volume, conversion or deal size, and agree "
        "which one to fix first."
    ),
    "lead_to_won_rate_floor": (
        "Both: the hard floor is breached; walk through lost deals by source and tighten "
        "the lead definition or the qualification script."
    ),
}


@dataclass(frozen=True)
class WeekNumbers:
    leads_in: int
    picked_up_within_window: int
    qualified_opportunities: int
    not_qualified: int
    still_open: int
    pipeline_eur: float


@dataclass(frozen=True)
class ReasonLine:
    reason: str
    leads: int
    share_of_not_qualified: float
    change_vs_previous_week: int


@dataclass(frozen=True)
class FollowUpBreach:
    owner: str
    leads_assigned: int
    share_within_window: float | None
    leads_never_touched: int
    leads_disqualified_below_min_attempts: int


@dataclass(frozen=True)
class CommitmentStatus:
    commitment: str
    owner_team: str
    target: float
    actual: float | None
    status: str


@dataclass(frozen=True)
class WeeklyReview:
    week_start: dt.date
    definition_version: str
    follow_up_window_hours: float
    numbers: WeekNumbers
    reasons: list[ReasonLine] = field(default_factory=list)
    breaches: list[FollowUpBreach] = field(default_factory=list)
    month: dt.date | None = None
    commitments: list[CommitmentStatus] = field(default_factory=list)

    @property
    def week_label(self) -> str:
        year, week, _ = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"


def report_week(today: dt.date, latest_complete_week_in_data: dt.date | None) -> dt.date:
    """The week before `today`, or the last complete week in the data if it stops earlier."""
    previous_week = today - dt.timedelta(days=today.weekday() + 7)
    if latest_complete_week_in_data is None:
        return previous_week
    return min(previous_week, latest_complete_week_in_data)


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def _amount(value: float | None, commitment: str) -> str:
    if value is None:
        return "-"
    if commitment.endswith("_eur"):
        return f"EUR {value:,.0f}"
    if "rate" in commitment or "share" in commitment:
        return f"{value:.0%}"
    return f"{value:,.0f}"


def render_markdown(review: WeeklyReview, chart_file: str | None = None) -> str:
    n = review.numbers
    lines = [
        f"# Weekly pipeline review {review.week_label} (week of {review.week_start:%d %B %Y})",
        "",
        f"Definitions version {review.definition_version}. Cohort: leads created this week.",
        "",
        "## The funnel",
        "",
        "| step | leads | share of leads in |",
        "|---|---:|---:|",
        f"| Leads came in | {n.leads_in} | 100% |",
        f"| Picked up by sales within {review.follow_up_window_hours:g} h | "
        f"{n.picked_up_within_window} | {_share(n.picked_up_within_window, n.leads_in)} |",
        f"| Became an opportunity | {n.qualified_opportunities} | "
        f"{_share(n.qualified_opportunities, n.leads_in)} |",
        f"| Not qualified | {n.not_qualified} | {_share(n.not_qualified, n.leads_in)} |",
        f"| Still open | {n.still_open} | {_share(n.still_open, n.leads_in)} |",
        "",
        f"Pipeline from this week's leads: EUR {n.pipeline_eur:,.0f}.",
    ]
    if chart_file:
        lines += ["", f"![Funnel {review.week_label}]({chart_file})"]
    lines += ["", "## Why leads were not qualified", ""]
    if review.reasons:
        lines += ["| reason | leads | share | vs previous week |", "|---|---:|---:|---:|"]
        lines += [
            f"| {r.reason} | {r.leads} | {r.share_of_not_qualified:.0%} | "
            f"{r.change_vs_previous_week:+d} |"
            for r in review.reasons[:TOP_REASONS]
        ]
    else:
        lines.append("No lead was disqualified this week.")
    lines += ["", "## Follow-up breaches by owner", ""]
    if review.breaches:
        lines += [
            "| owner | leads | within window | never touched | disqualified too early |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {b.owner} | {b.leads_assigned} | "
            f"{'-' if b.share_within_window is None else f'{b.share_within_window:.0%}'} | "
            f"{b.leads_never_touched} | {b.leads_disqualified_below_min_attempts} |"
            for b in review.breaches
        ]
    else:
        lines.append("Every lead was picked up in time and worked enough before disqualifying.")
    month_label = f"{review.month:%B %Y}" if review.month else "this month"
    lines += ["", f"## SLA month to date ({month_label})", ""]
    if review.commitments:
        lines += ["| commitment | owner | target | actual | status |", "|---|---|---:|---:|---|"]
        lines += [
            f"| {c.commitment} | {c.owner_team} | {_amount(c.target, c.commitment)} | "
            f"{_amount(c.actual, c.commitment)} | {c.status} |"
            for c in review.commitments
        ]
    missed = [c for c in review.commitments if c.status != "met"]
    lines += ["", "## Suggested actions", ""]
    if missed:
        lines += [f"- **{c.commitment}** missed: {SUGGESTED_ACTIONS[c.commitment]}" for c in missed]
    else:
        lines.append("- All commitments on track: keep going.")
    return "\n".join(lines) + "\n"


def render_funnel_svg(review: WeeklyReview) -> str:
    """A horizontal funnel: one bar per step, width proportional to leads."""
    n = review.numbers
    steps = [
        ("Leads in", n.leads_in, "#4c78a8"),
        (f"Picked up < {review.follow_up_window_hours:g} h", n.picked_up_within_window, "#72b7b2"),
        ("Opportunity", n.qualified_opportunities, "#54a24b"),
        ("Not qualified", n.not_qualified, "#e45756"),
        ("Still open", n.still_open, "#bab0ac"),
    ]
    width, bar_height, label_width, gap = 640, 34, 170, 10
    usable = width - label_width - 60
    top = max(n.leads_in, 1)
    height = 50 + len(steps) * (bar_height + gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="14">',
        f'<text x="10" y="24" font-size="16" font-weight="bold">'
        f"Funnel {escape(review.week_label)}</text>",
    ]
    for index, (label, value, colour) in enumerate(steps):
        y = 40 + index * (bar_height + gap)
        bar = usable * value / top
        parts += [
            f'<text x="10" y="{y + 22}">{escape(label)}</text>',
            f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{bar_height}" '
            f'fill="{colour}"/>',
            f'<text x="{label_width + bar + 6:.1f}" y="{y + 22}">{value}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def load_weekly_review(
    connection: duckdb.DuckDBPyConnection, week_start: dt.date, follow_up_window_hours: float
) -> WeeklyReview:
    """Read one week of the published marts."""
    week = connection.execute(
        """
        select leads_in, picked_up_within_24h, qualified_opportunities, not_qualified,
               still_open, pipeline_eur, definition_version
        from weekly_pipeline_review where week_start = ?
        """,
        [week_start],
    ).fetchone()
    version = (
        week[6]
        if week
        else connection.execute(
            "select any_value(definition_version) from weekly_pipeline_review"
        ).fetchone()[0]
    )
    numbers = (
        WeekNumbers(*week[:5], pipeline_eur=float(week[5] or 0))
        if week
        else WeekNumbers(0, 0, 0, 0, 0, 0.0)
    )
    reasons = [
        ReasonLine(*row)
        for row in connection.execute(
            """
            select reason, leads, share_of_not_qualified, change_vs_previous_week
            from weekly_disqualification_reasons where week_start = ? and leads > 0
            order by leads desc, reason
            """,
            [week_start],
        ).fetchall()
    ]
    breaches = [
        FollowUpBreach(*row)
        for row in connection.execute(
            """
            select coalesce(owner_name, owner_id), leads_assigned, share_within_window,
                   leads_never_touched, leads_disqualified_below_min_attempts
            from follow_up_discipline
            where week_start = ?
              and (coalesce(share_within_window, 0) < 1
                   or leads_never_touched > 0
                   or leads_disqualified_below_min_attempts > 0)
            order by share_within_window nulls first, owner_name
            """,
            [week_start],
        ).fetchall()
    ]
    month = week_start + dt.timedelta(days=6)
    month = month.replace(day=1)
    commitments = [
        CommitmentStatus(*row)
        for row in connection.execute(
            """
            select commitment, owner_team, target, actual, status
            from sla_scorecard where month = ? order by commitment
            """,
            [month],
        ).fetchall()
    ]
    return WeeklyReview(
        week_start=week_start,
        definition_version=version or "unknown",
        follow_up_window_hours=follow_up_window_hours,
        numbers=numbers,
        reasons=reasons,
        breaches=breaches,
        month=month,
        commitments=commitments,
    )


def latest_complete_week(connection: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The week before the newest week with leads: the newest one may still be filling."""
    (week,) = connection.execute(
        "select max(week_start) - interval 7 day from weekly_pipeline_review where leads_in > 0"
    ).fetchone()
    return week.date() if isinstance(week, dt.datetime) else week
