-- Every lead, whichever CRM holds it, in one shape: the people the funnel is about.
-- A Salesforce lead, or a HubSpot contact (its size from its primary company; its
-- opportunity the first deal it is the first contact of). A lead's funnel stage
-- follows its status by the one status rule (macros/funnel_stage_of.sql). A view: the
-- per-lead models read only the leads they rebuild. A contact's loaded_at is the
-- latest load of what its row is made of (it, its primary company, its first deal),
-- as incremental builds rebuild the leads loaded since they last ran.
{{ config(materialized='view') }}

with

salesforce_leads as (

    select * from {{ ref('stg_salesforce__leads') }}

),

hubspot_contacts as (

    select * from {{ ref('stg_hubspot__contacts') }}

),

hubspot_companies as (

    select * from {{ ref('stg_hubspot__companies') }}

),

hubspot_deals as (

    select * from {{ ref('stg_hubspot__deals') }}

),

hubspot_first_deals as (

    select
        primary_contact_id as contact_id,
        arg_min(deal_id, (created_at, deal_id)) as deal_id,
        arg_min(loaded_at, (created_at, deal_id)) as loaded_at
    from hubspot_deals
    where primary_contact_id is not null
    group by primary_contact_id

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
    union all
    select
        hubspot_contacts.contact_id as lead_id,
        'hubspot' as source_system,
        hubspot_contacts.email,
        hubspot_contacts.company_name as company,
        hubspot_contacts.job_title as title,
        case
            when not hubspot_companies.is_archived then hubspot_companies.number_of_employees
        end as number_of_employees,
        {{ hubspot_lead_source('hubspot_contacts.analytics_source') }} as lead_source,
        hubspot_contacts.lead_status,
        {{ funnel_stage_of('hubspot_contacts.lead_status', 'hubspot') }} as funnel_stage,
        hubspot_contacts.owner_id,
        hubspot_first_deals.deal_id is not null as is_converted,
        hubspot_first_deals.deal_id as converted_opportunity_id,
        null as converted_contact_id,
        hubspot_contacts.disqualification_reason,
        null as crm_signal_fields,
        hubspot_contacts.created_at,
        hubspot_contacts.modified_at,
        -- greatest() skips nulls: a contact with no company or deal has its own.
        greatest(
            hubspot_contacts.loaded_at, hubspot_companies.loaded_at, hubspot_first_deals.loaded_at
        ) as loaded_at
    from hubspot_contacts
    left join hubspot_companies
        on hubspot_contacts.primary_company_id = hubspot_companies.company_id
    left join hubspot_first_deals
        on hubspot_contacts.contact_id = hubspot_first_deals.contact_id

)

select * from final
