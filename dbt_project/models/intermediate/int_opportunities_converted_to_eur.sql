-- Converts each amount with the dated rate in force on the opportunity's CloseDate,
-- as Salesforce advanced currency management does, so EUR totals match the CRM's
-- own reports. An amount with no rate in force stays null in EUR: a check flags it
-- instead of the warehouse guessing a rate.
with

opportunities as (

    select * from {{ ref('stg_salesforce__opportunities') }}

),

rates as (

    select * from {{ ref('stg_salesforce__dated_conversion_rates') }}

),

definition as (

    select * from {{ ref('stg_agreed_definitions__definition_version') }}

),

rated as (

    select
        opportunities.opportunity_id,
        opportunities.amount,
        opportunities.currency_iso_code,
        {{ units_per_corporate_unit('opportunities.currency_iso_code') }} as units_per_eur
    from opportunities
    cross join definition
    left join rates
        on {{ dated_rate_in_force('opportunities.currency_iso_code', 'opportunities.close_date') }}

),

final as (

    select
        opportunity_id,
        amount,
        currency_iso_code,
        units_per_eur,
        cast(round(amount / units_per_eur, 2) as decimal(18, 2)) as amount_eur
    from rated

)

select * from final
