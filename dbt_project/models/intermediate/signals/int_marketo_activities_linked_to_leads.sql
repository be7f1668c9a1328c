-- Marketo activities that count as funnel signals, credited to the Salesforce lead
-- their person is linked to (see int_marketo_people_linked_to_leads). Signals of people
-- linked to no lead stay, with an empty lead_id: they are signals all the same, and a
-- person linked later then has rows to relink.
--
-- Incremental: each night classifies the activities loaded since the last build, and
-- re-links every activity of a person whose link changed (a new lead with their
-- email, a conversion, a merge). Rows never need to go: Marketo's activity log is
-- append-only, and erasing a person rebuilds the warehouse from scratch.
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

signal_rules as (

    select * from {{ ref('stg_source_mapping__marketo_signal_rules') }}

),

activities_to_classify as (

    {{ marketo_activities_to_classify() }}

),

classified as (

    select distinct
        activities_to_classify.activity_id,
        activities_to_classify.marketo_lead_id,
        person_links.lead_id,
        person_links.linked_by,
        signal_rules.signal,
        activities_to_classify.activity_at as signal_at,
        activities_to_classify.activity_type_id,
        activities_to_classify.primary_attribute_value,
        {{ this_build_started() }} as processed_at
    from activities_to_classify
    inner join signal_rules
        on
            activities_to_classify.activity_type_id = signal_rules.activity_type_id
            and activities_to_classify.primary_attribute_value
            ilike signal_rules.primary_attribute_like
            and (
                signal_rules.new_status is null
                or activities_to_classify.new_program_status = signal_rules.new_status
            )
    left join person_links
        on activities_to_classify.marketo_lead_id = person_links.marketo_lead_id

)

select * from classified
