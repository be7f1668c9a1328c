with

source as (

    select * from {{ source('agreed_definitions', 'channel_campaign_types') }}

),

renamed as (

    select
        definition_version,
        campaign_type,
        channel
    from source

)

select * from renamed
