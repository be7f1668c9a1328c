-- Every lead judged under every version of the agreed definitions, drafts included:
-- whether it meets the lead definition, when it became MQL and SQL, its channel, and
-- whether sales picked it up within the version's follow-up window. is_in_force marks
-- the one version in force on the lead's creation day (reporting time zone), the one
-- lead_funnel publishes; definition_impact restates the months under the others.
with

leads as (

    select * from {{ ref('int_leads_unioned') }}

),

reporting as (

    select * from {{ ref('stg_agreed_definitions__reporting') }}

),

versions as (

    select * from {{ ref('stg_agreed_definitions__definition_versions') }}

),

scores as (

    select * from {{ ref('int_leads_scored_against_definition') }}

),

stages as (

    select * from {{ ref('int_lead_stages_reached') }}

),

channels as (

    select * from {{ ref('int_leads_attributed_to_channels') }}

),

touches as (

    select * from {{ ref('int_lead_first_sales_touches') }}

),

lead_days as (

    select
        leads.lead_id,
        leads.created_at,
        cast({{ to_reporting_time('leads.created_at') }} as date) as created_day
    from leads
    cross join reporting

),

final as (

    select
        lead_days.lead_id,
        versions.definition_version,
        versions.is_draft,
        {{ is_in_force_on('versions', 'lead_days.created_day') }} as is_in_force,
        scores.meets_definition,
        scores.meets_employee_criterion,
        scores.meets_budget_authority_criterion,
        scores.meets_active_intent_criterion,
        scores.failed_criteria,
        scores.active_intent_signal,
        scores.active_intent_at,
        stages.mql_at,
        stages.sql_at,
        channels.source_channel,
        channels.is_marketing_sourced,
        channels.campaign_id,
        channels.campaign_name,
        coalesce(
            touches.first_sales_touch_at
            <= lead_days.created_at + to_milliseconds(
                cast(versions.follow_up_window_hours * 3600000 as bigint)
            ),
            false
        ) as is_picked_up_within_window
    from lead_days
    cross join versions
    left join scores
        on
            lead_days.lead_id = scores.lead_id
            and versions.definition_version = scores.definition_version
    left join stages
        on
            lead_days.lead_id = stages.lead_id
            and versions.definition_version = stages.definition_version
    left join channels
        on
            lead_days.lead_id = channels.lead_id
            and versions.definition_version = channels.definition_version
    left join touches
        on lead_days.lead_id = touches.lead_id

)

select * from final
