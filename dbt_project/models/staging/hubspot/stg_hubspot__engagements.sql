{#- Calls, emails, meetings and tasks in one list, one row per associated contact. An
    email counts as outgoing when the owner sent it (direction EMAIL, or no direction
    exported); the other kinds are the owner's own doing. A meeting booked through a
    meetings link has the source MEETINGS_PUBLIC; it takes place at hs_timestamp and was
    booked at createdAt. -#}
with

calls as (

    select
        'call' as engagement_type,
        *,
        true as is_outgoing,
        false as meeting_booked_by_contact
    from {{ source('hubspot', 'calls') }}

),

emails as (

    select
        'email' as engagement_type,
        *,
        coalesce(hs_email_direction, 'EMAIL') = 'EMAIL' as is_outgoing,
        false as meeting_booked_by_contact
    from {{ source('hubspot', 'emails') }}

),

meetings as (

    select
        'meeting' as engagement_type,
        *,
        true as is_outgoing,
        coalesce(hs_meeting_source = 'MEETINGS_PUBLIC', false) as meeting_booked_by_contact
    from {{ source('hubspot', 'meetings') }}

),

tasks as (

    select
        'task' as engagement_type,
        *,
        true as is_outgoing,
        false as meeting_booked_by_contact
    from {{ source('hubspot', 'tasks') }}

),

source as (

    select * from calls
    union all by name
    select * from emails
    union all by name
    select * from meetings
    union all by name
    select * from tasks

),

renamed as (

    select
        id as engagement_id,
        engagement_type,
        unnest(from_json(associated_contacts, '[{"id": "VARCHAR"}]')).id as contact_id,
        nullif(hubspot_owner_id, '') as owner_id,
        coalesce(hs_timestamp, createdat) as occurred_at,
        createdat as created_at,
        is_outgoing,
        meeting_booked_by_contact,
        _loaded_at as loaded_at
    from source
    where not coalesce(archived, false)

)

select * from renamed
