with

source as (

    select * from {{ source('hubspot', 'campaigns') }}

),

renamed as (

    select
        id as campaign_id,
        nullif(trim(hs_name), '') as campaign_name,
        -- HubSpot campaigns have no type; the column keeps the shape of the CRM's.
        cast(null as varchar) as campaign_type,
        coalesce(hs_start_date, cast(createdat as date)) as start_date,
        hs_spend_items_sum_amount as spend_amount,
        upper(nullif(trim(hs_currency_code), '')) as currency_iso_code,
        _loaded_at as loaded_at
    from source

)

select * from renamed
