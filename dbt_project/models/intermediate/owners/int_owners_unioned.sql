-- Every user who can own a lead, an opportunity or an activity, whichever CRM they
-- work in, with the attribute that says their team: a Salesforce user's team field
-- (source_mapping.yml), a HubSpot owner's primary team.
{{ config(materialized='view') }}

with

salesforce_users as (

    select * from {{ ref('stg_salesforce__users') }}

),

hubspot_owners as (

    select * from {{ ref('stg_hubspot__owners') }}

),

final as (

    select
        user_id,
        'salesforce' as source_system,
        display_name,
        team_attribute,
        loaded_at
    from salesforce_users
    union all
    select
        owner_id as user_id,
        'hubspot' as source_system,
        display_name,
        team_name as team_attribute,
        loaded_at
    from hubspot_owners

)

select * from final
