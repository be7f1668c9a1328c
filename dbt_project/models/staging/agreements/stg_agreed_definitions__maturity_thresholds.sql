with

source as (

    select * from {{ source('agreed_definitions', 'maturity_thresholds') }}

),

renamed as (

    select
        definition_version,
        stage,
        criterion,
        threshold
    from source

)

select * from renamed
