-- Each lead's first sales touch, and how many it had.
--
-- Computed in full from the linked activities, which is cheap; only leads whose
-- touches changed are written again (macros/incremental.sql, changed_rows), so that
-- int_leads_judged_under_each_version rebuilds just those.
{{
    config(
        materialized='incremental',
        incremental_strategy='changed_rows',
        unique_key='lead_id',
    )
}}

with

sales_touches as (

    select * from {{ ref('int_crm_activities_linked_to_leads') }}
    where lead_id is not null

),

final as (

    select
        lead_id,
        min(touched_at) as first_sales_touch_at,
        arg_min(owner_id, touched_at) as first_touch_owner_id,
        count(*) as sales_touches,
        {{ this_build_started() }} as processed_at
    from sales_touches
    group by lead_id

)

select * from final
