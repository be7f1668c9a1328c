-- Every rate an amount can be converted with, per system (each CRM's rates are units
-- of a currency per one unit of the corporate currency): Salesforce's dated rates
-- (advanced currency management), a HubSpot portal's exchange rates, and, for a
-- single-currency org or portal whose currency is not the corporate one, the fixed
-- rate its source mapping declares, in force for all time.
with

salesforce_rates as (

    select * from {{ ref('stg_salesforce__dated_conversion_rates') }}

),

salesforce_currency as (

    select * from {{ ref('stg_source_mapping__org_currency') }}

),

hubspot_rates as (

    select * from {{ ref('stg_hubspot__exchange_rates') }}

),

hubspot_settings as (

    select * from {{ ref('stg_source_mapping__hubspot_settings') }}

),

fixed_rates as (

    select
        'salesforce' as source_system,
        org_currency,
        units_per_corporate_unit
    from salesforce_currency
    union all
    select
        'hubspot' as source_system,
        org_currency,
        units_per_corporate_unit
    from hubspot_settings

),

final as (

    select
        'salesforce' as source_system,
        currency_iso_code,
        units_per_eur,
        start_date,
        next_start_date
    from salesforce_rates
    union all
    select
        'hubspot' as source_system,
        currency_iso_code,
        units_per_corporate_unit as units_per_eur,
        start_date,
        next_start_date
    from hubspot_rates
    union all
    select
        source_system,
        org_currency as currency_iso_code,
        units_per_corporate_unit as units_per_eur,
        '-infinity'::date as start_date,
        'infinity'::date as next_start_date
    from fixed_rates
    where units_per_corporate_unit is not null

)

select * from final
