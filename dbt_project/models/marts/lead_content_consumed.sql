-- What each lead has read, watched and browsed, so sales can open the conversation
-- ("you attended half of our forecasting webinar"). One row per lead and content
-- asset. The webinar status shown is Attended if the lead ever attended; otherwise
-- the latest status (a No Show after registering reads as No Show).
with

lead_content as (

    select * from {{ ref('int_lead_content_summarised') }}

),

reporting as (

    select * from {{ ref('stg_agreed_definitions__reporting') }}

),

final as (

    select
        lead_content.lead_id,
        lead_content.content_type,
        lead_content.content_asset,
        {{ to_reporting_time('lead_content.first_consumed_at') }} as first_consumed_at,
        {{ to_reporting_time('lead_content.last_consumed_at') }} as last_consumed_at,
        lead_content.touches,
        cast(lead_content.webinar_minutes_attended as double) as webinar_minutes_attended,
        lead_content.webinar_status,
        {{ definition_versions_during(
            'cast(' ~ to_reporting_time('lead_content.first_consumed_at') ~ ' as date)',
            'cast(' ~ to_reporting_time('lead_content.last_consumed_at') ~ ' as date)'
        ) }} as definition_version
    from lead_content
    cross join reporting

)

select * from final
