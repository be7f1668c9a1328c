with

source as (

    select * from {{ source('source_mapping', 'data_quality') }}

),

renamed as (

    select max_opportunity_amount_eur
    from source

)

select * from renamed
