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

-- One row per id a lead's activity can be logged on, so the join below is an
-- equi-join (hash join) rather than a join on "either id", which scales badly.
lead_who_ids as (

    select
        lead_id,
        lead_id as who_id,
        created_at
    from leads
    union all
    select
        lead_id,
        converted_contact_id as who_id,
        created_at
    from leads
    where converted_contact_id is not null

),

final as (

    select
        lead_who_ids.lead_id,
        activities.activity_id,
        activities.activity_kind,
        activities.owner_id,
        activities.created_at as touched_at
    from lead_who_ids
    inner join activities
        on lead_who_ids.who_id = activities.who_id
    inner join users
        on activities.owner_id = users.user_id
    where
        users.team = 'sales'
        and activities.created_at >= lead_who_ids.created_at

)

select * from final
