with

source as (

    select * from {{ source('marketo', 'leads') }}

),

renamed as (

    -- columns stay in the staging contract's order
    select  -- noqa: ST06
        id as marketo_lead_id,
        nullif(lower(trim(email)), '') as email,
        nullif(trim(sfdcleadid), '') as salesforce_lead_id,
        nullif(trim(sfdccontactid), '') as salesforce_contact_id,
        createdat as created_at,
        updatedat as updated_at
    from source

)

select * from renamed
