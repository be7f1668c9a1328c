-- What each lead consumed, per content asset: first and last touch, touches, and the
-- webinar status that counts (Attended if the lead ever attended, otherwise the
-- latest). lead_content_consumed publishes it in reporting time.
--
-- Incremental by lead: a build recomputes the leads with new or re-credited content
-- touches (macros/incremental.sql).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='lead_id',
        pre_hook="{{ delete_rows_to_rebuild('lead_id', int_lead_content_summarised_leads_to_rebuild()) }}",
    )
}}
-- depends_on: {{ ref('int_marketo_person_links_tracked') }}

with

-- Read twice (all touches, webinar touches) and not materialised: a full build would
-- hold every content touch in memory.
content_touches as not materialized (

    select * from {{ ref('int_content_touches_linked_to_leads') }}
    where
        lead_id is not null
        and {{ is_lead_to_rebuild() }}

),

touches_summarised as (

    select
        lead_id,
        content_type,
        content_asset,
        min(consumed_at) as first_consumed_at,
        max(consumed_at) as last_consumed_at,
        count(*) as touches
    from content_touches
    group by lead_id, content_type, content_asset

),

-- Only webinar touches carry a status or minutes: summarised apart, the ranking of
-- statuses runs over those few rows instead of every page view.
webinars_summarised as (

    select
        lead_id,
        content_type,
        content_asset,
        max(webinar_minutes_attended) as webinar_minutes_attended,
        arg_max(
            webinar_status,
            (webinar_status = 'Attended', consumed_at, activity_id)
        ) filter (where webinar_status is not null) as webinar_status
    from content_touches
    where webinar_status is not null or webinar_minutes_attended is not null
    group by lead_id, content_type, content_asset

),

final as (

    select
        touches_summarised.lead_id,
        touches_summarised.content_type,
        touches_summarised.content_asset,
        touches_summarised.first_consumed_at,
        touches_summarised.last_consumed_at,
        touches_summarised.touches,
        webinars_summarised.webinar_minutes_attended,
        webinars_summarised.webinar_status,
        {{ this_build_started() }} as processed_at
    from touches_summarised
    left join webinars_summarised
        on
            touches_summarised.lead_id = webinars_summarised.lead_id
            and touches_summarised.content_type = webinars_summarised.content_type
            and touches_summarised.content_asset = webinars_summarised.content_asset

)

select * from final
