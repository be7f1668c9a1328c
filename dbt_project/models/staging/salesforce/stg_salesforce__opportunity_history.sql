with

source as (

    select * from {{ source('salesforce', 'opportunity_history') }}

),

renamed as (

    select
        id as opportunity_history_id,
        opportunityid as opportunity_id,
        stagename as stage_name,
        -- self-alias lower-cases the raw API column name (Amount)
        amount as amount,  -- noqa: AL09
        closedate as close_date,
        createddate as created_at
    from source
    where not coalesce(isdeleted, false)

)

select * from renamed
