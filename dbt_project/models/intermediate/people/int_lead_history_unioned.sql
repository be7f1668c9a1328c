-- Every tracked change of a lead's status or owner, whichever CRM recorded it
-- (Salesforce's LeadHistory, HubSpot's property history of hs_lead_status and
-- hubspot_owner_id), with the funnel stage a status change left and entered. Empty
-- for an org without field history.
{{ config(materialized='view') }}

with

salesforce_history as (

    select * from {{ ref('stg_salesforce__lead_history') }}

),

hubspot_history as (

    select * from {{ ref('stg_hubspot__contact_status_changes') }}

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
        changed_at,
        loaded_at
    from salesforce_history
    union all
    select
        contact_id || ':' || changed_field || ':' || epoch_ms(changed_at) as lead_history_id,
        contact_id as lead_id,
        changed_field,
        old_value,
        new_value,
        case
            when changed_field = 'Status'
                then {{ funnel_stage_of('hubspot_history.old_value', 'hubspot') }}
        end as old_funnel_stage,
        case
            when changed_field = 'Status'
                then {{ funnel_stage_of('hubspot_history.new_value', 'hubspot') }}
        end as new_funnel_stage,
        changed_at,
        loaded_at
    from hubspot_history

)

select * from final
