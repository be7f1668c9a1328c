-- What each lead has read, watched and browsed, so sales can open the conversation
-- ("you attended half of our forecasting webinar"). One row per lead and content
-- asset. The webinar status shown is Attended if the lead ever attended; otherwise
-- the latest status (a No Show after registering reads as No Show).
with

content_touches as (

    select * from {{ ref('int_content_touches_linked_to_leads') }}
    where lead_id is not null

),

definition as (

    select * from {{ ref('stg_agreed_definitions__definition_version') }}

),

consumed as (

    select
        lead_id,
        content_type,
        content_asset,
        min(consumed_at) as first_consumed_at,
        max(consumed_at) as last_consumed_at,
        count(*) as touches,
        max(webinar_minutes_attended) as webinar_minutes_attended,
        arg_max(
            webinar_status,
            (webinar_status = 'Attended', consumed_at, activity_id)
        ) filter (where webinar_status is not null) as webinar_status
    from content_touches
    group by lead_id, content_type, content_asset

),

final as (

    select
        consumed.lead_id,
        consumed.content_type,
        consumed.content_asset,
        {{ to_reporting_time('consumed.first_consumed_at') }} as first_consumed_at,
        {{ to_reporting_time('consumed.last_consumed_at') }} as last_consumed_at,
        consumed.touches,
        cast(consumed.webinar_minutes_attended as double) as webinar_minutes_attended,
        consumed.webinar_status,
        definition.definition_version
    from consumed
    cross join definition

)

select * from final
