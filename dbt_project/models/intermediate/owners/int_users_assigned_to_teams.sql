-- Who is sales and who is marketing: each user's team attribute looked up in its
-- CRM's team mapping (source_mapping.yml: salesforce.user_teams, hubspot.owner_teams).
-- Users in neither team (integrations, support) have no team.
with

users as (

    select * from {{ ref('int_owners_unioned') }}

),

salesforce_teams as (

    select * from {{ ref('stg_source_mapping__user_teams') }}

),

hubspot_teams as (

    select * from {{ ref('stg_source_mapping__hubspot_owner_teams') }}

),

final as (

    select
        users.user_id,
        users.display_name,
        users.team_attribute,
        coalesce(salesforce_teams.team, hubspot_teams.team) as team
    from users
    left join salesforce_teams
        on
            users.source_system = 'salesforce'
            and users.team_attribute = salesforce_teams.team_attribute
    left join hubspot_teams
        on
            users.source_system = 'hubspot'
            and users.team_attribute = hubspot_teams.team_name

)

select * from final
