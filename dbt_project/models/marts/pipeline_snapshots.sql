-- The open pipeline as it stood at the end of each week (Sunday midnight, reporting
-- time zone), rebuilt from OpportunityHistory: for every week of the calendar, each
-- opportunity whose latest recorded state by then is open, with that state's stage,
-- amount and close date. The week still running shows the state as of the newest
-- data. An opportunity without history rows cannot be placed in time and is left out.
with

changes as (

    select * from {{ ref('int_opportunity_changes_classified') }}

),

calendar as (

    select * from {{ ref('int_reporting_days_spanned') }}

),

opportunities as (

    select * from {{ ref('opportunity_pipeline') }}

),

reporting as (

    select * from {{ ref('stg_agreed_definitions__reporting') }}

),

-- Compared in UTC: wall-clock time repeats an hour when summer time ends.
weeks as (

    select distinct
        calendar.week_start,
        calendar.week_start + 6 as week_end,
        timezone(reporting.reporting_time_zone, cast(calendar.week_start + 7 as timestamp))
            as week_end_utc
    from calendar
    cross join reporting

),

states_at_week_end as (

    select
        weeks.week_start,
        weeks.week_end,
        changes.opportunity_id,
        changes.stage_name,
        changes.stage_order,
        changes.amount,
        changes.currency_iso_code,
        changes.amount_eur,
        changes.close_date
    from weeks
    inner join changes
        on
            weeks.week_end_utc > changes.changed_at_utc
            and (
                changes.superseded_at_utc is null
                or weeks.week_end_utc <= changes.superseded_at_utc
            )
    where changes.outcome = 'open'

),

final as (

    select
        states_at_week_end.week_start,
        states_at_week_end.week_end,
        states_at_week_end.opportunity_id,
        opportunities.opportunity_name,
        opportunities.owner_id,
        opportunities.source_channel,
        opportunities.is_marketing_sourced,
        states_at_week_end.stage_name,
        states_at_week_end.stage_order,
        states_at_week_end.amount,
        states_at_week_end.currency_iso_code,
        states_at_week_end.amount_eur,
        states_at_week_end.close_date,
        states_at_week_end.close_date <= states_at_week_end.week_end as is_past_close_date,
        {{ definition_versions_during(
            'states_at_week_end.week_start', 'states_at_week_end.week_end'
        ) }} as definition_version
    from states_at_week_end
    cross join reporting
    inner join opportunities
        on states_at_week_end.opportunity_id = opportunities.opportunity_id

)

select * from final
