-- Every tracked change of a lead's status or owner, whichever CRM recorded it, with
-- the funnel stage a status change left and entered (macros/funnel_stage_of.sql).
-- Empty for an org without field history.
{{ config(materialized='view') }}

with

salesforce_history as (

    select * from {{ ref('stg_salesforce__lead_history') }}

),

final as (

    select
        lead_history_id,
        lead_id,
        changed_field,
        old_value,
        new_value,
        case
            when changed_field = 'Status'
                then {{ funnel_stage_of('salesforce_history.old_value') }}
        end as old_funnel_stage,
        case
            when changed_field = 'Status'
                then {{ funnel_stage_of('salesforce_history.new_value') }}
        end as new_funnel_stage,
        changed_at
    from salesforce_history

)

select * from final
