-- Every user who can own a lead, an opportunity or an activity, whichever CRM they
-- work in, with the attribute that says their team (source_mapping.yml).
{{ config(materialized='view') }}

with

salesforce_users as (

    select * from {{ ref('stg_salesforce__users') }}

),

final as (

    select
        user_id,
        'salesforce' as source_system,
        display_name,
        team_attribute,
        loaded_at
    from salesforce_users

)

select * from final
