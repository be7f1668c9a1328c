{#- HubSpot keeps a property's history as the values it held, newest first, each with
    the time it was set: a change is a value that differs from the one before it. The
    value a contact was created with is no change; one set later, onto an empty
    property, is a change from null, as Salesforce's LeadHistory records it. -#}
with

source as (

    select * from {{ source('hubspot', 'contacts') }}
    where not coalesce(archived, false)

),

history as (

    select
        id as contact_id,
        createdat as created_at,
        _loaded_at as loaded_at,
        'Status' as changed_field,
        unnest(from_json(lead_status_history, '[{"value": "VARCHAR", "timestamp": "VARCHAR"}]'))
            as entry
    from source
    where lead_status_history is not null

    union all

    select
        id as contact_id,
        createdat as created_at,
        _loaded_at as loaded_at,
        'Owner' as changed_field,
        unnest(from_json(owner_history, '[{"value": "VARCHAR", "timestamp": "VARCHAR"}]'))
            as entry
    from source
    where owner_history is not null

),

renamed as (

    select
        contact_id,
        changed_field,
        nullif(entry['value'], '') as new_value,
        try_cast(entry['timestamp'] as timestamptz) as changed_at,
        created_at,
        loaded_at
    from history

),

final as (

    select
        contact_id,
        changed_field,
        lag(new_value) over (
            partition by contact_id, changed_field order by changed_at
        ) as old_value,
        new_value,
        changed_at,
        created_at,
        loaded_at,
        row_number() over (
            partition by contact_id, changed_field order by changed_at
        ) as position_in_history
    from renamed

)

select
    contact_id,
    changed_field,
    old_value,
    new_value,
    changed_at,
    loaded_at
from final
where
    old_value is distinct from new_value
    and (position_in_history > 1 or changed_at > created_at)
