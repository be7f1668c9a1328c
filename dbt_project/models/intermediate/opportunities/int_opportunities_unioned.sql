-- Every opportunity, in one shape: Salesforce opportunities and HubSpot deals (open,
-- won or lost by their pipeline stage's definition, the lead source from their
-- original source). A deal without a currency is in the portal's currency.
{{ config(materialized='view') }}

with

salesforce_opportunities as (

    select * from {{ ref('stg_salesforce__opportunities') }}

),

hubspot_deals as (

    select * from {{ ref('stg_hubspot__deals') }}

),

hubspot_deal_stages as (

    select * from {{ ref('stg_hubspot__deal_stages') }}

),

hubspot_settings as (

    select * from {{ ref('stg_source_mapping__hubspot_settings') }}

),

final as (

    select
        opportunity_id,
        'salesforce' as source_system,
        account_id,
        opportunity_name,
        amount,
        currency_iso_code,
        stage_name,
        close_date,
        coalesce(is_closed, false) as is_closed,
        coalesce(is_won, false) as is_won,
        lead_source,
        campaign_id,
        owner_id,
        created_at,
        modified_at
    from salesforce_opportunities
    union all
    select
        hubspot_deals.deal_id as opportunity_id,
        'hubspot' as source_system,
        hubspot_deals.company_id as account_id,
        hubspot_deals.deal_name as opportunity_name,
        hubspot_deals.amount,
        coalesce(hubspot_deals.currency_code, hubspot_settings.org_currency)
            as currency_iso_code,
        hubspot_deal_stages.stage_label as stage_name,
        hubspot_deals.close_date,
        coalesce(hubspot_deal_stages.is_closed, false) as is_closed,
        coalesce(hubspot_deal_stages.is_won, false) as is_won,
        {{ hubspot_lead_source('hubspot_deals.analytics_source') }} as lead_source,
        null as campaign_id,
        hubspot_deals.owner_id,
        hubspot_deals.created_at,
        hubspot_deals.modified_at
    from hubspot_deals
    cross join hubspot_settings
    left join hubspot_deal_stages
        on
            hubspot_deals.pipeline_id = hubspot_deal_stages.pipeline_id
            and hubspot_deals.stage_id = hubspot_deal_stages.stage_id

)

select * from final
