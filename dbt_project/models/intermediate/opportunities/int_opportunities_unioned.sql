-- Every opportunity (a Salesforce opportunity, a HubSpot deal), in one shape.
{{ config(materialized='view') }}

with

salesforce_opportunities as (

    select * from {{ ref('stg_salesforce__opportunities') }}

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

)

select * from final
