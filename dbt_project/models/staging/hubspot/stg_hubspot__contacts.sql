with

source as (

    select * from {{ source('hubspot', 'contacts') }}

),

renamed as (

    select
        id as contact_id,
        email,
        nullif(trim(company), '') as company_name,
        nullif(trim(jobtitle), '') as job_title,
        nullif(associatedcompanyid, '') as primary_company_id,
        nullif(lifecyclestage, '') as lifecycle_stage,
        nullif(hs_lead_status, '') as lead_status,
        nullif(trim(hs_analytics_source), '') as analytics_source,
        nullif(hubspot_owner_id, '') as owner_id,
        nullif(trim(disqualification_reason), '') as disqualification_reason,
        hs_lifecyclestage_marketingqualifiedlead_date as marketing_qualified_at,
        hs_lifecyclestage_salesqualifiedlead_date as sales_qualified_at,
        createdat as created_at,
        updatedat as modified_at,
        _loaded_at as loaded_at,
        coalesce(archived, false) as is_archived
    from source

),

final as (

    select * exclude (is_archived)
    from renamed
    where not is_archived

)

select * from final
