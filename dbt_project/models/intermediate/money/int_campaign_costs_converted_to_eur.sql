-- Campaign spend in EUR, converted with the same dated-rate rule as opportunity
-- amounts, at the rate in force on the campaign's StartDate: the spend is booked in
-- the month the campaign starts, under the channel its type has in the version of the
-- agreed definitions in force that day (a campaign without a StartDate: the latest
-- signed version). A cost with no rate in force stays null in EUR.
with

campaigns as (

    select * from {{ ref('int_campaigns_unioned') }}

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

versions as (

    select * from {{ ref('stg_agreed_definitions__definition_versions') }}

),

rated as (

    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.campaign_type,
        -- A campaign has no lead source: its type gives its channel.
        {{ attributed_channel(
            'null', 'campaigns.campaign_type', 'versions.definition_version'
        ) }} as source_channel,
        campaigns.start_date,
        campaigns.actual_cost,
        {{ amount_currency('campaigns.currency_iso_code') }} as currency_iso_code,
        {{ units_per_corporate_unit('campaigns.currency_iso_code') }} as units_per_eur
    from campaigns
    cross join reporting
    cross join org_currency
    inner join versions
        on {{ is_in_force_on(
            'versions',
            'coalesce(campaigns.start_date, (select max(latest.in_force_from) from versions as latest))'
        ) }}
    left join rates
        on {{ dated_rate_in_force(
            'campaigns.currency_iso_code', 'campaigns.start_date', 'campaigns.source_system'
        ) }}

),

final as (

    select
        campaign_id,
        campaign_name,
        campaign_type,
        source_channel,
        start_date,
        cast(date_trunc('month', start_date) as date) as start_month,
        actual_cost,
        currency_iso_code,
        units_per_eur,
        cast(round(actual_cost / units_per_eur, 2) as decimal(18, 2)) as cost_eur
    from rated

)

select * from final
