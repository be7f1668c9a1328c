-- "Was the lead called, and how many times?" before anyone calls it a bad lead. A
-- contact attempt is a sales follow-up (see int_crm_activities_linked_to_leads). For
-- a disqualified lead only the attempts up to the moment it was disqualified count:
-- the last Status change into a disqualified-stage status, because a lead reopened
-- and disqualified again was judged on everything before the final verdict. Without
-- such a history row, every attempt counts.
--
-- Computed in full, which is cheap; only leads whose counts changed are written again
-- (macros/incremental.sql, changed_rows), so that lead_funnel rewrites just those.
{{
    config(
        materialized='incremental',
        incremental_strategy='changed_rows',
        unique_key='lead_id',
    )
}}
with

leads as (

    select * from {{ ref('int_leads_unioned') }}

),

sales_touches as (

    select * from {{ ref('int_crm_activities_linked_to_leads') }}
    where lead_id is not null

),

lead_history as (

    select * from {{ ref('int_lead_history_unioned') }}

),

disqualifications as (

    select
        lead_id,
        max(changed_at) as disqualified_at
    from lead_history
    where new_funnel_stage = 'disqualified'
    group by lead_id

),

attempts as (

    select
        lead_id,
        count(*) as contact_attempts,
        min(touched_at) as first_attempt_at,
        max(touched_at) as last_attempt_at
    from sales_touches
    group by lead_id

),

attempts_until_disqualified as (

    select
        sales_touches.lead_id,
        count(*) as attempts
    from sales_touches
    inner join disqualifications
        on sales_touches.lead_id = disqualifications.lead_id
    where sales_touches.touched_at <= disqualifications.disqualified_at
    group by sales_touches.lead_id

),

final as (

    select
        leads.lead_id,
        coalesce(attempts.contact_attempts, 0) as contact_attempts,
        attempts.first_attempt_at,
        attempts.last_attempt_at,
        disqualifications.disqualified_at,
        case
            when disqualifications.lead_id is null then coalesce(attempts.contact_attempts, 0)
            else coalesce(attempts_until_disqualified.attempts, 0)
        end as contact_attempts_before_disqualification,
        {{ this_build_started() }} as processed_at
    from leads
    left join attempts
        on leads.lead_id = attempts.lead_id
    left join disqualifications
        on leads.lead_id = disqualifications.lead_id
    left join attempts_until_disqualified
        on leads.lead_id = attempts_until_disqualified.lead_id

)

select * from final
