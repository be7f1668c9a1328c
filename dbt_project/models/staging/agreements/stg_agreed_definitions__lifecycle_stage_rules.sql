with

source as (

    select * from {{ source('agreed_definitions', 'lifecycle_stage_rules') }}

),

renamed as (

    select
        definition_version,
        lifecycle_stage,
        signal,
        min_count
    from source

)

select * from renamed
