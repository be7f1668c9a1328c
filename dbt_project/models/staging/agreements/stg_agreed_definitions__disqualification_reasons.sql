with

source as (

    select * from {{ source('agreed_definitions', 'disqualification_reasons') }}

),

renamed as (

    select
        definition_version,
        reason
    from source

)

select * from renamed
