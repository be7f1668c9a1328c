-- The warehouse's calendar: every day (reporting time zone) from the first month with
-- a lead or an opportunity change up to the day of the newest one, the data's "today"
-- (as_of_date). Pacing, weekly pipeline snapshots and the maturity of lead cohorts
-- count days on it, so an export reads the same whenever it is rendered.
with

leads as (

    select * from {{ ref('int_leads_unioned') }}

),

opportunity_history as (

    select * from {{ ref('stg_salesforce__opportunity_history') }}

),

reporting as (

    select * from {{ ref('stg_agreed_definitions__reporting') }}

),

activity_days as (

    select cast({{ to_reporting_time('leads.created_at') }} as date) as activity_day
    from leads
    cross join reporting
    union all
    select cast({{ to_reporting_time('opportunity_history.created_at') }} as date) as activity_day
    from opportunity_history
    cross join reporting

),

bounds as (

    select
        cast(date_trunc('month', min(activity_day)) as date) as first_day,
        max(activity_day) as as_of_date
    from activity_days

),

days as (

    select
        cast(spine.day_start as date) as day,
        bounds.as_of_date
    from bounds,
        generate_series(bounds.first_day, bounds.as_of_date, interval 1 day) as spine (day_start)

),

final as (

    select
        day,
        cast(date_trunc('week', day) as date) as week_start,
        cast(date_trunc('month', day) as date) as month_start,
        cast(date_trunc('quarter', day) as date) as quarter_start,
        dayofmonth(day) as day_of_month,
        dayofmonth(last_day(day)) as days_in_month,
        day - cast(date_trunc('quarter', day) as date) + 1 as day_of_quarter,
        cast(date_trunc('quarter', day) + interval 3 month as date)
        - cast(date_trunc('quarter', day) as date) as days_in_quarter,
        as_of_date
    from days

)

select * from final
