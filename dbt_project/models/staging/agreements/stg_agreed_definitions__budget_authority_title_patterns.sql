with

source as (

    select * from {{ source('agreed_definitions', 'budget_authority_title_patterns') }}

),

renamed as (

    select
        definition_version,
        pattern,
        is_exclusion
    from source

)

select * from renamed
