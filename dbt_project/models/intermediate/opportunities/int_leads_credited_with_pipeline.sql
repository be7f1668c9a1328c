-- The pipeline each lead is credited with: the EUR of the opportunities it sourced.
-- Several leads can be merged into one opportunity; its EUR counts once, for the lead
-- credited with it (int_opportunities_attributed_to_channels), so pipeline summed
-- over leads is never double counted.
with

opportunities as (

    select * from {{ ref('int_opportunities_unioned') }}

),

amounts as (

    select * from {{ ref('int_opportunities_converted_to_eur') }}

),

-- One row per opportunity and version of the agreed definitions there; the lead
-- credited with an opportunity is the same under every version.
channels as (

    select distinct
        opportunity_id,
        converted_from_lead_id
    from {{ ref('int_opportunities_attributed_to_channels') }}

),

final as (

    select
        channels.converted_from_lead_id as lead_id,
        sum(amounts.amount_eur) as pipeline_eur,
        sum(amounts.amount_eur) filter (where opportunities.is_won) as won_eur
    from channels
    inner join amounts
        on channels.opportunity_id = amounts.opportunity_id
    inner join opportunities
        on channels.opportunity_id = opportunities.opportunity_id
    where channels.converted_from_lead_id is not null
    group by channels.converted_from_lead_id

)

select * from final
