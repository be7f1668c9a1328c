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

{% if is_incremental() %}

    leads_to_rebuild as (

        {{ int_lead_content_summarised_leads_to_rebuild() }}

    ),

{% endif %}

content_touches as (

    select * from {{ ref('int_content_touches_linked_to_leads') }}
    where
        lead_id is not null
        {% if is_incremental() %}
            and lead_id in (select leads_to_rebuild.lead_id from leads_to_rebuild)
        {% endif %}

),

summarised as (

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
        ) filter (where webinar_status is not null) as webinar_status,
        {{ this_build_started() }} as processed_at
    from content_touches
    group by lead_id, content_type, content_asset

)

select * from summarised
