-- Funnel signals a HubSpot portal records, by the hubspot.signal_rules of
-- config/source_mapping.yml: form submissions (by form id or name), page views (by
-- URL), email events (by type, e.g. a click), meetings a contact booked through a
-- meetings link (when booked), and HubSpot's own lifecycle stage dates. Signals have
-- the Marketo rules' names, so the lead definition and MQL/SQL read them alike. An
-- email event names a recipient, not a contact: it counts for the one contact with
-- that address.
with

signal_rules as (

    select * from {{ ref('stg_source_mapping__hubspot_signal_rules') }}

),

contacts as (

    select * from {{ ref('stg_hubspot__contacts') }}

),

form_submissions as (

    select * from {{ ref('stg_hubspot__form_submissions') }}

),

page_views as (

    select * from {{ ref('stg_hubspot__page_views') }}

),

email_events as (

    select * from {{ ref('stg_hubspot__email_events') }}

),

engagements as (

    select * from {{ ref('stg_hubspot__engagements') }}

),

contacts_by_unique_email as (

    select
        email,
        any_value(contact_id) as contact_id
    from contacts
    where email is not null
    group by email
    having count(*) = 1

),

facts as (

    select
        'form_submission' as fact,
        form_submissions.submission_id as fact_id,
        form_submissions.contact_id,
        form_submissions.submitted_at as fact_at,
        form_submissions.form_id,
        form_submissions.form_name,
        null as page_url,
        null as event_type,
        null as lifecycle_stage
    from form_submissions
    union all
    select
        'page_view' as fact,
        page_view_id as fact_id,
        contact_id,
        occurred_at as fact_at,
        null as form_id,
        null as form_name,
        page_url,
        null as event_type,
        null as lifecycle_stage
    from page_views
    union all
    select
        'email_event' as fact,
        email_events.event_id as fact_id,
        contacts_by_unique_email.contact_id,
        email_events.occurred_at as fact_at,
        null as form_id,
        null as form_name,
        null as page_url,
        email_events.event_type,
        null as lifecycle_stage
    from email_events
    inner join contacts_by_unique_email
        on email_events.email = contacts_by_unique_email.email
    union all
    select distinct
        'meeting_booked' as fact,
        engagement_id || ':' || contact_id as fact_id,
        contact_id,
        created_at as fact_at,
        null as form_id,
        null as form_name,
        null as page_url,
        null as event_type,
        null as lifecycle_stage
    from engagements
    where meeting_booked_by_contact
    union all
    select
        'lifecycle_stage' as fact,
        contact_id || ':mql' as fact_id,
        contact_id,
        marketing_qualified_at as fact_at,
        null as form_id,
        null as form_name,
        null as page_url,
        null as event_type,
        'marketingqualifiedlead' as lifecycle_stage
    from contacts
    where marketing_qualified_at is not null
    union all
    select
        'lifecycle_stage' as fact,
        contact_id || ':sql' as fact_id,
        contact_id,
        sales_qualified_at as fact_at,
        null as form_id,
        null as form_name,
        null as page_url,
        null as event_type,
        'salesqualifiedlead' as lifecycle_stage
    from contacts
    where sales_qualified_at is not null

),

final as (

    select distinct
        facts.fact || ':' || facts.fact_id || ':' || signal_rules.signal as signal_id,
        facts.contact_id as lead_id,
        signal_rules.signal,
        facts.fact_at as signal_at,
        {{ this_build_started() }} as processed_at
    from facts
    inner join signal_rules
        on
            facts.fact = signal_rules.fact
            and (signal_rules.form_id is null or facts.form_id = signal_rules.form_id)
            and (
                signal_rules.form_name_like is null
                or facts.form_name ilike signal_rules.form_name_like
            )
            and (signal_rules.url_like is null or facts.page_url ilike signal_rules.url_like)
            and (signal_rules.event_type is null or facts.event_type = signal_rules.event_type)
            and (
                signal_rules.lifecycle_stage is null
                or facts.lifecycle_stage = signal_rules.lifecycle_stage
            )
    where facts.contact_id is not null

)

select * from final
