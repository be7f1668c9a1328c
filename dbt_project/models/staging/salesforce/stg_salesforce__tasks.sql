with

source as (

    select * from {{ source('salesforce', 'task') }}

),

renamed as (

    select
        id as task_id,
        whoid as who_id,
        whatid as what_id,
        ownerid as owner_id,
        -- self-alias lower-cases the raw API column name (Subject)
        subject as subject,  -- noqa: AL09
        tasksubtype as task_subtype,
        type as task_type,
        status as task_status,
        activitydate as activity_date,
        createddate as created_at,
        _loaded_at as loaded_at
    from source
    where not coalesce(isdeleted, false)

)

select * from renamed
