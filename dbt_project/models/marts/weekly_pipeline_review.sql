-- The Monday review in one table: per ISO week (Monday start, reporting time zone)
-- the leads created that week and where they are now. Every week between the first
-- and the last lead is shown, quiet weeks as zeros, so a gap is visible, not hidden.
-- A lead's outcome is exclusive: converted beats disqualified, so the three outcome
-- counts always add up to the leads that came in.
with

lead_funnel as (

    select * from {{ ref('lead_funnel') }}

),

weeks as (

    select cast(week_start as date) as week_start
    from (
        select
            min(created_week) as first_week,
            max(created_week) as last_week
        from lead_funnel
    ) as week_bounds,
        generate_series(first_week, last_week, interval 1 week) as spine (week_start)

),

lead_pipeline as (

    select * from {{ ref('int_leads_credited_with_pipeline') }}

),

lead_weeks as (

    select
        lead_funnel.created_week as week_start,
        count(*) as leads_in,
        count(*) filter (where lead_funnel.meets_definition) as sales_ready_leads,
        count(*) filter (where lead_funnel.is_picked_up_within_window)
            as picked_up_within_24h,
        count(*) filter (where lead_funnel.is_converted) as qualified_opportunities,
        count(*) filter (where lead_funnel.is_not_qualified)
            as not_qualified,
        count(*) filter (where not lead_funnel.is_converted and not lead_funnel.is_not_qualified)
            as still_open,
        sum(lead_pipeline.pipeline_eur) as pipeline_eur
    from lead_funnel
    left join lead_pipeline
        on lead_funnel.lead_id = lead_pipeline.lead_id
    group by lead_funnel.created_week

),

final as (

    select
        weeks.week_start,
        coalesce(lead_weeks.leads_in, 0) as leads_in,
        coalesce(lead_weeks.picked_up_within_24h, 0) as picked_up_within_24h,
        coalesce(lead_weeks.qualified_opportunities, 0) as qualified_opportunities,
        coalesce(lead_weeks.not_qualified, 0) as not_qualified,
        coalesce(lead_weeks.still_open, 0) as still_open,
        cast(coalesce(lead_weeks.pipeline_eur, 0) as decimal(18, 2)) as pipeline_eur,
        cast(
            lead_weeks.picked_up_within_24h / nullif(lead_weeks.leads_in, 0) as double
        ) as picked_up_share,
        cast(
            lead_weeks.qualified_opportunities / nullif(lead_weeks.leads_in, 0) as double
        ) as opportunity_rate,
        cast(
            lead_weeks.not_qualified / nullif(lead_weeks.leads_in, 0) as double
        ) as not_qualified_rate,
        coalesce(lead_weeks.sales_ready_leads, 0) as sales_ready_leads,
        {{ definition_versions_during(
            'weeks.week_start', 'weeks.week_start + 6'
        ) }} as definition_version
    from weeks
    left join lead_weeks
        on weeks.week_start = lead_weeks.week_start

)

select * from final
