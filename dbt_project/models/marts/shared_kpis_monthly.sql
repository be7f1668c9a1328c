-- The numbers both teams signed up to, one row per month in the reporting time zone.
-- Lead counts follow the month the lead was created; pipeline follows the month the
-- opportunity was created. Months without activity are shown with zeros, not left out.
with

lead_funnel as (

    select * from {{ ref('lead_funnel') }}

),

opportunity_pipeline as (

    select * from {{ ref('opportunity_pipeline') }}

),

month_bounds as (

    select
        min(month_start) as first_month,
        max(month_start) as last_month
    from (
        select created_month as month_start from lead_funnel
        union all
        select created_month as month_start from opportunity_pipeline
    ) as activity_months

),

months as (

    select cast(month_start as date) as month
    from month_bounds,
        generate_series(first_month, last_month, interval 1 month) as spine (month_start)

),

lead_months as (

    select
        created_month as month,
        {{ sla_lead_counts() }}
    from lead_funnel
    group by created_month

),

pipeline_months as (

    select
        created_month as month,
        {{ sla_pipeline_sum() }}
    from opportunity_pipeline
    group by created_month

),

final as (

    select
        months.month,
        coalesce(lead_months.leads_created, 0) as leads_created,
        coalesce(lead_months.sales_ready_leads, 0) as sales_ready_leads,
        coalesce(lead_months.sales_ready_leads_converted, 0)
            as sales_ready_leads_converted,
        {{ sla_measure('sales_ready_to_opportunity_rate', 'lead_months') }}
            as lead_to_opportunity_rate,
        {{ sla_measure('picked_up_within_window_share', 'lead_months') }}
            as picked_up_within_window_share,
        {{ sla_measure('lead_to_won_rate_floor', 'lead_months') }} as lead_to_won_rate,
        cast(coalesce(pipeline_months.marketing_pipeline_eur, 0) as decimal(18, 2))
            as marketing_pipeline_eur,
        coalesce(lead_months.leads_picked_up_within_window, 0)
            as leads_picked_up_within_window,
        coalesce(lead_months.leads_won, 0) as leads_won,
        {{ definition_versions_during(
            'months.month', 'last_day(months.month)'
        ) }} as definition_version
    from months
    left join lead_months
        on months.month = lead_months.month
    left join pipeline_months
        on months.month = pipeline_months.month

)

select * from final
