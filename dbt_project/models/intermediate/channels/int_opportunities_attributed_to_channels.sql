-- Where each opportunity comes from. One converted from a lead inherits that lead's
-- channel, so marketing gets credit for the pipeline its leads became; Salesforce can
-- merge several leads into one opportunity, and the first one created sourced it.
-- Other opportunities follow the one channel rule on their own lead source, then
-- their campaign's type (macros/attributed_channel.sql). One row per opportunity and
-- version of the agreed definitions (drafts included), under that version's mapping.
with

opportunities as (

    select * from {{ ref('int_opportunities_unioned') }}

),

leads as (

    select * from {{ ref('int_leads_unioned') }}

),

lead_channels as (

    select * from {{ ref('int_leads_attributed_to_channels') }}

),

campaigns as (

    select * from {{ ref('int_campaigns_unioned') }}

),

versions as (

    select * from {{ ref('stg_agreed_definitions__definition_versions') }}

),

source_leads as (

    select
        leads.converted_opportunity_id as opportunity_id,
        lead_channels.definition_version,
        leads.lead_id,
        lead_channels.source_channel,
        lead_channels.is_marketing_sourced
    from leads
    inner join lead_channels
        on leads.lead_id = lead_channels.lead_id
    where leads.converted_opportunity_id is not null
    qualify row_number() over (
        partition by leads.converted_opportunity_id, lead_channels.definition_version
        order by leads.created_at, leads.lead_id
    ) = 1

),

own_channels as (

    select
        opportunities.opportunity_id,
        versions.definition_version,
        {{ attributed_channel(
            'opportunities.lead_source', 'campaigns.campaign_type', 'versions.definition_version'
        ) }} as source_channel
    from opportunities
    cross join versions
    left join campaigns
        on opportunities.campaign_id = campaigns.campaign_id

),

final as (

    select
        own_channels.opportunity_id,
        own_channels.definition_version,
        source_leads.lead_id as converted_from_lead_id,
        coalesce(source_leads.source_channel, own_channels.source_channel) as source_channel,
        coalesce(
            source_leads.is_marketing_sourced,
            {{ is_marketing_channel(
                'own_channels.source_channel', 'own_channels.definition_version'
            ) }}
        ) as is_marketing_sourced
    from own_channels
    left join source_leads
        on
            own_channels.opportunity_id = source_leads.opportunity_id
            and own_channels.definition_version = source_leads.definition_version

)

select * from final
