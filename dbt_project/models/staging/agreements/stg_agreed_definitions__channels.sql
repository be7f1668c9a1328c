with

source as (

    select * from {{ source('agreed_definitions', 'channels') }}

),

renamed as (

    select
        definition_version,
        channel,
        is_marketing_sourced
    from source

)

select * from renamed
