with

users as (

    select * from {{ ref('int_owners_unioned') }}

),

user_teams as (

    select * from {{ ref('stg_source_mapping__user_teams') }}

),

final as (

    select
        users.user_id,
        users.display_name,
        users.team_attribute,
        user_teams.team
    from users
    left join user_teams
        on users.team_attribute = user_teams.team_attribute

)

select * from final
