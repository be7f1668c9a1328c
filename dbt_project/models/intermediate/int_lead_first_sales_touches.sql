-- Follow-up is measured on what sales did: a Task or Event owned by a sales user on
-- the lead, or on the contact it was converted into (Salesforce moves the activity
-- history there on conversion). Activity logged before the lead existed is not a
-- follow-up of it.
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
        who_id,
        owner_id,
        created_at
    from tasks
    union all
    select
        event_id as activity_id,
        who_id,
        owner_id,
        created_at
    from events

),

sales_touches as (

    select
        leads.lead_id,
        activities.activity_id,
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

),

final as (

    select
        lead_id,
        min(touched_at) as first_sales_touch_at,
        arg_min(owner_id, touched_at) as first_touch_owner_id,
        count(*) as sales_touches
    from sales_touches
    group by lead_id

)

select * from final
