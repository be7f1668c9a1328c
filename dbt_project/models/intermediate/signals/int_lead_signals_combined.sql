-- Every funnel signal credited to a lead, whichever system recorded it: Marketo
-- activities (through the person's link to a lead), Salesforce facts (campaign
-- responses, lead fields, lead sources) and HubSpot facts (forms, page views, email
-- clicks, booked meetings, lifecycle stage dates). The lead definition and MQL/SQL
-- read signals only here.
--
-- A view: the Marketo part is the bulk of the warehouse's rows, and the per-lead
-- models read only the leads they rebuild. CRM signals (Salesforce's, HubSpot's) are
-- classified afresh by every build, which stamps them with its start. The stamp lives
-- in those tables, not here: a view holds no value of the build that created it, so
-- a quiet night can leave it as it is (orchestration/dbt/current_views.py).
{{ config(materialized='view') }}

with

marketo_signals as (

    select * from {{ ref('int_marketo_activities_linked_to_leads') }}
    where lead_id is not null

),

crm_signals as (

    select * from {{ ref('int_crm_facts_classified_as_signals') }}

),

hubspot_signals as (

    select * from {{ ref('int_hubspot_facts_classified_as_signals') }}

),

final as (

    select
        activity_id as signal_id,
        lead_id,
        signal,
        signal_at,
        'marketo' as signal_source,
        processed_at
    from marketo_signals
    union all
    select
        signal_id,
        lead_id,
        signal,
        signal_at,
        'salesforce' as signal_source,
        processed_at
    from crm_signals
    union all
    select
        signal_id,
        lead_id,
        signal,
        signal_at,
        'hubspot' as signal_source,
        processed_at
    from hubspot_signals

)

select * from final
