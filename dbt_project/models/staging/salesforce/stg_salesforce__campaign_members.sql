with

source as (

    select * from {{ source('salesforce', 'campaign_member') }}

),

renamed as (

    select
        id as campaign_member_id,
        campaignid as campaign_id,
        leadid as lead_id,
        contactid as contact_id,
        status as member_status,
        hasresponded as has_responded,
        firstrespondeddate as first_responded_date,
        createddate as created_at,
        _loaded_at as loaded_at
    from source
    where not coalesce(isdeleted, false)

)

select * from renamed
