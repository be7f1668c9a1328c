-- Every logged activity that can be a follow-up, whichever CRM logged it, on whom (a
-- lead or the contact it became) and by whom: Salesforce tasks and events; HubSpot
-- calls, outgoing emails, meetings and tasks, one row per associated contact. A
-- contact's own incoming email, or a meeting the contact booked through a meetings
-- link, is the contact's doing, not a follow-up. Whether an activity counts as sales'
-- follow-up of a lead is int_crm_activities_linked_to_leads.
{{ config(materialized='view') }}

with

tasks as (

    select * from {{ ref('stg_salesforce__tasks') }}

),

events as (

    select * from {{ ref('stg_salesforce__events') }}

),

engagements as (

    select * from {{ ref('stg_hubspot__engagements') }}

),

final as (

    select
        task_id as activity_id,
        'task' as activity_kind,
        who_id,
        owner_id,
        created_at as touched_at,
        loaded_at
    from tasks
    union all
    select
        event_id as activity_id,
        'event' as activity_kind,
        who_id,
        owner_id,
        created_at as touched_at,
        loaded_at
    from events
    union all
    select
        engagement_id || ':' || contact_id as activity_id,
        engagement_type as activity_kind,
        contact_id as who_id,
        owner_id,
        occurred_at as touched_at,
        loaded_at
    from engagements
    where is_outgoing and not coalesce(meeting_booked_by_contact, false)

)

select * from final
