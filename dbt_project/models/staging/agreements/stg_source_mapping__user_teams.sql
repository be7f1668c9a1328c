with

source as (

    select * from {{ source('source_mapping', 'user_teams') }}

),

renamed as (

    select
        team_attribute,
        team
    from source

)

select * from renamed
