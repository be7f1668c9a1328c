with

source as (

    select * from {{ source('salesforce', 'lead') }}

),

renamed as (

    -- columns stay in the staging contract's order
    select  -- noqa: ST06
        id as lead_id,
        nullif(lower(trim(email)), '') as email,
        -- self-alias lower-cases the raw API column name (Company)
        company as company,  -- noqa: AL09
        nullif(trim(title), '') as title,
        numberofemployees as number_of_employees,
        nullif(trim(leadsource), '') as lead_source,
        status as lead_status,
        ownerid as owner_id,
        isconverted as is_converted,
        converteddate as converted_date,
        convertedopportunityid as converted_opportunity_id,
        convertedcontactid as converted_contact_id,
        convertedaccountid as converted_account_id,
        nullif(trim(disqualification_reason), '') as disqualification_reason,
        crm_signal_fields,
        createddate as created_at,
        systemmodstamp as modified_at,
        _loaded_at as loaded_at
    from source
    where not coalesce(isdeleted, false)

)

select * from renamed
