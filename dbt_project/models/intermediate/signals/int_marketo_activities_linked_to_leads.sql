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

-- Read twice and not materialised, as in int_content_touches_linked_to_leads.
activities_to_classify as not materialized (

    {{ marketo_activities_to_classify() }}

),

-- A rule judges an activity by its type, primary attribute and new status alone, so
-- the signals are found once per distinct combination, not once per activity.
attribute_values as (

    select distinct
        activity_type_id,
        primary_attribute_value,
        new_program_status
    from activities_to_classify

),

signals_of_attribute_values as (

    select distinct
        attribute_values.activity_type_id,
        attribute_values.primary_attribute_value,
        attribute_values.new_program_status,
        signal_rules.signal
    from attribute_values
    inner join signal_rules
        on
            attribute_values.activity_type_id = signal_rules.activity_type_id
            and attribute_values.primary_attribute_value
            ilike signal_rules.primary_attribute_like
            and (
                signal_rules.new_status is null
                or attribute_values.new_program_status = signal_rules.new_status
            )

),

-- One row per activity and signal: a person has one link.
classified as (

    select
        activities_to_classify.activity_id,
        activities_to_classify.marketo_lead_id,
        person_links.lead_id,
        person_links.linked_by,
        signals_of_attribute_values.signal,
        activities_to_classify.activity_at as signal_at,
        activities_to_classify.activity_type_id,
        activities_to_classify.primary_attribute_value,
        {{ this_build_started() }} as processed_at
    from activities_to_classify
    inner join signals_of_attribute_values
        on
            activities_to_classify.activity_type_id
            = signals_of_attribute_values.activity_type_id
            and activities_to_classify.primary_attribute_value
            = signals_of_attribute_values.primary_attribute_value
            and activities_to_classify.new_program_status
            is not distinct from signals_of_attribute_values.new_program_status
    left join person_links
        on activities_to_classify.marketo_lead_id = person_links.marketo_lead_id

)

select * from classified
