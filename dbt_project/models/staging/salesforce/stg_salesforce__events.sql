with

source as (

    select * from {{ source('salesforce', 'event') }}

),

renamed as (

    select
        id as event_id,
        whoid as who_id,
        whatid as what_id,
        ownerid as owner_id,
        -- self-alias lower-cases the raw API column name (Subject)
        subject as subject,  -- noqa: AL09
        type as event_type,
        startdatetime as starts_at,
        createddate as created_at,
        _loaded_at as loaded_at
    from source
    where not coalesce(isdeleted, false)

)

select * from renamed
