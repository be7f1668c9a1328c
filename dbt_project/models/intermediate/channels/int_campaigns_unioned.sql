-- Every marketing campaign, whichever system ran it, with its type and actual cost
-- (a HubSpot campaign's spend; HubSpot campaigns have no type).
{{ config(materialized='view') }}

with

salesforce_campaigns as (

    select * from {{ ref('stg_salesforce__campaigns') }}

),

hubspot_campaigns as (

    select * from {{ ref('stg_hubspot__campaigns') }}

),

final as (

    select
        campaign_id,
        'salesforce' as source_system,
        campaign_name,
        campaign_type,
        start_date,
        actual_cost,
        currency_iso_code
    from salesforce_campaigns
    union all
    select
        campaign_id,
        'hubspot' as source_system,
        campaign_name,
        campaign_type,
        start_date,
        spend_amount as actual_cost,
        currency_iso_code
    from hubspot_campaigns

)

select * from final
