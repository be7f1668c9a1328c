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

definition as (

    select * from {{ ref('stg_agreed_definitions__definition_version') }}

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
        count(*) as leads_created,
        count(*) filter (where meets_definition) as sales_ready_leads,
        count(*) filter (where meets_definition and is_converted)
            as sales_ready_leads_converted,
        count(*) filter (where is_picked_up_within_window) as leads_picked_up_within_window,
        count(*) filter (where is_won) as leads_won
    from lead_funnel
    group by created_month

),

pipeline_months as (

    select
        created_month as month,
        sum(amount_eur) filter (where is_marketing_sourced) as marketing_pipeline_eur
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
        cast(
            lead_months.sales_ready_leads_converted
            / nullif(lead_months.sales_ready_leads, 0) as double
        ) as lead_to_opportunity_rate,
        cast(
            lead_months.leads_picked_up_within_window
            / nullif(lead_months.leads_created, 0) as double
        ) as picked_up_within_window_share,
        cast(
            lead_months.leads_won / nullif(lead_months.leads_created, 0) as double
        ) as lead_to_won_rate,
        cast(coalesce(pipeline_months.marketing_pipeline_eur, 0) as decimal(18, 2))
            as marketing_pipeline_eur,
        definition.definition_version
    from months
    cross join definition
    left join lead_months
        on months.month = lead_months.month
    left join pipeline_months
        on months.month = pipeline_months.month

)

select * from final
