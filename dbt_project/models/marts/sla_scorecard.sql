-- The SLA between the teams, month by month: each commitment in the signed
-- definitions against what shared_kpis_monthly measured. A month without an actual
-- (e.g. no sales-ready leads to convert) has not met its commitment, and the latest
-- month is still running, so it is flagged rather than judged early. The lead -> won
-- floor judges what became of the month's leads, so it waits until they have had the
-- agreed sales cycle to close (by the newest data): until then it is 'maturing'.
with

kpis as (

    select * from {{ ref('shared_kpis_monthly') }}

),

targets as (

    select * from {{ ref('stg_agreed_definitions__sla_targets') }}

),

calendar as (

    select * from {{ ref('int_reporting_days_spanned') }}

),

definition as (

    select * from {{ ref('stg_agreed_definitions__definition_version') }}

),

as_of as (

    select max(as_of_date) as as_of_date from calendar

),

actuals as (

    select
        kpis.month,
        targets.commitment,
        targets.owner_team,
        cast(targets.target as double) as target,
        {{ sla_actual('targets.commitment', 'kpis') }} as actual,
        {{ sla_cohort_matures_on('targets.commitment', 'kpis.month') }} as matures_on,
        kpis.month = max(kpis.month) over () as is_latest_month
    from kpis
    cross join targets
    cross join definition

),

final as (

    select
        actuals.month,
        actuals.commitment,
        actuals.owner_team,
        actuals.target,
        actuals.actual,
        actuals.actual / nullif(actuals.target, 0) as attainment,
        case
            when actuals.matures_on > as_of.as_of_date then 'maturing'
            when actuals.actual >= actuals.target then 'met'
            else 'missed'
        end as status,
        not actuals.is_latest_month as is_month_complete,
        actuals.matures_on,
        definition.definition_version
    from actuals
    cross join as_of
    cross join definition

)

select * from final
