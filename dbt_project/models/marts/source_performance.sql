-- What each source costs and what it brings, per month, channel and campaign. Lead
-- metrics count in the month the lead was created, under the lead's own channel and
-- first campaign; campaign spend counts in the month the campaign started, under the
-- channel of its type. The two meet in a full outer join, so a campaign whose leads
-- came in other months (or under another channel) keeps its cost on its own row.
-- Cost ratios are per row; for a period, sum cost_eur and the counts, then divide.
with

lead_funnel as (

    select * from {{ ref('lead_funnel') }}

),

campaign_costs as (

    select * from {{ ref('int_campaign_costs_converted_to_eur') }}

),

lead_pipeline as (

    select * from {{ ref('int_leads_credited_with_pipeline') }}

),

lead_sources as (

    select
        lead_funnel.created_month as month,
        lead_funnel.source_channel,
        lead_funnel.campaign_id,
        lead_funnel.campaign_name,
        count(*) as leads,
        count(*) filter (where lead_funnel.meets_definition) as sales_ready_leads,
        count(*) filter (where lead_funnel.mql_at is not null) as mqls,
        count(*) filter (where lead_funnel.sql_at is not null) as sqls,
        count(*) filter (where lead_funnel.is_converted) as opportunities,
        sum(lead_pipeline.pipeline_eur) as pipeline_eur,
        sum(lead_pipeline.won_eur) as won_eur
    from lead_funnel
    left join lead_pipeline
        on lead_funnel.lead_id = lead_pipeline.lead_id
    group by all

),

cost_sources as (

    select
        start_month as month,
        source_channel,
        campaign_id,
        campaign_name,
        sum(cost_eur) as cost_eur
    from campaign_costs
    group by all

),

joined as (

    select
        coalesce(lead_sources.month, cost_sources.month) as month,
        coalesce(lead_sources.source_channel, cost_sources.source_channel) as source_channel,
        coalesce(lead_sources.campaign_id, cost_sources.campaign_id) as campaign_id,
        coalesce(lead_sources.campaign_name, cost_sources.campaign_name) as campaign_name,
        cost_sources.cost_eur,
        coalesce(lead_sources.leads, 0) as leads,
        coalesce(lead_sources.sales_ready_leads, 0) as sales_ready_leads,
        coalesce(lead_sources.mqls, 0) as mqls,
        coalesce(lead_sources.sqls, 0) as sqls,
        coalesce(lead_sources.opportunities, 0) as opportunities,
        coalesce(lead_sources.pipeline_eur, 0) as pipeline_eur,
        coalesce(lead_sources.won_eur, 0) as won_eur
    from lead_sources
    full outer join cost_sources
        on
            lead_sources.month = cost_sources.month
            and lead_sources.source_channel = cost_sources.source_channel
            and lead_sources.campaign_id = cost_sources.campaign_id

),

final as (

    select
        joined.month,
        joined.source_channel,
        joined.campaign_id,
        joined.campaign_name,
        cast(joined.cost_eur as decimal(18, 2)) as cost_eur,
        joined.leads,
        joined.sales_ready_leads,
        joined.mqls,
        joined.sqls,
        joined.opportunities,
        cast(joined.pipeline_eur as decimal(18, 2)) as pipeline_eur,
        cast(joined.won_eur as decimal(18, 2)) as won_eur,
        cast(joined.cost_eur / nullif(joined.leads, 0) as decimal(18, 2)) as cost_per_lead,
        cast(joined.cost_eur / nullif(joined.sales_ready_leads, 0) as decimal(18, 2))
            as cost_per_sales_ready_lead,
        cast(joined.cost_eur / nullif(joined.opportunities, 0) as decimal(18, 2))
            as cost_per_opportunity,
        cast(joined.sales_ready_leads / nullif(joined.leads, 0) as double) as sales_ready_rate,
        cast(joined.opportunities / nullif(joined.leads, 0) as double)
            as lead_to_opportunity_rate,
        {{ definition_versions_during(
            'joined.month', 'last_day(joined.month)'
        ) }} as definition_version
    from joined

)

select * from final
