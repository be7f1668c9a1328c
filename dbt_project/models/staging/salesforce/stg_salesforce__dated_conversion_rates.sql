with

source as (

    select * from {{ source('salesforce', 'dated_conversion_rate') }}

),

renamed as (

    select
        id as dated_conversion_rate_id,
        isocode as currency_iso_code,
        conversionrate as units_per_eur,
        startdate as start_date,
        nextstartdate as next_start_date
    from source

)

select * from renamed
