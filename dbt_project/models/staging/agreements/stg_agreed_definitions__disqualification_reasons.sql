with

source as (

    select * from {{ source('agreed_definitions', 'disqualification_reasons') }}

),

renamed as (

    select reason
    from source

)

select * from renamed
