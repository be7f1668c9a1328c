-- An opportunity converted from a lead inherits that lead's channel, so marketing
-- gets credit for the pipeline its leads became; other opportunities are attributed
-- by their own LeadSource, then by their campaign's type.
with

opportunities as (

    select * from {{ ref('stg_salesforce__opportunities') }}

),

amounts as (

    select * from {{ ref('int_opportunities_converted_to_eur') }}

),

definition as (

    select * from {{ ref('stg_agreed_definitions__definition_version') }}

),

leads as (

    select * from {{ ref('stg_salesforce__leads') }}

),

lead_channels as (

    select * from {{ ref('int_leads_attributed_to_channels') }}

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

-- Salesforce can merge several leads into one opportunity; the first one created
-- is the one that sourced it.
source_leads as (

    select
        leads.converted_opportunity_id as opportunity_id,
        leads.lead_id,
        lead_channels.source_channel,
        lead_channels.is_marketing_sourced
    from leads
    inner join lead_channels
        on leads.lead_id = lead_channels.lead_id
    where leads.converted_opportunity_id is not null
    qualify row_number() over (
        partition by leads.converted_opportunity_id
        order by leads.created_at, leads.lead_id
    ) = 1

),

own_channels as (

    select
        opportunities.opportunity_id,
        coalesce(lead_source_channels.channel, campaign_type_channels.channel)
            as source_channel
    from opportunities
    left join campaigns
        on opportunities.campaign_id = campaigns.campaign_id
    left join lead_source_channels
        on opportunities.lead_source = lead_source_channels.lead_source
    left join campaign_type_channels
        on campaigns.campaign_type = campaign_type_channels.campaign_type

),

final as (

    select
        opportunities.opportunity_id,
        opportunities.opportunity_name,
        opportunities.account_id,
        opportunities.owner_id,
        opportunities.stage_name,
        opportunities.amount,
        amounts.currency_iso_code,
        amounts.units_per_eur,
        amounts.amount_eur,
        {{ to_reporting_time('opportunities.created_at') }} as created_at,
        cast(
            date_trunc('month', {{ to_reporting_time('opportunities.created_at') }}) as date
        ) as created_month,
        opportunities.close_date,
        coalesce(opportunities.is_closed, false) as is_closed,
        coalesce(opportunities.is_won, false) as is_won,
        coalesce(opportunities.is_closed and not opportunities.is_won, false) as is_lost,
        opportunities.lead_source,
        opportunities.campaign_id,
        source_leads.lead_id as converted_from_lead_id,
        coalesce(
            source_leads.source_channel, own_channels.source_channel, 'unattributed'
        ) as source_channel,
        coalesce(
            source_leads.is_marketing_sourced, channels.is_marketing_sourced, false
        ) as is_marketing_sourced,
        definition.definition_version
    from opportunities
    cross join definition
    inner join amounts
        on opportunities.opportunity_id = amounts.opportunity_id
    inner join own_channels
        on opportunities.opportunity_id = own_channels.opportunity_id
    left join source_leads
        on opportunities.opportunity_id = source_leads.opportunity_id
    left join channels
        on own_channels.source_channel = channels.channel

)

select * from final
