-- Every lead judged under every version of the agreed definitions, drafts included:
-- whether it meets the lead definition, when it became MQL and SQL, its channel, and
-- whether sales picked it up within the version's follow-up window. is_in_force marks
-- the one version in force on the lead's creation day (reporting time zone), the one
-- lead_funnel publishes; definition_impact restates the months under the others.
--
-- Incremental by lead: a build judges again the leads with a piece of their judgement
-- rewritten, and drops deleted leads (macros/rebuild_sets.sql).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['lead_id', 'definition_version'],
        pre_hook="{{ delete_rows_to_rebuild('lead_id', int_leads_judged_under_each_version_leads_to_rebuild()) }}",
    )
}}

with

leads as (

    select * from {{ ref('int_leads_unioned') }}
    where {{ is_lead_to_rebuild() }}

),

reporting as (

    select * from {{ ref('stg_agreed_definitions__reporting') }}

),

versions as (

    select * from {{ ref('stg_agreed_definitions__definition_versions') }}

),

scores as (

    select * from {{ ref('int_leads_scored_against_definition') }}
    where {{ is_lead_to_rebuild() }}

),

stages as (

    select * from {{ ref('int_lead_stages_reached') }}
    where {{ is_lead_to_rebuild() }}

),

channels as (

    select * from {{ ref('int_leads_attributed_to_channels') }}
    where {{ is_lead_to_rebuild() }}

),

touches as (

    select * from {{ ref('int_lead_first_sales_touches') }}
    where {{ is_lead_to_rebuild() }}

),

lead_days as (

    select
        leads.lead_id,
        leads.created_at,
        cast({{ to_reporting_time('leads.created_at') }} as date) as created_day
    from leads
    cross join reporting

),

-- Each piece holds some of a lead's columns under a version; grouping by lead and
-- version puts them together. Joining the four per-lead tables instead holds all
-- four hash tables in memory at once (at 5M leads, more than 3 GB), where a grouping
-- spills to disk as it must. Only pairs with the lead's own piece (is_lead) are kept,
-- as the joins from the leads kept only leads.
pieces as (

    select
        lead_days.lead_id,
        versions.definition_version,
        true as is_lead,
        lead_days.created_at,
        lead_days.created_day
    from lead_days
    cross join versions
    union all by name
    select
        lead_id,
        definition_version,
        meets_definition,
        meets_employee_criterion,
        meets_budget_authority_criterion,
        meets_active_intent_criterion,
        failed_criteria,
        active_intent_signal,
        active_intent_at
    from scores
    union all by name
    select
        lead_id,
        definition_version,
        mql_at,
        sql_at
    from stages
    union all by name
    select
        lead_id,
        definition_version,
        source_channel,
        is_marketing_sourced,
        campaign_id,
        campaign_name
    from channels
    union all by name
    select
        touches.lead_id,
        versions.definition_version,
        touches.first_sales_touch_at
    from touches
    cross join versions

),

-- any_value takes the one non-null value a column has in a lead's pieces.
combined as (

    select
        lead_id,
        definition_version,
        any_value(created_at) as created_at,
        any_value(created_day) as created_day,
        any_value(meets_definition) as meets_definition,
        any_value(meets_employee_criterion) as meets_employee_criterion,
        any_value(meets_budget_authority_criterion) as meets_budget_authority_criterion,
        any_value(meets_active_intent_criterion) as meets_active_intent_criterion,
        any_value(failed_criteria) as failed_criteria,
        any_value(active_intent_signal) as active_intent_signal,
        any_value(active_intent_at) as active_intent_at,
        any_value(mql_at) as mql_at,
        any_value(sql_at) as sql_at,
        any_value(source_channel) as source_channel,
        any_value(is_marketing_sourced) as is_marketing_sourced,
        any_value(campaign_id) as campaign_id,
        any_value(campaign_name) as campaign_name,
        any_value(first_sales_touch_at) as first_sales_touch_at
    from pieces
    group by lead_id, definition_version
    having bool_or(is_lead)

),

final as (

    select
        combined.lead_id,
        versions.definition_version,
        versions.is_draft,
        {{ is_in_force_on('versions', 'combined.created_day') }} as is_in_force,
        combined.meets_definition,
        combined.meets_employee_criterion,
        combined.meets_budget_authority_criterion,
        combined.meets_active_intent_criterion,
        combined.failed_criteria,
        combined.active_intent_signal,
        combined.active_intent_at,
        combined.mql_at,
        combined.sql_at,
        combined.source_channel,
        combined.is_marketing_sourced,
        combined.campaign_id,
        combined.campaign_name,
        coalesce(
            combined.first_sales_touch_at
            <= combined.created_at + to_milliseconds(
                cast(versions.follow_up_window_hours * 3600000 as bigint)
            ),
            false
        ) as is_picked_up_within_window,
        {{ this_build_started() }} as processed_at
    from combined
    inner join versions
        on combined.definition_version = versions.definition_version

)

select * from final
