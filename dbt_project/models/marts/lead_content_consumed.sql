-- What each lead has read, watched and browsed, so sales can open the conversation
-- ("you attended half of our forecasting webinar"). One row per lead and content
-- asset. The webinar status shown is Attended if the lead ever attended; otherwise
-- the latest status (a No Show after registering reads as No Show).
--
-- Incremental by lead: a build rewrites the leads whose content summary was rewritten
-- since the last complete build, and drops those left with none
-- (macros/incremental.sql).
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_rows_to_rebuild('lead_id', lead_content_consumed_leads_to_rebuild()) }}",
    )
}}

with

lead_content as (

    select * from {{ ref('int_lead_content_summarised') }}
    where {{ is_lead_to_rebuild() }}

),

reporting as (

    select * from {{ ref('stg_agreed_definitions__reporting') }}

),

localised as (

    select
        lead_content.lead_id,
        lead_content.content_type,
        lead_content.content_asset,
        {{ to_reporting_time('lead_content.first_consumed_at') }} as first_consumed_at,
        {{ to_reporting_time('lead_content.last_consumed_at') }} as last_consumed_at,
        lead_content.touches,
        cast(lead_content.webinar_minutes_attended as double) as webinar_minutes_attended,
        lead_content.webinar_status
    from lead_content
    cross join reporting

),

consumed_days as (

    select
        *,
        cast(first_consumed_at as date) as first_consumed_day,
        cast(last_consumed_at as date) as last_consumed_day
    from localised

),

final as (

    select
        lead_id,
        content_type,
        content_asset,
        first_consumed_at,
        last_consumed_at,
        touches,
        webinar_minutes_attended,
        webinar_status,
        {{ definition_versions_during(
            'consumed_days.first_consumed_day', 'consumed_days.last_consumed_day'
        ) }} as definition_version
    from consumed_days

)

select * from final
