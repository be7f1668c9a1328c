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

-- Each piece holds some of a lead's counts; grouping by lead puts them together.
-- Joining the leads with the three per-lead tables instead holds all their hash tables
-- in memory at once, and at 5M leads, beside another model on dbt's other thread, that
-- ran out of memory, where a grouping spills to disk as it must.
pieces as (

    select
        lead_id,
        true as is_lead
    from leads
    union all by name
    select
        lead_id,
        sales_touches
    from touches
    union all by name
    select
        lead_id,
        true as is_disqualified,
        disqualified_at
    from disqualifications
    union all by name
    select
        lead_id,
        attempts as attempts_until_disqualified
    from attempts_until_disqualified

),

-- any_value takes the one non-null value a column has in a lead's pieces.
combined as (

    select
        lead_id,
        coalesce(bool_or(is_lead), false) as is_lead,
        any_value(sales_touches) as sales_touches,
        coalesce(bool_or(is_disqualified), false) as is_disqualified,
        any_value(disqualified_at) as disqualified_at,
        any_value(attempts_until_disqualified) as attempts_until_disqualified
    from pieces
    group by lead_id

),

final as (

    select
        lead_id,
        coalesce(sales_touches, 0) as contact_attempts,
        disqualified_at,
        case
            when not is_disqualified then coalesce(sales_touches, 0)
            else coalesce(attempts_until_disqualified, 0)
        end as contact_attempts_before_disqualification,
        {{ this_build_started() }} as processed_at
    from combined
    where is_lead

)

select * from final
