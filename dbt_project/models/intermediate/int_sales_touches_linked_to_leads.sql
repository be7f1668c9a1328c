-- Follow-up is measured on what sales did: a Task or Event owned by a sales user on
-- the lead, or on the contact it was converted into (Salesforce moves the activity
-- history there on conversion). Activity logged before the lead existed is not a
-- follow-up of it. Every follow-up measure counts from this one list.
with

leads as (

    select * from {{ ref('stg_salesforce__leads') }}

),

users as (

    select * from {{ ref('int_users_assigned_to_teams') }}

),

tasks as (

    select * from {{ ref('stg_salesforce__tasks') }}

),

events as (

    select * from {{ ref('stg_salesforce__events') }}

),

activities as (

    select
        task_id as activity_id,
        'task' as activity_kind,
        who_id,
        owner_id,
        created_at
    from tasks
    union all
    select
        event_id as activity_id,
        'event' as activity_kind,
        who_id,
        owner_id,
        created_at
    from events

),

final as (

    select
        leads.lead_id,
        activities.activity_id,
        activities.activity_kind,
        activities.owner_id,
        activities.created_at as touched_at
    from leads
    inner join activities
        on activities.who_id in (leads.lead_id, leads.converted_contact_id)
    inner join users
        on activities.owner_id = users.user_id
    where
        users.team = 'sales'
        and activities.created_at >= leads.created_at

)

select * from final
