-- A Marketo person reaches a Salesforce lead through, in order of trust: its
-- Salesforce lead id, the contact the lead was converted into, or an email address
-- that belongs to exactly one lead. Ambiguous emails stay unlinked rather than
-- crediting a signal to the wrong lead. Every use of Marketo activity per lead
-- (funnel signals, content consumed) links people through this one rule.
with

marketo_leads as (

    select * from {{ ref('stg_marketo__leads') }}

),

crm_leads as (

    select * from {{ ref('int_leads_unioned') }}

),

leads_by_unique_email as (

    select
        email,
        any_value(lead_id) as lead_id
    from crm_leads
    where email is not null
    group by email
    having count(*) = 1

),

person_links as (

    select
        marketo_leads.marketo_lead_id,
        coalesce(
            by_lead_id.lead_id, by_contact_id.lead_id, by_email.lead_id
        ) as lead_id,
        case
            when by_lead_id.lead_id is not null then 'salesforce_lead_id'
            when by_contact_id.lead_id is not null then 'salesforce_contact_id'
            when by_email.lead_id is not null then 'email'
        end as linked_by
    from marketo_leads
    left join crm_leads as by_lead_id
        on marketo_leads.salesforce_lead_id = by_lead_id.lead_id
    left join crm_leads as by_contact_id
        on marketo_leads.salesforce_contact_id = by_contact_id.converted_contact_id
    left join leads_by_unique_email as by_email
        on marketo_leads.email = by_email.email

),

final as (

    select
        marketo_lead_id,
        lead_id,
        linked_by
    from person_links
    where lead_id is not null

)

select * from final
