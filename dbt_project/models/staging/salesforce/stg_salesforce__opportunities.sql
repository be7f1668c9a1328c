with

source as (

    select * from {{ source('salesforce', 'opportunity') }}

),

renamed as (

    -- columns stay in the staging contract's order
    select  -- noqa: ST06
        id as opportunity_id,
        accountid as account_id,
        name as opportunity_name,
        -- self-alias lower-cases the raw API column name (Amount)
        amount as amount,  -- noqa: AL09
        currencyisocode as currency_iso_code,
        stagename as stage_name,
        closedate as close_date,
        isclosed as is_closed,
        iswon as is_won,
        nullif(trim(leadsource), '') as lead_source,
        campaignid as campaign_id,
        ownerid as owner_id,
        createddate as created_at,
        systemmodstamp as modified_at
    from source
    where not coalesce(isdeleted, false)

)

select * from renamed
