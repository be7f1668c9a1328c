"""The Monday pipeline review: what one week's review holds, and which week it is.

Thirty minutes, both teams, no drama: how many leads came in, where they dropped out,
why they were not qualified, who followed up, whether the month is on pace, how the
pipeline moved, and one action per problem. review_queries reads these numbers from the
published BI file; the renderers only show them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

FLOOR_COMMITMENT = "lead_to_won_rate_floor"
MOVES = ("created", "advanced", "moved_back", "slipped", "won", "lost")


@dataclass(frozen=True)
class WeekNumbers:
    leads_in: int
    picked_up_within_window: int
    qualified_opportunities: int
    not_qualified: int
    still_open: int
    pipeline_eur: float
    sales_ready_leads: int = 0


@dataclass(frozen=True)
class FunnelStep:
    step: str
    leads: int
    conversion: float | None
    previous_4_weeks_conversion: float | None
    previous_4_weeks_avg_leads: float | None


@dataclass(frozen=True)
class TrendWeek:
    week_start: dt.date
    leads_in: int
    sales_ready_leads: int
    picked_up_share: float | None
    opportunities: int
    pipeline_eur: float


@dataclass(frozen=True)
class ReasonLine:
    reason: str
    leads: int
    share_of_not_qualified: float
    change_vs_previous_week: int | None


@dataclass(frozen=True)
class WeekReason:
    week_start: dt.date
    reason: str
    leads: int


@dataclass(frozen=True)
class ChannelReason:
    channel: str
    reason: str
    leads: int


@dataclass(frozen=True)
class FollowUpBreach:
    owner: str
    leads_assigned: int
    share_within_window: float | None
    leads_never_touched: int
    leads_disqualified_below_min_attempts: int


@dataclass(frozen=True)
class FollowUpLead:
    owner: str
    lead_id: str
    company: str | None
    hours_to_first_touch: float | None
    attempts_before_disqualification: int | None
    is_disqualified_below_min_attempts: bool


@dataclass(frozen=True)
class CommitmentPace:
    commitment: str
    owner_team: str
    target: float
    actual: float | None
    pro_rated_target: float | None
    projection: float | None
    status: str


@dataclass(frozen=True)
class CohortJudgement:
    month: dt.date
    actual: float | None
    target: float
    status: str
    matures_on: dt.date | None


@dataclass(frozen=True)
class PipelineWeek:
    week_start: dt.date
    moves: dict[str, tuple[int, float]]
    open_opportunities: int
    open_pipeline_eur: float


@dataclass(frozen=True)
class StageMedian:
    record_type: str
    stage: str
    median_days: float
    stays: int


@dataclass(frozen=True)
class OpenDeal:
    opportunity_id: str
    name: str | None
    stage: str | None
    amount_eur: float | None
    close_date: dt.date | None


@dataclass(frozen=True)
class PendingDraft:
    """A version of the agreed definitions not signed by both teams yet, and what it
    would make of a month's sales-ready leads (definition_impact)."""

    version: str
    effective_date: dt.date
    month: dt.date
    sales_ready_leads_under_draft: float | None
    sales_ready_leads_published: float | None


@dataclass(frozen=True)
class WeeklyReview:
    week_start: dt.date
    definition_version: str
    follow_up_window_hours: float
    numbers: WeekNumbers
    reasons: list[ReasonLine] = field(default_factory=list)
    breaches: list[FollowUpBreach] = field(default_factory=list)
    month: dt.date | None = None
    # The day the month-to-date numbers are as of: the week's Sunday, or the newest
    # day in the data if that is earlier.
    as_of: dt.date | None = None
    commitments: list[CommitmentPace] = field(default_factory=list)
    crm_url: str = ""
    funnel: list[FunnelStep] = field(default_factory=list)
    trend: list[TrendWeek] = field(default_factory=list)
    reason_trend: list[WeekReason] = field(default_factory=list)
    reasons_by_channel: list[ChannelReason] = field(default_factory=list)
    channel_months: tuple[dt.date, dt.date] | None = None
    follow_up_leads: list[FollowUpLead] = field(default_factory=list)
    floor_cohorts: list[CohortJudgement] = field(default_factory=list)
    movement: list[PipelineWeek] = field(default_factory=list)
    stage_medians: list[StageMedian] = field(default_factory=list)
    overdue_deals: list[OpenDeal] = field(default_factory=list)
    pending_drafts: list[PendingDraft] = field(default_factory=list)

    @property
    def week_label(self) -> str:
        year, week, _ = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def week_end(self) -> dt.date:
        return self.week_start + dt.timedelta(days=6)

    @property
    def this_week_movement(self) -> PipelineWeek | None:
        return next((w for w in self.movement if w.week_start == self.week_start), None)


def report_week(today: dt.date, latest_complete_week_in_data: dt.date | None) -> dt.date:
    """The week before `today`, or the last complete week in the data if it stops earlier."""
    previous_week = today - dt.timedelta(days=today.weekday() + 7)
    if latest_complete_week_in_data is None:
        return previous_week
    return min(previous_week, latest_complete_week_in_data)


def latest_complete_week(connection: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The week before the newest week with leads: the newest one may still be filling."""
    (week,) = connection.execute(
        "select max(week_start) - interval 7 day from weekly_pipeline_review where leads_in > 0"
    ).fetchone()
    return week.date() if isinstance(week, dt.datetime) else week
