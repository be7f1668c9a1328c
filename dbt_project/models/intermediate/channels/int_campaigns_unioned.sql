-- Every marketing campaign, whichever system ran it, with its type and actual cost.
{{ config(materialized='view') }}

with

salesforce_campaigns as (

    select * from {{ ref('stg_salesforce__campaigns') }}

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

)

select * from final
