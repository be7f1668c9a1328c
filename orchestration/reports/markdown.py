"""The review as Markdown: what the Dagster UI shows and what can be pasted into a
chat. Every value from the CRM goes through `markdown_text`, so a name with a pipe or
a tag stays text and the tables keep their shape."""

from __future__ import annotations

from orchestration.reports.actions import suggested_actions
from orchestration.reports.escaping import crm_record_url
from orchestration.reports.escaping import markdown_text as md
from orchestration.reports.weekly_review import MOVES, WeeklyReview
from orchestration.reports.wording import (
    FUNNEL_STEP_LABELS,
    MOVEMENT_LABELS,
    PACE_LABELS,
    commitment_label,
    commitment_value,
    days,
    draft_effect,
    euros,
    follow_up_problem,
    hours,
    owner_label,
    percent,
)

TOP_REASONS = 5


def _share(part: float, whole: float) -> str:
    return percent(part / whole) if whole else "-"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def render_markdown(review: WeeklyReview, chart_file: str | None = None) -> str:
    sections = [
        _header(review, chart_file),
        _funnel(review),
        _trend(review),
        _reasons(review),
        _follow_up(review),
        _sla(review),
        _pipeline(review),
        _actions(review),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def _header(review: WeeklyReview, chart_file: str | None) -> str:
    n = review.numbers
    as_of = f" Month to date as of {review.as_of:%d %B %Y}." if review.as_of else ""
    lines = [
        f"# Weekly pipeline review {review.week_label} (week of {review.week_start:%d %B %Y})",
        "",
        f"Definitions version {md(review.definition_version)}. Cohort: leads created "
        f"this week, followed to where they are now.{as_of}",
        *(f"\n{md(draft_effect(draft))}" for draft in review.pending_drafts),
        "",
        "## This week's leads",
        "",
        "| outcome | leads | share of leads in |",
        "|---|---:|---:|",
        _row("Leads came in", n.leads_in, "100%"),
        _row(
            f"Picked up by sales within {review.follow_up_window_hours:g} h",
            n.picked_up_within_window,
            _share(n.picked_up_within_window, n.leads_in),
        ),
        _row(
            "Became an opportunity",
            n.qualified_opportunities,
            _share(n.qualified_opportunities, n.leads_in),
        ),
        _row("Not qualified", n.not_qualified, _share(n.not_qualified, n.leads_in)),
        _row("Still open", n.still_open, _share(n.still_open, n.leads_in)),
        "",
        f"Sales-ready under the agreed definition: {n.sales_ready_leads}. "
        f"Pipeline from this week's leads: {euros(n.pipeline_eur)}.",
    ]
    if chart_file:
        lines += ["", f"![Funnel {review.week_label}]({chart_file})"]
    return "\n".join(lines)


def _funnel(review: WeeklyReview) -> str:
    lines = [
        "## The funnel, step by step",
        "",
        "Each step counts the leads that also passed every step before it.",
        "",
        "| step | leads | from the step before | four weeks before |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        _row(
            FUNNEL_STEP_LABELS[step.step],
            step.leads,
            percent(step.conversion),
            percent(step.previous_4_weeks_conversion),
        )
        for step in review.funnel
    ]
    return "\n".join(lines)


def _trend(review: WeeklyReview) -> str:
    lines = [
        f"## The last {len(review.trend)} weeks",
        "",
        "| week | leads in | sales-ready | picked up in time | opportunities | pipeline |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        _row(
            f"{week.week_start:%d %b}",
            week.leads_in,
            week.sales_ready_leads,
            percent(week.picked_up_share),
            week.opportunities,
            euros(week.pipeline_eur),
        )
        for week in review.trend
    ]
    return "\n".join(lines)


def _reasons(review: WeeklyReview) -> str:
    lines = ["## Why leads were not qualified", ""]
    if review.reasons:
        lines += ["| reason | leads | share | vs previous week |", "|---|---:|---:|---:|"]
        lines += [
            _row(
                md(r.reason),
                r.leads,
                percent(r.share_of_not_qualified),
                "-" if r.change_vs_previous_week is None else f"{r.change_vs_previous_week:+d}",
            )
            for r in review.reasons[:TOP_REASONS]
        ]
    else:
        lines.append("No lead was disqualified this week.")
    return "\n".join(lines)


def _follow_up(review: WeeklyReview) -> str:
    lines = ["## Follow-up by owner", ""]
    if not review.breaches:
        lines.append("Every lead was picked up in time and worked enough before disqualifying.")
        return "\n".join(lines)
    lines += [
        "| owner | leads | within window | never touched | disqualified too early |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        _row(
            md(b.owner),
            b.leads_assigned,
            percent(b.share_within_window),
            b.leads_never_touched,
            b.leads_disqualified_below_min_attempts,
        )
        for b in review.breaches
    ]
    if review.follow_up_leads:
        lines += ["", "| owner | lead | first touch | problem |", "|---|---|---:|---|"]
        lines += [
            _row(
                md(lead.owner),
                f"[{md(lead.company or lead.lead_id)}]"
                f"({crm_record_url(review.crm_url, lead.lead_id)})",
                hours(lead.hours_to_first_touch),
                follow_up_problem(lead, review.follow_up_window_hours),
            )
            for lead in review.follow_up_leads
        ]
    return "\n".join(lines)


def _sla(review: WeeklyReview) -> str:
    month = f"{review.month:%B %Y}" if review.month else "this month"
    lines = [f"## SLA month to date ({month})", ""]
    if review.commitments:
        lines += [
            "| commitment | owner | month target | so far | target so far | month end at this "
            "pace | status |",
            "|---|---|---:|---:|---:|---:|---|",
        ]
        lines += [
            _row(
                commitment_label(c.commitment),
                owner_label(c.owner_team),
                commitment_value(c.commitment, c.target),
                commitment_value(c.commitment, c.actual),
                commitment_value(c.commitment, c.pro_rated_target),
                commitment_value(c.commitment, c.projection),
                PACE_LABELS.get(c.status, c.status),
            )
            for c in review.commitments
        ]
    if review.floor_cohorts:
        lines += [
            "",
            "Lead to won floor, judged per month of the leads once they had the agreed "
            "sales cycle to close:",
            "",
            "| leads of | won | floor | status |",
            "|---|---:|---:|---|",
        ]
        lines += [
            _row(
                f"{c.month:%B %Y}",
                percent(c.actual),
                percent(c.target),
                f"maturing until {c.matures_on:%d %b %Y}" if c.status == "maturing" else c.status,
            )
            for c in review.floor_cohorts
        ]
    return "\n".join(lines)


def _pipeline(review: WeeklyReview) -> str:
    week = review.this_week_movement
    lines = ["## Pipeline movement", ""]
    if week is None:
        lines.append("No opportunity history for this week.")
        return "\n".join(lines)
    lines += ["| move | deals | EUR |", "|---|---:|---:|"]
    lines += [
        _row(MOVEMENT_LABELS[move], week.moves[move][0], euros(week.moves[move][1]))
        for move in MOVES
    ]
    lines += [
        "",
        f"Open at the end of the week: {week.open_opportunities} deal(s), "
        f"{euros(week.open_pipeline_eur)}.",
    ]
    if review.overdue_deals:
        lines += [
            "",
            "| deal past its close date | stage | EUR | close date |",
            "|---|---|---:|---|",
        ]
        lines += [
            _row(
                f"[{md(deal.name or deal.opportunity_id)}]"
                f"({crm_record_url(review.crm_url, deal.opportunity_id)})",
                md(deal.stage or "-"),
                euros(deal.amount_eur),
                f"{deal.close_date:%d %b %Y}" if deal.close_date else "-",
            )
            for deal in review.overdue_deals
        ]
    if review.stage_medians:
        lines += ["", "| time in stage (median) | stage | stays ended |", "|---|---|---:|"]
        lines += [
            _row(days(m.median_days), f"{m.record_type}: {md(m.stage)}", m.stays)
            for m in review.stage_medians
        ]
    return "\n".join(lines)


def _actions(review: WeeklyReview) -> str:
    actions = suggested_actions(review)
    lines = ["## Suggested actions", ""]
    if not actions:
        return "\n".join([*lines, "- All commitments on pace: keep going."])
    return "\n".join([*lines, *(f"- **{md(a.title)}**: {md(a.text)}" for a in actions)])
