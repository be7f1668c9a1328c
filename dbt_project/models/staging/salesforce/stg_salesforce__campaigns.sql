with

source as (

    select * from {{ source('salesforce', 'campaign') }}

),

renamed as (

    select
        id as campaign_id,
        name as campaign_name,
        type as campaign_type,
        startdate as start_date,
        actualcost as actual_cost,
        currencyisocode as currency_iso_code,
        createddate as created_at
    from source
    where not coalesce(isdeleted, false)

)

select * from renamed
