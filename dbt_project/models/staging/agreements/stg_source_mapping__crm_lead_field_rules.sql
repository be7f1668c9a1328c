with

source as (

    select * from {{ source('source_mapping', 'crm_lead_field_rules') }}

),

renamed as (

    select
        signal,
        field_name,
        field_value
    from source

)

select * from renamed
