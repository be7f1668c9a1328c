-- A lead's channel follows its LeadSource, as the agreed channel mapping says; a
-- lead without a mapped source falls back to the type of its first campaign.
-- Leads that match neither are 'unattributed' and never count as marketing-sourced.
with

leads as (

    select * from {{ ref('stg_salesforce__leads') }}

),

campaign_members as (

    select * from {{ ref('stg_salesforce__campaign_members') }}

),

campaigns as (

    select * from {{ ref('stg_salesforce__campaigns') }}

),

channels as (

    select * from {{ ref('stg_agreed_definitions__channels') }}

),

lead_source_channels as (

    select * from {{ ref('stg_agreed_definitions__channel_lead_sources') }}

),

campaign_type_channels as (

    select * from {{ ref('stg_agreed_definitions__channel_campaign_types') }}

),

first_campaigns as (

    select
        campaign_members.lead_id,
        campaign_members.campaign_id
    from campaign_members
    where campaign_members.lead_id is not null
    qualify row_number() over (
        partition by campaign_members.lead_id
        order by campaign_members.created_at, campaign_members.campaign_member_id
    ) = 1

),

final as (

    select
        leads.lead_id,
        first_campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.campaign_type,
        coalesce(
            lead_source_channels.channel, campaign_type_channels.channel, 'unattributed'
        ) as source_channel,
        coalesce(channels.is_marketing_sourced, false) as is_marketing_sourced
    from leads
    left join first_campaigns
        on leads.lead_id = first_campaigns.lead_id
    left join campaigns
        on first_campaigns.campaign_id = campaigns.campaign_id
    left join lead_source_channels
        on leads.lead_source = lead_source_channels.lead_source
    left join campaign_type_channels
        on campaigns.campaign_type = campaign_type_channels.campaign_type
    left join channels
        on
            coalesce(lead_source_channels.channel, campaign_type_channels.channel)
            = channels.channel

)

select * from final
