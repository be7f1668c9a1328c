"""The week's rows of the published marts, section by section, into a WeeklyReview.
The numbers are computed in the marts; these queries only pick the week's rows (and sum
a mart's rows where its grain is finer than the section's, as a BI tool would)."""

from __future__ import annotations

import datetime as dt

import duckdb

from orchestration.agreements.documents import FUNNEL_STAGES, SLA_COMMITMENTS
from orchestration.reports.weekly_review import (
    FLOOR_COMMITMENT,
    MOVES,
    ChannelReason,
    CohortJudgement,
    CommitmentPace,
    FollowUpBreach,
    FollowUpLead,
    FunnelStep,
    OpenDeal,
    PendingDraft,
    PipelineWeek,
    ReasonLine,
    StageMedian,
    TrendWeek,
    WeeklyReview,
    WeekNumbers,
    WeekReason,
)

TREND_WEEKS = 13
FLOOR_MONTHS = 6
OVERDUE_DEALS = 10


def load_weekly_review(
    connection: duckdb.DuckDBPyConnection,
    week_start: dt.date,
    follow_up_window_hours: float,
    crm_url: str = "",
) -> WeeklyReview:
    """Read one week of the published marts."""
    week_end = week_start + dt.timedelta(days=6)
    first_trend_week = week_start - dt.timedelta(weeks=TREND_WEEKS - 1)
    as_of = _pacing_day(connection, week_end)
    month = (as_of or week_end).replace(day=1)
    channel_months = (first_trend_week.replace(day=1), week_end.replace(day=1))
    return WeeklyReview(
        week_start=week_start,
        definition_version=_definition_version(connection, week_start),
        follow_up_window_hours=follow_up_window_hours,
        numbers=_week_numbers(connection, week_start),
        reasons=_reasons(connection, week_start),
        breaches=_breaches(connection, week_start),
        month=month,
        as_of=as_of,
        commitments=_commitments(connection, as_of),
        crm_url=crm_url,
        funnel=_funnel(connection, week_start),
        trend=_trend(connection, first_trend_week, week_start),
        reason_trend=_reason_trend(connection, first_trend_week, week_start),
        reasons_by_channel=_reasons_by_channel(connection, *channel_months),
        channel_months=channel_months,
        follow_up_leads=_follow_up_leads(connection, week_start),
        floor_cohorts=_floor_cohorts(connection, month),
        movement=_movement(connection, first_trend_week, week_start),
        stage_medians=_stage_medians(connection, first_trend_week, week_end),
        overdue_deals=_overdue_deals(connection, week_start),
        pending_drafts=_pending_drafts(connection, month),
    )


def _definition_version(connection: duckdb.DuckDBPyConnection, week_start: dt.date) -> str:
    row = connection.execute(
        "select definition_version from weekly_pipeline_review where week_start = ?",
        [week_start],
    ).fetchone()
    return (row and row[0]) or "unknown"


def _pending_drafts(connection: duckdb.DuckDBPyConnection, month: dt.date) -> list[PendingDraft]:
    """Each draft's effect on the sales-ready leads of the review's month (or the
    latest month before it with data)."""
    rows = connection.execute(
        """
        select definition_version, effective_date, month, kpi_value, published_value
        from definition_impact
        where is_draft and kpi = 'sales_ready_leads' and month <= $month
        qualify row_number() over (partition by definition_version order by month desc) = 1
        order by effective_date, definition_version
        """,
        {"month": month},
    ).fetchall()
    return [PendingDraft(*row) for row in rows]


def _week_numbers(connection: duckdb.DuckDBPyConnection, week_start: dt.date) -> WeekNumbers:
    row = connection.execute(
        """
        select leads_in, picked_up_within_24h, qualified_opportunities, not_qualified,
               still_open, pipeline_eur, sales_ready_leads
        from weekly_pipeline_review where week_start = ?
        """,
        [week_start],
    ).fetchone()
    if row is None:
        return WeekNumbers(0, 0, 0, 0, 0, 0.0, 0)
    return WeekNumbers(*row[:5], pipeline_eur=float(row[5] or 0), sales_ready_leads=row[6])


def _funnel(connection: duckdb.DuckDBPyConnection, week_start: dt.date) -> list[FunnelStep]:
    return [
        FunnelStep(*row)
        for row in connection.execute(
            """
            select step, leads, conversion_from_previous_step, previous_4_weeks_conversion,
                   previous_4_weeks_avg_leads
            from weekly_funnel where week_start = ? order by step_order
            """,
            [week_start],
        ).fetchall()
    ]


def _trend(
    connection: duckdb.DuckDBPyConnection, first_week: dt.date, last_week: dt.date
) -> list[TrendWeek]:
    return [
        TrendWeek(week, leads, ready, share, opportunities, float(pipeline))
        for week, leads, ready, share, opportunities, pipeline in connection.execute(
            """
            select week_start, leads_in, sales_ready_leads, picked_up_share,
                   qualified_opportunities, pipeline_eur
            from weekly_pipeline_review where week_start between ? and ? order by week_start
            """,
            [first_week, last_week],
        ).fetchall()
    ]


def _reasons(connection: duckdb.DuckDBPyConnection, week_start: dt.date) -> list[ReasonLine]:
    return [
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


def _reason_trend(
    connection: duckdb.DuckDBPyConnection, first_week: dt.date, last_week: dt.date
) -> list[WeekReason]:
    return [
        WeekReason(*row)
        for row in connection.execute(
            """
            select week_start, reason, leads from weekly_disqualification_reasons
            where week_start between ? and ? and leads > 0 order by week_start, reason
            """,
            [first_week, last_week],
        ).fetchall()
    ]


def _reasons_by_channel(
    connection: duckdb.DuckDBPyConnection, first_month: dt.date, last_month: dt.date
) -> list[ChannelReason]:
    """Per channel over whole months: the feedback mart's grain, summed over campaigns."""
    return [
        ChannelReason(channel, reason, int(leads))
        for channel, reason, leads in connection.execute(
            """
            select source_channel, reason, sum(leads_with_reason)
            from disqualification_feedback where month between ? and ?
            group by source_channel, reason order by source_channel, reason
            """,
            [first_month, last_month],
        ).fetchall()
    ]


def _breaches(connection: duckdb.DuckDBPyConnection, week_start: dt.date) -> list[FollowUpBreach]:
    return [
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


def _follow_up_leads(
    connection: duckdb.DuckDBPyConnection, week_start: dt.date
) -> list[FollowUpLead]:
    """The leads behind the breaches: the same sales-owned leads follow_up_discipline counts."""
    return [
        FollowUpLead(*row)
        for row in connection.execute(
            """
            select coalesce(discipline.owner_name, leads.owner_id), leads.lead_id,
                   leads.company, leads.hours_to_first_sales_touch,
                   leads.contact_attempts_before_disqualification,
                   leads.is_disqualified_below_min_attempts
            from lead_funnel as leads
            inner join follow_up_discipline as discipline
                on leads.created_week = discipline.week_start
                and leads.owner_id = discipline.owner_id
            where leads.created_week = ?
              and (not leads.is_picked_up_within_window
                   or leads.is_disqualified_below_min_attempts)
            order by 1, leads.created_at, leads.lead_id
            """,
            [week_start],
        ).fetchall()
    ]


def _pacing_day(connection: duckdb.DuckDBPyConnection, week_end: dt.date) -> dt.date | None:
    (day,) = connection.execute(
        "select max(day) from targets_pacing where day <= ?", [week_end]
    ).fetchone()
    return day


def _commitments(
    connection: duckdb.DuckDBPyConnection, as_of: dt.date | None
) -> list[CommitmentPace]:
    rows = connection.execute(
        """
        select commitment, owner_team, monthly_target, month_to_date_actual,
               month_to_date_target, month_end_projection, pace_status
        from targets_pacing where day = ?
        """,
        [as_of],
    ).fetchall()
    # In the order the agreement lists them, as both teams know it.
    return sorted((CommitmentPace(*row) for row in rows), key=lambda c: _agreed_order(c.commitment))


def _agreed_order(commitment: str) -> int:
    return (
        SLA_COMMITMENTS.index(commitment) if commitment in SLA_COMMITMENTS else len(SLA_COMMITMENTS)
    )


def _floor_cohorts(connection: duckdb.DuckDBPyConnection, month: dt.date) -> list[CohortJudgement]:
    rows = connection.execute(
        """
        select month, actual, target, status, matures_on from sla_scorecard
        where commitment = ? and month <= ? order by month desc limit ?
        """,
        [FLOOR_COMMITMENT, month, FLOOR_MONTHS],
    ).fetchall()
    return [CohortJudgement(*row) for row in reversed(rows)]


def _movement(
    connection: duckdb.DuckDBPyConnection, first_week: dt.date, last_week: dt.date
) -> list[PipelineWeek]:
    columns = ", ".join(f"opportunities_{move}, {move}_eur" for move in MOVES)
    rows = connection.execute(
        f"""
        select week_start, {columns}, open_opportunities_at_week_end,
               open_pipeline_eur_at_week_end
        from pipeline_movement where week_start between ? and ? order by week_start
        """,
        [first_week, last_week],
    ).fetchall()
    return [
        PipelineWeek(
            week_start=row[0],
            moves={
                move: (row[1 + 2 * index], float(row[2 + 2 * index]))
                for index, move in enumerate(MOVES)
            },
            open_opportunities=row[-2],
            open_pipeline_eur=float(row[-1]),
        )
        for row in rows
    ]


def _stage_medians(
    connection: duckdb.DuckDBPyConnection, first_week: dt.date, week_end: dt.date
) -> list[StageMedian]:
    """Median days of the stays that ended in the trend window, per stage."""
    rows = connection.execute(
        """
        select record_type, stage_name, min(stage_group), min(stage_order),
               median(days_in_stage), count(*)
        from stage_durations
        where exited_at >= ? and exited_at < ?
        group by record_type, stage_name
        """,
        [first_week, week_end + dt.timedelta(days=1)],
    ).fetchall()

    def sales_order(row: tuple) -> tuple:
        record_type, stage, group, order = row[:4]
        if record_type == "lead":
            return (0, FUNNEL_STAGES.index(group) if group in FUNNEL_STAGES else 99, stage)
        return (1, order if order is not None else 99, stage)

    return [
        StageMedian(record_type, stage, float(median), stays)
        for record_type, stage, _, _, median, stays in sorted(rows, key=sales_order)
    ]


def _overdue_deals(connection: duckdb.DuckDBPyConnection, week_start: dt.date) -> list[OpenDeal]:
    return [
        OpenDeal(opportunity_id, name, stage, None if amount is None else float(amount), close)
        for opportunity_id, name, stage, amount, close in connection.execute(
            """
            select opportunity_id, opportunity_name, stage_name, amount_eur, close_date
            from pipeline_snapshots where week_start = ? and is_past_close_date
            order by amount_eur desc nulls last, close_date limit ?
            """,
            [week_start, OVERDUE_DEALS],
        ).fetchall()
    ]
