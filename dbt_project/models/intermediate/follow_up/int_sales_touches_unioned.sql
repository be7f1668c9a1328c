-- Every logged activity that can be a follow-up (calls, emails, meetings, to-dos),
-- whichever CRM logged it, on whom (a lead or the contact it became) and by whom.
-- Whether it counts as sales' follow-up of a lead is int_crm_activities_linked_to_leads.
{{ config(materialized='view') }}

with

tasks as (

    select * from {{ ref('stg_salesforce__tasks') }}

),

events as (

    select * from {{ ref('stg_salesforce__events') }}

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

)

select * from final
