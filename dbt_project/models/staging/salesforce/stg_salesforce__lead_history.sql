with

source as (

    select * from {{ source('salesforce', 'lead_history') }}

),

renamed as (

    select
        id as lead_history_id,
        leadid as lead_id,
        field as changed_field,
        oldvalue as old_value,
        newvalue as new_value,
        createddate as changed_at,
        _loaded_at as loaded_at
    from source
    where not coalesce(isdeleted, false)

)

select * from renamed
