"""Suggested actions: one per problem the week shows, each with who acts. Plain text:
the renderers escape it like any other value."""

from __future__ import annotations

from dataclasses import dataclass

from orchestration.reports.weekly_review import FLOOR_COMMITMENT, WeeklyReview
from orchestration.reports.wording import (
    COMMITMENT_ACTIONS,
    FUNNEL_STEP_LABELS,
    commitment_label,
    euros,
    percent,
)

# A step's conversion this far below the four weeks before is worth a question.
CONVERSION_DROP = 0.10
# A reason behind at least this share of the week's not-qualified leads is a pattern.
DOMINANT_REASON_SHARE = 0.5


@dataclass(frozen=True)
class Action:
    title: str
    text: str


def suggested_actions(review: WeeklyReview) -> list[Action]:
    actions = [
        Action(f"{commitment_label(c.commitment)}: behind pace", COMMITMENT_ACTIONS[c.commitment])
        for c in review.commitments
        if c.status == "behind" and c.commitment in COMMITMENT_ACTIONS
    ]
    judged = [c for c in review.floor_cohorts if c.status != "maturing"]
    if judged and judged[-1].status == "missed":
        actions.append(
            Action(
                f"Lead to won floor missed for the leads of {judged[-1].month:%B %Y}",
                COMMITMENT_ACTIONS[FLOOR_COMMITMENT],
            )
        )
    actions += _follow_up_actions(review) + _funnel_actions(review) + _pipeline_actions(review)
    return actions


def _follow_up_actions(review: WeeklyReview) -> list[Action]:
    late = sum(1 for lead in review.follow_up_leads if not lead.is_disqualified_below_min_attempts)
    thin = sum(1 for lead in review.follow_up_leads if lead.is_disqualified_below_min_attempts)
    if not late and not thin:
        return []
    return [
        Action(
            "Follow-up",
            f"Sales: {late} lead(s) not picked up in time and {thin} disqualified after "
            "too few attempts; each owner goes through their list below before anyone "
            "calls them bad leads.",
        )
    ]


def _funnel_actions(review: WeeklyReview) -> list[Action]:
    actions = []
    for step in review.funnel:
        if (
            step.conversion is not None
            and step.previous_4_weeks_conversion is not None
            and step.conversion <= step.previous_4_weeks_conversion - CONVERSION_DROP
        ):
            actions.append(
                Action(
                    f"Fewer leads reach {FUNNEL_STEP_LABELS[step.step]}",
                    f"Both: {percent(step.conversion)} got there from the step before, "
                    f"against {percent(step.previous_4_weeks_conversion)} over the four "
                    "weeks before; find out where this week's leads stalled.",
                )
            )
    if review.reasons and review.reasons[0].share_of_not_qualified >= DOMINANT_REASON_SHARE:
        top = review.reasons[0]
        actions.append(
            Action(
                "Why leads were not qualified",
                f"Marketing: {percent(top.share_of_not_qualified)} of this week's "
                f"not-qualified leads gave '{top.reason}'; look at the channels below and "
                "retarget.",
            )
        )
    return actions


def _pipeline_actions(review: WeeklyReview) -> list[Action]:
    actions = []
    week = review.this_week_movement
    if week and week.moves["slipped"][0]:
        slipped, slipped_eur = week.moves["slipped"]
        actions.append(
            Action(
                "Slipping deals",
                f"Sales: {slipped} deal(s) ({euros(slipped_eur)}) moved their close date "
                "to a later month this week; owners confirm the new date with the buyer.",
            )
        )
    if review.overdue_deals:
        actions.append(
            Action(
                "Deals past their close date",
                f"Sales: {len(review.overdue_deals)} open deal(s) listed below are past "
                "their close date; update the date or close them.",
            )
        )
    return actions
