with

source as (

    select * from {{ source('source_mapping', 'hubspot_settings') }}

),

renamed as (

    select
        portal_url,
        disqualification_reason_property,
        org_currency,
        units_per_corporate_unit
    from source

)

select * from renamed
