{#- HubSpot rates a currency against the portal's company currency (conversionRate:
    units of the company currency per one unit of fromCurrencyCode, from effectiveAt);
    the warehouse wants units of each currency per one unit of the corporate currency,
    as Salesforce's dated rates have them. With a company currency that is the
    corporate one that is 1 / conversionRate; otherwise the corporate currency's own
    rate divides, over the days both rates are in force. A currency's rate runs until
    its next one; its earliest rate also covers the days before it, as Salesforce's
    first dated rate starts at 0001-01-01, so no amount is left without one. -#}
with

source as (

    select * from {{ source('hubspot', 'exchange_rates') }}

),

definition as (

    select * from {{ source('agreed_definitions', 'reporting') }}

),

renamed as (

    select
        upper(fromcurrencycode) as currency_iso_code,
        upper(tocurrencycode) as company_currency_code,
        conversionrate as company_units_per_unit,
        effectiveat as effective_at
    from source
    where conversionrate > 0

),

daily as (

    -- Of several rates taking effect on one day, the latest one holds for the day.
    select
        currency_iso_code,
        company_currency_code,
        company_units_per_unit,
        cast(effective_at as date) as effective_date
    from renamed
    qualify row_number() over (
        partition by currency_iso_code, company_currency_code, cast(effective_at as date)
        order by effective_at desc
    ) = 1

),

periods as (

    select
        currency_iso_code,
        company_currency_code,
        company_units_per_unit,
        case
            when row_number() over same_currency = 1 then date '0001-01-01'
            else effective_date
        end as start_date,
        lead(effective_date, 1, date '9999-12-31') over same_currency as next_start_date
    from daily
    window same_currency as (
        partition by currency_iso_code, company_currency_code order by effective_date
    )

),

with_company_currency as (

    select * from periods
    union all
    -- The company currency is one unit of itself, always.
    select distinct
        company_currency_code as currency_iso_code,
        company_currency_code,
        1 as company_units_per_unit,
        date '0001-01-01' as start_date,
        date '9999-12-31' as next_start_date
    from renamed

),

final as (

    select
        rate.currency_iso_code,
        cast(corporate.company_units_per_unit / rate.company_units_per_unit as decimal(18, 9))
            as units_per_corporate_unit,
        greatest(rate.start_date, corporate.start_date) as start_date,
        least(rate.next_start_date, corporate.next_start_date) as next_start_date,
        rate.company_currency_code
    from with_company_currency as rate
    cross join definition
    inner join with_company_currency as corporate
        on
            rate.company_currency_code = corporate.company_currency_code
            and definition.corporate_currency = corporate.currency_iso_code
            and rate.start_date < corporate.next_start_date
            and rate.next_start_date > corporate.start_date
    where rate.currency_iso_code <> definition.corporate_currency

)

select * from final
