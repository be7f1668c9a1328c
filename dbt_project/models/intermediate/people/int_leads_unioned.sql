-- Every lead, whichever CRM holds it, in one shape: the people the funnel is about.
-- A lead's funnel stage follows its status by the one status rule
-- (macros/funnel_stage_of.sql). A view: the per-lead models read only the leads they
-- rebuild.
{{ config(materialized='view') }}

with

salesforce_leads as (

    select * from {{ ref('stg_salesforce__leads') }}

),

final as (

    select
        lead_id,
        'salesforce' as source_system,
        email,
        company,
        title,
        number_of_employees,
        lead_source,
        lead_status,
        {{ funnel_stage_of('salesforce_leads.lead_status') }} as funnel_stage,
        owner_id,
        coalesce(is_converted, false) as is_converted,
        converted_opportunity_id,
        converted_contact_id,
        disqualification_reason,
        crm_signal_fields,
        created_at,
        modified_at,
        loaded_at
    from salesforce_leads

)

select * from final
