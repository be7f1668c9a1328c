with

source as (

    select * from {{ source('source_mapping', 'org_currency') }}

),

renamed as (

    select
        org_currency,
        units_per_corporate_unit
    from source

)

select * from renamed
