with

source as (

    select * from {{ source('source_mapping', 'crm_lead_source_rules') }}

),

renamed as (

    select
        signal,
        lead_source
    from source

)

select * from renamed
