with

source as (

    select * from {{ source('source_mapping', 'hubspot_lead_status_stages') }}

),

renamed as (

    select
        lead_status,
        funnel_stage
    from source

)

select * from renamed
