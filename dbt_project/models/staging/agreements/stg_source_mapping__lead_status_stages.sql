with

source as (

    select * from {{ source('source_mapping', 'lead_status_stages') }}

),

renamed as (

    select
        lead_status,
        funnel_stage
    from source

)

select * from renamed
