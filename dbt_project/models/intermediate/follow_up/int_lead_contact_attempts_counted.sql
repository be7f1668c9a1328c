-- "Was the lead called, and how many times?" before anyone calls it a bad lead. A
-- contact attempt is a sales touch: int_lead_first_sales_touches counts them. For
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

touches as (

    select * from {{ ref('int_lead_first_sales_touches') }}

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
        coalesce(touches.sales_touches, 0) as contact_attempts,
        disqualifications.disqualified_at,
        case
            when disqualifications.lead_id is null then coalesce(touches.sales_touches, 0)
            else coalesce(attempts_until_disqualified.attempts, 0)
        end as contact_attempts_before_disqualification,
        {{ this_build_started() }} as processed_at
    from leads
    left join touches
        on leads.lead_id = touches.lead_id
    left join disqualifications
        on leads.lead_id = disqualifications.lead_id
    left join attempts_until_disqualified
        on leads.lead_id = attempts_until_disqualified.lead_id

)

select * from final
