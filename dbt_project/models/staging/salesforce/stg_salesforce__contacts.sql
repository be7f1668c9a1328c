with

source as (

    select * from {{ source('salesforce', 'contact') }}

),

renamed as (

    -- columns stay in the staging contract's order
    select  -- noqa: ST06
        id as contact_id,
        accountid as account_id,
        nullif(lower(trim(email)), '') as email,
        ownerid as owner_id,
        createddate as created_at,
        systemmodstamp as modified_at
    from source
    where not coalesce(isdeleted, false)

)

select * from renamed
