with

source as (

    select * from {{ source('source_mapping', 'opportunity_stages') }}

),

renamed as (

    select
        stage_name,
        outcome,
        stage_order
    from source

)

select * from renamed
