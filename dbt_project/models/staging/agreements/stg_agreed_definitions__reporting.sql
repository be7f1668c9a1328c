with

source as (

    select * from {{ source('agreed_definitions', 'reporting') }}

),

renamed as (

    select
        reporting_time_zone,
        corporate_currency
    from source

)

select * from renamed
