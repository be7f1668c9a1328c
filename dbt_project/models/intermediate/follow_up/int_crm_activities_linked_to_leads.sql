-- Follow-up is measured on what sales did: a Task or Event owned by a sales user on
-- the lead, or on the contact it was converted into (Salesforce moves the activity
-- history there on conversion). Activity logged before the lead existed is not a
-- follow-up of it. Every follow-up measure counts from this one list.
--
-- One row per task or event and lead it follows up; tasks and events that follow up
-- no lead (not by sales, on an account, before the lead existed) keep one row with an
-- empty lead_id, so that re-linking an activity always replaces its rows.
--
-- Incremental: each night links the tasks and events loaded since the last build,
-- and re-links those a changed lead or user may concern: activity on a changed lead
-- or its contact, activity credited to a changed or deleted lead, activity owned by
-- a changed user.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='activity_id',
        post_hook="{{ delete_rows_whose_source_is_gone('activity_id', [
            (ref('int_sales_touches_unioned'), 'activity_id'),
        ]) }}",
    )
}}

with

leads as (

    select * from {{ ref('int_leads_unioned') }}

),

users as (

    select * from {{ ref('int_owners_unioned') }}

),

user_teams as (

    select * from {{ ref('int_users_assigned_to_teams') }}

),

activities as (

    select * from {{ ref('int_sales_touches_unioned') }}

),

-- One row per id a lead's activity can be logged on, so the join below is an
-- equi-join (hash join) rather than a join on "either id", which scales badly.
lead_who_ids as (

    select
        lead_id,
        lead_id as who_id,
        created_at,
        loaded_at
    from leads
    union all
    select
        lead_id,
        converted_contact_id as who_id,
        created_at,
        loaded_at
    from leads
    where converted_contact_id is not null

),

{% if is_incremental() %}

    changed_leads as (

        select * from lead_who_ids
        where loaded_at > {{ last_build_started() }}

    ),

    relinked_activities as (

        select activity_id from {{ this }}
        where
            lead_id in (select changed_leads.lead_id from changed_leads)
            or (lead_id is not null and lead_id not in (select leads.lead_id from leads))

    ),

{% endif %}

activities_to_link as (

    select * from activities
    {% if is_incremental() %}
        where
            loaded_at > {{ last_build_started() }}
            or who_id in (select changed_leads.who_id from changed_leads)
            or owner_id in (
                select users.user_id from users
                where users.loaded_at > {{ last_build_started() }}
            )
            or activity_id in (select relinked_activities.activity_id from relinked_activities)
    {% endif %}

),

final as (

    select
        lead_who_ids.lead_id,
        activities_to_link.activity_id,
        activities_to_link.activity_kind,
        activities_to_link.owner_id,
        activities_to_link.touched_at,
        {{ this_build_started() }} as processed_at
    from activities_to_link
    left join user_teams
        on activities_to_link.owner_id = user_teams.user_id
    left join lead_who_ids
        on
            activities_to_link.who_id = lead_who_ids.who_id
            and user_teams.team = 'sales'
            and activities_to_link.touched_at >= lead_who_ids.created_at

)

select * from final
