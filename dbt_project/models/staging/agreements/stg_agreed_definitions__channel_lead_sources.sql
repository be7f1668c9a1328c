with

source as (

    select * from {{ source('agreed_definitions', 'channel_lead_sources') }}

),

renamed as (

    select
        definition_version,
        lead_source,
        channel
    from source

)

select * from renamed
