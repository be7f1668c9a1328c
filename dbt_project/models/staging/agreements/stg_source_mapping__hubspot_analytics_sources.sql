with

source as (

    select * from {{ source('source_mapping', 'hubspot_analytics_sources') }}

),

renamed as (

    select
        analytics_source,
        lead_source
    from source

)

select * from renamed
