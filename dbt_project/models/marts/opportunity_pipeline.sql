-- One row per opportunity: its amount in EUR (int_opportunities_converted_to_eur) and
-- where it came from (int_opportunities_attributed_to_channels), under the version of
-- the agreed definitions in force on the day it was created (reporting time zone),
-- the day its pipeline counts in the shared KPIs.
with

opportunities as (

    select * from {{ ref('int_opportunities_unioned') }}

),

amounts as (

    select * from {{ ref('int_opportunities_converted_to_eur') }}

),

channels as (

    select * from {{ ref('int_opportunities_attributed_to_channels') }}

),

reporting as (

    select * from {{ ref('stg_agreed_definitions__reporting') }}

),

versions as (

    select * from {{ ref('stg_agreed_definitions__definition_versions') }}

),

final as (

    select
        opportunities.opportunity_id,
        opportunities.opportunity_name,
        opportunities.account_id,
        opportunities.owner_id,
        opportunities.stage_name,
        opportunities.amount,
        amounts.currency_iso_code,
        amounts.units_per_eur,
        amounts.amount_eur,
        {{ to_reporting_time('opportunities.created_at') }} as created_at,
        cast(
            date_trunc('month', {{ to_reporting_time('opportunities.created_at') }}) as date
        ) as created_month,
        opportunities.close_date,
        opportunities.is_closed,
        opportunities.is_won,
        opportunities.is_closed and not opportunities.is_won as is_lost,
        opportunities.lead_source,
        opportunities.campaign_id,
        channels.converted_from_lead_id,
        channels.source_channel,
        channels.is_marketing_sourced,
        versions.definition_version
    from opportunities
    cross join reporting
    inner join versions
        on {{ is_in_force_on(
            'versions', 'cast(' ~ to_reporting_time('opportunities.created_at') ~ ' as date)'
        ) }}
    inner join amounts
        on opportunities.opportunity_id = amounts.opportunity_id
    inner join channels
        on
            opportunities.opportunity_id = channels.opportunity_id
            and versions.definition_version = channels.definition_version

)

select * from final
