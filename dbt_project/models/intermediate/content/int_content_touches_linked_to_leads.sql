-- Content a lead consumed, one row per Marketo activity, by the content rules of
-- config/source_mapping.yml: whitepaper downloads (the title follows "Whitepaper
-- Download - " in the form name), webinar program status changes (the program name is
-- the asset) and page views, grouped by the first segment of the path (/products,
-- /pricing, /blog), since single pages are too fine to compare. Unlike funnel signals
-- this keeps every page view, signal or not.
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

-- Read twice, once for the distinct pairs and once to classify, and not materialised:
-- DuckDB would otherwise hold every activity of a full build (3.6 GB at 50M
-- activities) past the memory limit and spill it to disk, where scanning the table a
-- second time costs a few seconds.
activities_to_classify as not materialized (

    {{ marketo_activities_to_classify() }}

),

content_rules as (

    select * from {{ ref('stg_source_mapping__marketo_content_rules') }}

),

-- A rule classifies an activity by its type and primary attribute alone, so the first
-- matching rule is chosen once per distinct pair, not once per activity: ranking the
-- rules of every activity cost most of this model's time.
attribute_values as (

    select distinct
        activity_type_id,
        primary_attribute_value
    from activities_to_classify

),

first_matching_rules as (

    select
        attribute_values.activity_type_id,
        attribute_values.primary_attribute_value,
        content_rules.content_type,
        case content_rules.asset
            when 'after_prefix'
                then trim(substr(
                    attribute_values.primary_attribute_value,
                    length(content_rules.prefix) + 1
                ))
            when 'first_path_segment'
                then '/' || lower(regexp_extract(
                    attribute_values.primary_attribute_value, '^/([^/?#]*)', 1
                ))
            else attribute_values.primary_attribute_value
        end as content_asset
    from attribute_values
    inner join content_rules
        on
            attribute_values.activity_type_id = content_rules.activity_type_id
            and attribute_values.primary_attribute_value
            ilike content_rules.primary_attribute_like
    qualify row_number() over (
        partition by attribute_values.activity_type_id, attribute_values.primary_attribute_value
        order by content_rules.rule_order
    ) = 1

),

classified as (

    select
        activities_to_classify.activity_id,
        activities_to_classify.marketo_lead_id,
        activities_to_classify.activity_at,
        first_matching_rules.content_type,
        first_matching_rules.content_asset,
        -- Only program status changes (webinars) carry a status and minutes.
        activities_to_classify.new_program_status as webinar_status,
        activities_to_classify.minutes_attended as webinar_minutes_attended
    from activities_to_classify
    inner join first_matching_rules
        on
            activities_to_classify.activity_type_id = first_matching_rules.activity_type_id
            and activities_to_classify.primary_attribute_value
            = first_matching_rules.primary_attribute_value

),

-- One row per activity already: the rule is chosen above and a person has one link.
final as (

    select
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

)

select * from final
