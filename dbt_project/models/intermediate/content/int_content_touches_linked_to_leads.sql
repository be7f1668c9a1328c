-- Content a lead consumed, one row per Marketo activity: whitepaper downloads (the
-- title follows "Whitepaper Download - " in the form name), webinar program status
-- changes (the program name is the asset) and page views, grouped by the first
-- segment of the path (/products, /pricing, /blog), since single pages are too fine
-- to compare. Unlike funnel signals this keeps every page view, signal or not.
-- People are linked to leads by the same rule as the funnel signals; content of people
-- linked to no lead stays, with an empty lead_id.
--
-- Incremental in the same way as int_marketo_activities_linked_to_leads: the activities
-- loaded since the last build, plus every activity of a person whose link changed.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='activity_id',
    )
}}

with

person_links as (

    select * from {{ ref('int_marketo_person_links_tracked') }}

),

activities_to_classify as (

    {{ marketo_activities_to_classify() }}

),

classified as (

    select
        activity_id,
        marketo_lead_id,
        activity_at,
        case
            when activity_type_id = 2 and primary_attribute_value ilike 'Whitepaper Download - %'
                then 'whitepaper'
            when activity_type_id = 104 and primary_attribute_value ilike 'Webinar%'
                then 'webinar'
            when activity_type_id = 1 then 'page_group'
        end as content_type,
        case
            when activity_type_id = 2
                then trim(substr(primary_attribute_value, length('Whitepaper Download - ') + 1))
            when activity_type_id = 104 then primary_attribute_value
            when activity_type_id = 1
                then '/' || lower(regexp_extract(primary_attribute_value, '^/([^/?#]*)', 1))
        end as content_asset,
        case when activity_type_id = 104 then new_program_status end as webinar_status,
        case when activity_type_id = 104 then minutes_attended end as webinar_minutes_attended
    from activities_to_classify

),

final as (

    select distinct
        classified.activity_id,
        classified.marketo_lead_id,
        person_links.lead_id,
        classified.content_type,
        classified.content_asset,
        classified.activity_at as consumed_at,
        classified.webinar_status,
        classified.webinar_minutes_attended,
        {{ this_build_started() }} as processed_at
    from classified
    left join person_links
        on classified.marketo_lead_id = person_links.marketo_lead_id
    where classified.content_type is not null

)

select * from final
