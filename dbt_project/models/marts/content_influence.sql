-- Which content produces leads that convert: per content asset, the leads that
-- consumed it and what became of them. An opportunity (and its EUR) is credited to
-- content only if the lead consumed it before the opportunity was created, so
-- material read by existing deals does not take credit for them. A lead counts for
-- every asset it touched; totals across assets double count by design.
with

lead_content as (

    select * from {{ ref('lead_content_consumed') }}

),

lead_funnel as (

    select * from {{ ref('lead_funnel') }}

),

opportunity_pipeline as (

    select * from {{ ref('opportunity_pipeline') }}

),

-- Read twice (lead counts, opportunities) and not materialised: at 5M leads, holding
-- every lead's touches spills past the memory limit, where joining them twice does not.
touched_leads as not materialized (

    select
        lead_content.content_type,
        lead_content.content_asset,
        lead_content.lead_id,
        cast(lead_funnel.created_at as date) as created_day,
        lead_funnel.meets_definition,
        lead_funnel.is_converted
        and lead_content.first_consumed_at <= lead_funnel.opportunity_created_at
            as is_influenced_opportunity,
        lead_funnel.converted_opportunity_id
    from lead_content
    inner join lead_funnel
        on lead_content.lead_id = lead_funnel.lead_id

),

-- Leads merged into one opportunity must not count its EUR twice for one asset.
influenced_opportunities as (

    select distinct
        touched_leads.content_type,
        touched_leads.content_asset,
        opportunity_pipeline.opportunity_id,
        opportunity_pipeline.amount_eur,
        opportunity_pipeline.is_won
    from touched_leads
    inner join opportunity_pipeline
        on touched_leads.converted_opportunity_id = opportunity_pipeline.opportunity_id
    where touched_leads.is_influenced_opportunity

),

lead_counts as (

    select
        content_type,
        content_asset,
        -- lead_content_consumed holds one row per lead and asset, so rows are leads.
        count(*) as leads_touched,
        count(*) filter (where meets_definition) as sales_ready_leads,
        min(created_day) as first_created_day,
        max(created_day) as last_created_day
    from touched_leads
    group by content_type, content_asset

),

opportunity_totals as (

    select
        content_type,
        content_asset,
        count(*) as opportunities,
        sum(amount_eur) as pipeline_eur,
        sum(amount_eur) filter (where is_won) as won_eur
    from influenced_opportunities
    group by content_type, content_asset

),

final as (

    select
        lead_counts.content_type,
        lead_counts.content_asset,
        lead_counts.leads_touched,
        lead_counts.sales_ready_leads,
        coalesce(opportunity_totals.opportunities, 0) as opportunities,
        cast(coalesce(opportunity_totals.pipeline_eur, 0) as decimal(18, 2)) as pipeline_eur,
        cast(coalesce(opportunity_totals.won_eur, 0) as decimal(18, 2)) as won_eur,
        {{ definition_versions_during(
            'lead_counts.first_created_day', 'lead_counts.last_created_day'
        ) }} as definition_version
    from lead_counts
    left join opportunity_totals
        on
            lead_counts.content_type = opportunity_totals.content_type
            and lead_counts.content_asset = opportunity_totals.content_asset

)

select * from final
