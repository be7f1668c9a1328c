with

source as (

    select * from {{ source('agreed_definitions', 'active_intent_signals') }}

),

renamed as (

    select
        definition_version,
        signal
    from source

)

select * from renamed
