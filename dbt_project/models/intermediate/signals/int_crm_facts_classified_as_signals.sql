-- Funnel signals an org records in the CRM itself, for orgs whose marketing automation
-- shows up in Salesforce only as campaign responses (Pardot, HubSpot for Salesforce)
-- or that have none: campaign responses, lead field values (Rating = Hot, a
-- Demo_Requested__c checkbox) and Web-to-Lead sources, each by the rules in
-- config/source_mapping.yml. Signals have the Marketo rules' names, so the lead
-- definition and MQL/SQL read both alike.
--
-- A campaign response counts when the member was added, or on the day of its first
-- response when that is later (Salesforce keeps only the day); a lead field or lead
-- source counts at the lead's creation, the only moment the export dates. A
-- response of the contact a lead was converted into counts for the lead.
with

leads as (

    select * from {{ ref('int_leads_unioned') }}

),

campaign_members as (

    select * from {{ ref('stg_salesforce__campaign_members') }}

),

campaigns as (

    select * from {{ ref('int_campaigns_unioned') }}

),

response_rules as (

    select * from {{ ref('stg_source_mapping__crm_campaign_response_rules') }}

),

field_rules as (

    select * from {{ ref('stg_source_mapping__crm_lead_field_rules') }}

),

source_rules as (

    select * from {{ ref('stg_source_mapping__crm_lead_source_rules') }}

),

member_leads as (

    select
        campaign_members.*,
        coalesce(campaign_members.lead_id, converted_leads.lead_id) as member_lead_id
    from campaign_members
    left join leads as converted_leads
        on
            campaign_members.lead_id is null
            and campaign_members.contact_id = converted_leads.converted_contact_id

),

campaign_responses as (

    select distinct
        'campaign_member:' || member_leads.campaign_member_id || ':' || response_rules.signal
            as signal_id,
        member_leads.member_lead_id as lead_id,
        response_rules.signal,
        case
            when member_leads.first_responded_date > cast(member_leads.created_at as date)
                then timezone('UTC', cast(member_leads.first_responded_date as timestamp))
            else member_leads.created_at
        end as signal_at
    from member_leads
    inner join campaigns
        on member_leads.campaign_id = campaigns.campaign_id
    inner join response_rules
        on
            (
                response_rules.campaign_type is null
                or campaigns.campaign_type = response_rules.campaign_type
            )
            and (
                response_rules.campaign_name_like is null
                or campaigns.campaign_name ilike response_rules.campaign_name_like
            )
            and (
                response_rules.member_status is null
                or member_leads.member_status = response_rules.member_status
            )
            and (not response_rules.responded_only or coalesce(member_leads.has_responded, true))
    where member_leads.member_lead_id is not null

),

lead_field_values as (

    select distinct
        'lead_field:' || leads.lead_id || ':' || field_rules.field_name || ':'
        || field_rules.signal as signal_id,
        leads.lead_id,
        field_rules.signal,
        leads.created_at as signal_at
    from leads
    inner join field_rules
        on
            lower(trim(json_extract_string(leads.crm_signal_fields, field_rules.field_name)))
            = lower(trim(field_rules.field_value))

),

lead_sources as (

    select
        'lead_source:' || leads.lead_id || ':' || source_rules.signal as signal_id,
        leads.lead_id,
        source_rules.signal,
        leads.created_at as signal_at
    from leads
    inner join source_rules
        on leads.lead_source = source_rules.lead_source

),

signals as (

    select * from campaign_responses
    union all
    select * from lead_field_values
    union all
    select * from lead_sources

),

final as (

    select
        *,
        {{ this_build_started() }} as processed_at
    from signals

)

select * from final
