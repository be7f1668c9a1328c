-- The SLA between the teams, month by month: each commitment in the signed
-- definitions against what shared_kpis_monthly measured. A month without an actual
-- (e.g. no sales-ready leads to convert) has not met its commitment, and the latest
-- month is still running, so it is flagged rather than judged early. The lead -> won
-- floor judges what became of the month's leads, so it waits until they have had the
-- agreed sales cycle to close (by the newest data): until then it is 'maturing'.
-- Each day of a month holds the targets of the version in force that day, so a month
-- is held to its days' targets pro rata: a version taking effect mid-month sets the
-- target for the days from then on. The owner and the sales cycle are those of the
-- version in force on the month's last day.
with

kpis as (

    select * from {{ ref('shared_kpis_monthly') }}

),

targets as (

    select * from {{ ref('stg_agreed_definitions__sla_targets') }}

),

versions as (

    select * from {{ ref('stg_agreed_definitions__definition_versions') }}

),

calendar as (

    select * from {{ ref('int_reporting_days_spanned') }}

),

as_of as (

    select max(as_of_date) as as_of_date from calendar

),

-- The month's target: each version's target weighted by the days of the month it
-- judged (macros/sla_commitments.sql).
month_targets as (

    select
        kpis.month,
        targets.commitment,
        {{ sla_target_over_days(
            'targets.target',
            'kpis.month',
            'last_day(kpis.month)',
            'dayofmonth(last_day(kpis.month))'
        ) }} as target
    from kpis
    inner join versions
        on {{ is_in_force_during('versions', 'kpis.month', 'last_day(kpis.month)') }}
    inner join targets
        on versions.definition_version = targets.definition_version
    group by kpis.month, targets.commitment

),

closing_versions as (

    select
        kpis.month,
        versions.definition_version,
        versions.sales_cycle_days
    from kpis
    inner join versions
        on {{ is_in_force_on('versions', 'last_day(kpis.month)') }}

),

actuals as (

    select
        kpis.month,
        month_targets.commitment,
        closing_targets.owner_team,
        month_targets.target,
        {{ sla_actual('month_targets.commitment', 'kpis') }} as actual,
        {{ sla_cohort_matures_on(
            'month_targets.commitment', 'kpis.month', 'closing_versions.sales_cycle_days'
        ) }} as matures_on,
        kpis.month = max(kpis.month) over () as is_latest_month,
        kpis.definition_version
    from kpis
    inner join month_targets
        on kpis.month = month_targets.month
    inner join closing_versions
        on kpis.month = closing_versions.month
    inner join targets as closing_targets
        on
            closing_versions.definition_version = closing_targets.definition_version
            and month_targets.commitment = closing_targets.commitment

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
        actuals.definition_version
    from actuals
    cross join as_of

)

select * from final
