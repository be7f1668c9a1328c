-- Marketo activities that count as funnel signals, credited to the Salesforce lead
-- their person is linked to (see int_marketo_people_linked_to_leads).
with

activities as (

    select * from {{ ref('stg_marketo__activities') }}

),

person_links as (

    select * from {{ ref('int_marketo_people_linked_to_leads') }}

),

signal_rules as (

    select * from {{ ref('stg_source_mapping__marketo_signal_rules') }}

),

classified as (

    select distinct
        activities.activity_id,
        person_links.lead_id,
        person_links.linked_by,
        signal_rules.signal,
        activities.activity_at as signal_at,
        activities.activity_type_id,
        activities.primary_attribute_value
    from activities
    inner join person_links
        on activities.marketo_lead_id = person_links.marketo_lead_id
    inner join signal_rules
        on
            activities.activity_type_id = signal_rules.activity_type_id
            and activities.primary_attribute_value ilike signal_rules.primary_attribute_like
            and (
                signal_rules.new_status is null
                or activities.new_program_status = signal_rules.new_status
            )

)

select * from classified
