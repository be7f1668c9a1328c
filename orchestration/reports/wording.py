"""What the report calls things, and how it writes numbers: words people use in the
Monday meeting, never column names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orchestration.agreements.documents import RATE_COMMITMENTS

if TYPE_CHECKING:
    from orchestration.reports.weekly_review import FollowUpLead, PendingDraft

COMMITMENT_LABELS = {
    "sales_ready_leads": "Sales-ready leads delivered",
    "sales_ready_to_opportunity_rate": "Sales-ready leads turned into an opportunity",
    "picked_up_within_window_share": "Leads picked up by sales in time",
    "marketing_pipeline_eur": "Pipeline from marketing-sourced leads",
    "lead_to_won_rate_floor": "Leads that end as won business (floor)",
}

OWNER_LABELS = {
    "marketing": "Marketing",
    "sales": "Sales",
    "shared": "Marketing and sales together",
}

PACE_LABELS = {"on_pace": "on pace", "behind": "behind", "maturing": "maturing"}

FUNNEL_STEP_LABELS = {
    "leads_in": "Leads in",
    "mql": "Marketing qualified (MQL)",
    "sql": "Sales qualified (SQL)",
    "sales_ready": "Sales-ready",
    "picked_up_within_window": "Picked up in time",
    "opportunity": "Opportunity",
}

MOVEMENT_LABELS = {
    "created": "Created",
    "advanced": "Advanced a stage",
    "moved_back": "Moved back a stage",
    "slipped": "Close date slipped a month",
    "won": "Won",
    "lost": "Lost",
}

# What to do about a commitment that is behind or missed; the owner acts, the review agrees.
COMMITMENT_ACTIONS = {
    "sales_ready_leads": (
        "Marketing: move budget towards the channels with the highest sales-ready rate "
        "and away from volume-only sources."
    ),
    "sales_ready_to_opportunity_rate": (
        "Sales: review the sales-ready leads that did not convert, call by call, before "
        "calling them bad leads."
    ),
    "picked_up_within_window_share": (
        "Sales: rebalance lead routing so every lead is called within the agreed window; "
        "start with the owners listed under follow-up."
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


def commitment_label(commitment: str) -> str:
    return COMMITMENT_LABELS.get(commitment, commitment.replace("_", " ").capitalize())


def owner_label(owner_team: str) -> str:
    return OWNER_LABELS.get(owner_team, owner_team.capitalize())


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def euros(value: float | None) -> str:
    return "-" if value is None else f"EUR {value:,.0f}"


def count(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def commitment_value(commitment: str, value: float | None) -> str:
    """A commitment's target or actual in its own unit."""
    if commitment in RATE_COMMITMENTS:
        return percent(value)
    if commitment.endswith("_eur"):
        return euros(value)
    return count(value)


def hours(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} h"


def days(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f} days"


def follow_up_problem(lead: FollowUpLead, window_hours: float) -> str:
    """What went wrong with one lead's follow-up, in words."""
    if lead.is_disqualified_below_min_attempts:
        return f"disqualified after {lead.attempts_before_disqualification} attempt(s)"
    if lead.hours_to_first_touch is None:
        return "not touched yet"
    return f"first touched after more than {window_hours:g} h"


def draft_effect(draft: PendingDraft) -> str:
    """A pending draft and what it would change, in one sentence for the meeting."""
    published, under_draft = draft.sales_ready_leads_published, draft.sales_ready_leads_under_draft
    effect = (
        f"the same {_sales_ready_leads(published)}"
        if under_draft == published
        else f"{_sales_ready_leads(under_draft)} instead of {count(published)}"
    )
    return (
        f"Draft {draft.version} of the agreed definitions (from "
        f"{draft.effective_date:%d %B %Y}) is not signed by both teams yet: under it, "
        f"{draft.month:%B %Y} would have had {effect}."
    )


def _sales_ready_leads(number: float | None) -> str:
    return f"{count(number)} sales-ready lead{'' if number == 1 else 's'}"
