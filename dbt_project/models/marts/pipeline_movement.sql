-- How the pipeline moved each week (Monday start, reporting time zone): opportunities
-- created, advanced, moved back a stage, slipped (close date pushed into a later
-- month; of those, into a later quarter), won and lost, with the EUR of each, and the
-- open pipeline at the week's end. An opportunity counts once per kind of move in a
-- week, at the amount of its last such move; one that advanced twice in a week is
-- one advance. Every week of the calendar is shown, quiet ones as zeros.
with

changes as (

    select * from {{ ref('int_opportunity_changes_classified') }}

),

snapshots as (

    select * from {{ ref('pipeline_snapshots') }}

),

calendar as (

    select * from {{ ref('int_reporting_days_spanned') }}

),

weeks as (

    select distinct week_start from calendar

),

opportunity_weeks as (

    select
        change_week as week_start,
        opportunity_id,
        bool_or(is_created) as is_created,
        arg_max(amount_eur, changed_at_utc) filter (where is_created) as created_eur,
        bool_or(is_advanced) as is_advanced,
        arg_max(amount_eur, changed_at_utc) filter (where is_advanced) as advanced_eur,
        bool_or(is_moved_back) as is_moved_back,
        arg_max(amount_eur, changed_at_utc) filter (where is_moved_back) as moved_back_eur,
        bool_or(is_slipped) as is_slipped,
        arg_max(amount_eur, changed_at_utc) filter (where is_slipped) as slipped_eur,
        bool_or(is_slipped_out_of_quarter) as is_slipped_out_of_quarter,
        arg_max(amount_eur, changed_at_utc) filter (where is_slipped_out_of_quarter)
            as slipped_out_of_quarter_eur,
        bool_or(is_won) as is_won,
        arg_max(amount_eur, changed_at_utc) filter (where is_won) as won_eur,
        bool_or(is_lost) as is_lost,
        arg_max(amount_eur, changed_at_utc) filter (where is_lost) as lost_eur
    from changes
    group by change_week, opportunity_id

),

moves as (

    select
        week_start,
        count(*) filter (where is_created) as opportunities_created,
        sum(created_eur) as created_eur,
        count(*) filter (where is_advanced) as opportunities_advanced,
        sum(advanced_eur) as advanced_eur,
        count(*) filter (where is_moved_back) as opportunities_moved_back,
        sum(moved_back_eur) as moved_back_eur,
        count(*) filter (where is_slipped) as opportunities_slipped,
        sum(slipped_eur) as slipped_eur,
        count(*) filter (where is_slipped_out_of_quarter) as opportunities_slipped_out_of_quarter,
        sum(slipped_out_of_quarter_eur) as slipped_out_of_quarter_eur,
        count(*) filter (where is_won) as opportunities_won,
        sum(won_eur) as won_eur,
        count(*) filter (where is_lost) as opportunities_lost,
        sum(lost_eur) as lost_eur
    from opportunity_weeks
    group by week_start

),

open_at_week_end as (

    select
        week_start,
        count(*) as open_opportunities,
        sum(amount_eur) as open_pipeline_eur
    from snapshots
    group by week_start

),

final as (

    select
        weeks.week_start,
        coalesce(moves.opportunities_created, 0) as opportunities_created,
        cast(coalesce(moves.created_eur, 0) as decimal(18, 2)) as created_eur,
        coalesce(moves.opportunities_advanced, 0) as opportunities_advanced,
        cast(coalesce(moves.advanced_eur, 0) as decimal(18, 2)) as advanced_eur,
        coalesce(moves.opportunities_moved_back, 0) as opportunities_moved_back,
        cast(coalesce(moves.moved_back_eur, 0) as decimal(18, 2)) as moved_back_eur,
        coalesce(moves.opportunities_slipped, 0) as opportunities_slipped,
        cast(coalesce(moves.slipped_eur, 0) as decimal(18, 2)) as slipped_eur,
        coalesce(moves.opportunities_slipped_out_of_quarter, 0)
            as opportunities_slipped_out_of_quarter,
        cast(coalesce(moves.slipped_out_of_quarter_eur, 0) as decimal(18, 2))
            as slipped_out_of_quarter_eur,
        coalesce(moves.opportunities_won, 0) as opportunities_won,
        cast(coalesce(moves.won_eur, 0) as decimal(18, 2)) as won_eur,
        coalesce(moves.opportunities_lost, 0) as opportunities_lost,
        cast(coalesce(moves.lost_eur, 0) as decimal(18, 2)) as lost_eur,
        coalesce(open_at_week_end.open_opportunities, 0) as open_opportunities_at_week_end,
        cast(coalesce(open_at_week_end.open_pipeline_eur, 0) as decimal(18, 2))
            as open_pipeline_eur_at_week_end,
        {{ definition_versions_during(
            'weeks.week_start', 'weeks.week_start + 6'
        ) }} as definition_version
    from weeks
    left join moves
        on weeks.week_start = moves.week_start
    left join open_at_week_end
        on weeks.week_start = open_at_week_end.week_start

)

select * from final
