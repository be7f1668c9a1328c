"""The review's charts as Vega-Lite specifications (built with Altair), from the
numbers of one WeeklyReview. The HTML page renders them in the browser; the funnel is
also rendered to SVG for the Markdown version."""

from __future__ import annotations

from typing import Any

import altair as alt
import vl_convert

from orchestration.reports.weekly_review import MOVES, WeeklyReview
from orchestration.reports.wording import (
    FUNNEL_STEP_LABELS,
    MOVEMENT_LABELS,
    PACE_LABELS,
    commitment_label,
)

WIDTH = 520
PALETTE = {"this week": "#4c78a8", "four weeks before": "#bab0ac"}
PACE_COLOURS = {"on pace": "#54a24b", "behind": "#e45756", "maturing": "#bab0ac"}
# Bars beyond twice the target so far are drawn at twice; the tooltip has the number.
ATTAINMENT_AXIS_MAX = 2.0
TOP_CHANNELS = 8


def _week(day) -> str:
    return f"{day:%d %b}"


def funnel_chart(review: WeeklyReview) -> alt.TopLevelMixin:
    """Leads per step this week, against the average of the four weeks before."""
    rows = []
    for step in review.funnel:
        label = FUNNEL_STEP_LABELS[step.step]
        conversion = "" if step.conversion is None else f"  {step.conversion:.0%}"
        rows.append(
            {
                "step": label,
                "series": "this week",
                "leads": step.leads,
                "text": f"{step.leads}{conversion}",
            }
        )
        if step.previous_4_weeks_avg_leads is not None:
            rows.append(
                {
                    "step": label,
                    "series": "four weeks before",
                    "leads": step.previous_4_weeks_avg_leads,
                    "text": "",
                }
            )
    order = [FUNNEL_STEP_LABELS[step.step] for step in review.funnel]
    base = alt.Chart(alt.Data(values=rows), title=f"Funnel {review.week_label}").encode(
        y=alt.Y("step:N", sort=order, title=None),
        yOffset=alt.YOffset("series:N", sort=list(PALETTE)),
        x=alt.X("leads:Q", title="leads (label: count and share of the step before)"),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "series:N",
            scale=alt.Scale(domain=list(PALETTE), range=list(PALETTE.values())),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
        tooltip=["step:N", "series:N", alt.Tooltip("leads:Q", format=".1f")],
    )
    labels = base.mark_text(align="left", dx=4).encode(text="text:N")
    return (bars + labels).properties(width=WIDTH - 120)


def trend_charts(review: WeeklyReview) -> alt.TopLevelMixin:
    rows = [
        {"week": _week(w.week_start), "metric": metric, "value": value}
        for w in review.trend
        for metric, value in (
            ("Leads in", w.leads_in),
            ("Sales-ready", w.sales_ready_leads),
            ("Picked up in time (share)", w.picked_up_share),
            ("Opportunities", w.opportunities),
            ("Pipeline EUR", w.pipeline_eur),
        )
    ]
    weeks = [_week(w.week_start) for w in review.trend]

    def small(metric: str, axis_format: str) -> alt.Chart:
        return (
            alt.Chart(alt.Data(values=rows), title=metric)
            .transform_filter(alt.datum.metric == metric)
            .mark_line(point=True)
            .encode(
                x=alt.X("week:O", sort=weeks, title=None, axis=alt.Axis(labelAngle=-45)),
                y=alt.Y("value:Q", title=None, axis=alt.Axis(format=axis_format)),
                tooltip=["week:O", alt.Tooltip("value:Q", format=axis_format)],
            )
            .properties(width=WIDTH // 2 - 40, height=110)
        )

    return alt.vconcat(
        alt.hconcat(small("Leads in", ",d"), small("Sales-ready", ",d")),
        alt.hconcat(small("Picked up in time (share)", ".0%"), small("Opportunities", ",d")),
        small("Pipeline EUR", ",.0f"),
    )


def reason_charts(review: WeeklyReview) -> alt.TopLevelMixin:
    weeks = [_week(w.week_start) for w in review.trend]
    trend = [
        {"week": _week(r.week_start), "reason": r.reason, "leads": r.leads}
        for r in review.reason_trend
    ]
    by_week = (
        alt.Chart(alt.Data(values=trend), title="Not qualified per week, by reason")
        .mark_bar()
        .encode(
            x=alt.X("week:O", sort=weeks, title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("leads:Q", title="leads"),
            color=alt.Color("reason:N", legend=alt.Legend(orient="bottom", columns=3)),
            tooltip=["week:O", "reason:N", "leads:Q"],
        )
        .properties(width=WIDTH, height=160)
    )
    totals: dict[str, int] = {}
    for r in review.reasons_by_channel:
        totals[r.channel] = totals.get(r.channel, 0) + r.leads
    channels = sorted(totals, key=lambda c: (-totals[c], c))[:TOP_CHANNELS]
    by_channel_rows = [
        {"channel": r.channel, "reason": r.reason, "leads": r.leads}
        for r in review.reasons_by_channel
        if r.channel in channels
    ]
    first, last = review.channel_months or (None, None)
    period = f"{first:%b %Y} to {last:%b %Y}" if first else ""
    by_channel = (
        alt.Chart(alt.Data(values=by_channel_rows), title=f"Reasons by channel, {period}")
        .mark_bar()
        .encode(
            y=alt.Y("channel:N", sort=channels, title=None),
            x=alt.X(
                "leads:Q",
                stack="normalize",
                title="share of not-qualified leads",
                axis=alt.Axis(format=".0%"),
            ),
            color="reason:N",
            tooltip=["channel:N", "reason:N", "leads:Q"],
        )
        .properties(width=WIDTH, height=22 * max(len(channels), 1))
    )
    return alt.vconcat(by_week, by_channel).resolve_scale(color="shared")


def pacing_chart(review: WeeklyReview) -> alt.TopLevelMixin:
    """Each commitment's month-to-date actual as a share of its target so far."""
    rows = [
        {
            "commitment": commitment_label(c.commitment),
            "attainment": (c.actual or 0) / c.pro_rated_target if c.pro_rated_target else 0,
            "status": PACE_LABELS.get(c.status, c.status),
        }
        for c in review.commitments
    ]
    for row in rows:
        row["bar"] = min(row["attainment"], ATTAINMENT_AXIS_MAX)
    month = f"{review.as_of:%d %B}" if review.as_of else ""
    bars = (
        alt.Chart(alt.Data(values=rows), title=f"Month to date against target so far ({month})")
        .mark_bar()
        .encode(
            y=alt.Y("commitment:N", title=None, sort=None),
            x=alt.X(
                "attainment:Q", title="share of the target so far", axis=alt.Axis(format=".0%")
            ),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=list(PACE_COLOURS), range=list(PACE_COLOURS.values())),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=["commitment:N", "status:N", alt.Tooltip("attainment:Q", format=".0%")],
        )
    )
    target = alt.Chart(alt.Data(values=[{"x": 1}])).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    return (bars + target).properties(width=WIDTH - 160)


def movement_charts(review: WeeklyReview) -> alt.TopLevelMixin:
    week = review.this_week_movement
    moves = (
        [
            {
                "move": MOVEMENT_LABELS[move],
                "deals": week.moves[move][0],
                "eur": week.moves[move][1],
            }
            for move in MOVES
        ]
        if week
        else []
    )
    this_week = (
        alt.Chart(alt.Data(values=moves), title="This week's moves (EUR)")
        .mark_bar()
        .encode(
            y=alt.Y("move:N", sort=[MOVEMENT_LABELS[m] for m in MOVES], title=None),
            x=alt.X("eur:Q", title="EUR", axis=alt.Axis(format=",.0f")),
            tooltip=["move:N", "deals:Q", alt.Tooltip("eur:Q", format=",.0f")],
        )
        .properties(width=WIDTH - 160)
    )
    weeks = [_week(w.week_start) for w in review.movement]
    open_rows = [
        {"week": _week(w.week_start), "eur": w.open_pipeline_eur, "deals": w.open_opportunities}
        for w in review.movement
    ]
    open_pipeline = (
        alt.Chart(alt.Data(values=open_rows), title="Open pipeline at each week's end (EUR)")
        .mark_area(line=True, opacity=0.3)
        .encode(
            x=alt.X("week:O", sort=weeks, title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("eur:Q", title="EUR", axis=alt.Axis(format=",.0f")),
            tooltip=["week:O", "deals:Q", alt.Tooltip("eur:Q", format=",.0f")],
        )
        .properties(width=WIDTH, height=140)
    )
    return alt.vconcat(this_week, open_pipeline)


def stage_chart(review: WeeklyReview) -> alt.TopLevelMixin:
    rows = [
        {"stage": f"{m.record_type}: {m.stage}", "days": m.median_days, "stays": m.stays}
        for m in review.stage_medians
    ]
    return (
        alt.Chart(
            alt.Data(values=rows),
            title="Median days in each stage (stays ended in the last 13 weeks)",
        )
        .mark_bar()
        .encode(
            y=alt.Y("stage:N", sort=None, title=None),
            x=alt.X("days:Q", title="days"),
            tooltip=["stage:N", alt.Tooltip("days:Q", format=".1f"), "stays:Q"],
        )
        .properties(width=WIDTH - 200)
    )


def review_charts(review: WeeklyReview) -> dict[str, dict[str, Any]]:
    """Every chart of the page as a Vega-Lite spec, by the id of the section it sits in."""
    charts = {
        "funnel": funnel_chart(review),
        "trend": trend_charts(review),
        "reasons": reason_charts(review),
        "pacing": pacing_chart(review),
        "movement": movement_charts(review),
        "stages": stage_chart(review),
    }
    return {name: chart.to_dict() for name, chart in charts.items()}


def chart_svg(spec: dict[str, Any]) -> str:
    return vl_convert.vegalite_to_svg(spec, vl_version=_vega_lite_version())


def vega_javascript() -> str:
    """Vega, Vega-Lite and vega-embed in one script, as vl-convert ships them: the page
    carries it inline, so it opens without a network."""
    return vl_convert.javascript_bundle(vl_version=_vega_lite_version())


def _vega_lite_version() -> str:
    """The Vega-Lite version Altair writes its specs for (major.minor)."""
    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
