with

source as (

    select * from {{ source('agreed_definitions', 'sla_targets') }}

),

renamed as (

    select
        definition_version,
        commitment,
        owner_team,
        target,
        description
    from source

)

select * from renamed
