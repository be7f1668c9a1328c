-- The SLA between the teams, month by month: each commitment in the signed
-- definitions against what shared_kpis_monthly measured. A month without an actual
-- (e.g. no sales-ready leads to convert) has not met its commitment, and the latest
-- month is still running, so it is flagged rather than judged early.
with

kpis as (

    select * from {{ ref('shared_kpis_monthly') }}

),

targets as (

    select * from {{ ref('stg_agreed_definitions__sla_targets') }}

),

definition as (

    select * from {{ ref('stg_agreed_definitions__definition_version') }}

),

actuals as (

    select
        kpis.month,
        targets.commitment,
        targets.owner_team,
        cast(targets.target as double) as target,
        cast(
            case targets.commitment
                when 'sales_ready_leads' then kpis.sales_ready_leads
                when 'sales_ready_to_opportunity_rate' then kpis.lead_to_opportunity_rate
                when 'picked_up_within_window_share' then kpis.picked_up_within_window_share
                when 'marketing_pipeline_eur' then kpis.marketing_pipeline_eur
                when 'lead_to_won_rate_floor' then kpis.lead_to_won_rate
            end as double
        ) as actual,
        kpis.month = max(kpis.month) over () as is_latest_month
    from kpis
    cross join targets

),

final as (

    select
        actuals.month,
        actuals.commitment,
        actuals.owner_team,
        actuals.target,
        actuals.actual,
        actuals.actual / nullif(actuals.target, 0) as attainment,
        case when actuals.actual >= actuals.target then 'met' else 'missed' end as status,
        not actuals.is_latest_month as is_month_complete,
        definition.definition_version
    from actuals
    cross join definition

)

select * from final
