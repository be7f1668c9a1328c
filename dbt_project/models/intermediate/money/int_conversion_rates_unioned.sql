-- Every rate an amount can be converted with: Salesforce's dated rates (advanced
-- currency management) and, for a single-currency org whose currency is not the
-- corporate one, the fixed rate its source mapping declares, in force for all time.
with

dated_rates as (

    select * from {{ ref('stg_salesforce__dated_conversion_rates') }}

),

org_currency as (

    select * from {{ ref('stg_source_mapping__org_currency') }}

),

final as (

    select
        currency_iso_code,
        units_per_eur,
        start_date,
        next_start_date
    from dated_rates
    union all
    select
        org_currency as currency_iso_code,
        units_per_corporate_unit as units_per_eur,
        '-infinity'::date as start_date,
        'infinity'::date as next_start_date
    from org_currency
    where units_per_corporate_unit is not null

)

select * from final
