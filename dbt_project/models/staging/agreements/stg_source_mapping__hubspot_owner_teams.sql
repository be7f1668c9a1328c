with

source as (

    select * from {{ source('source_mapping', 'hubspot_owner_teams') }}

),

renamed as (

    select
        team_name,
        team
    from source

)

select * from renamed
