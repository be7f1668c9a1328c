-- Converts each amount with the dated rate in force on the opportunity's CloseDate,
-- as Salesforce advanced currency management does, so EUR totals match the CRM's
-- own reports (macros/dated_conversion.sql: an amount exported without a currency is
-- in the org's currency). An amount with no rate in force stays null in EUR: a check
-- flags it instead of the warehouse guessing a rate. So does an implausible amount
-- (below zero, or above the source mapping's maximum in EUR): an entry or export
-- error is left out of every EUR total, and a check names it.
with

opportunities as (

    select * from {{ ref('int_opportunities_unioned') }}

),

rates as (

    select * from {{ ref('int_conversion_rates_unioned') }}

),

org_currency as (

    select * from {{ ref('stg_source_mapping__org_currency') }}

),

reporting as (

    select * from {{ ref('stg_agreed_definitions__reporting') }}

),

data_quality as (

    select * from {{ ref('stg_source_mapping__data_quality') }}

),

rated as (

    select
        opportunities.opportunity_id,
        opportunities.amount,
        {{ amount_currency('opportunities.currency_iso_code') }} as currency_iso_code,
        {{ units_per_corporate_unit('opportunities.currency_iso_code') }} as units_per_eur
    from opportunities
    cross join reporting
    cross join org_currency
    left join rates
        on {{ dated_rate_in_force(
            'opportunities.currency_iso_code',
            'opportunities.close_date',
            'opportunities.source_system'
        ) }}

),

final as (

    select
        rated.opportunity_id,
        rated.amount,
        rated.currency_iso_code,
        rated.units_per_eur,
        case
            when
                rated.amount >= 0
                and rated.amount / rated.units_per_eur
                <= data_quality.max_opportunity_amount_eur
                then cast(round(rated.amount / rated.units_per_eur, 2) as decimal(18, 2))
        end as amount_eur
    from rated
    cross join data_quality

)

select * from final
