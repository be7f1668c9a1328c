-- Every lead under the version of the agreed definitions in force at its creation,
-- with its follow-up, contact attempts and converted opportunity: the table the
-- funnel's marts count.
--
-- Incremental by lead: a build rewrites the leads loaded, deleted, judged again, or
-- with their touches or contact attempts rewritten since the last complete build,
-- leads whose owner's team changed, and every converted lead, as an opportunity
-- carries no load time of its own and is a fraction of the leads
-- (macros/rebuild_sets.sql).
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_rows_to_rebuild('lead_id', lead_funnel_leads_to_rebuild()) }}",
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

users as (

    select * from {{ ref('int_users_assigned_to_teams') }}

),

-- Each lead under the version in force on its creation day: a new version changes
-- the leads that come after it, never the ones already judged.
judged as (

    select * from {{ ref('int_leads_judged_under_each_version') }}
    where
        is_in_force
        and {{ is_lead_to_rebuild() }}

),

touches as (

    select * from {{ ref('int_lead_first_sales_touches') }}
    where {{ is_lead_to_rebuild() }}

),

opportunities as (

    select * from {{ ref('int_opportunities_unioned') }}

),

opportunity_amounts as (

    select * from {{ ref('int_opportunities_converted_to_eur') }}

),

attempts as (

    select * from {{ ref('int_lead_contact_attempts_counted') }}
    where {{ is_lead_to_rebuild() }}

),

-- A lead's one outcome: converted beats disqualified. Every mart that counts leads
-- not qualified counts this column.
outcomes as (

    select
        *,
        funnel_stage = 'disqualified' and not is_converted as is_not_qualified
    from leads

),

-- Each piece holds some of a lead's judged, follow-up and contact-attempt columns,
-- packed in one struct; grouping by lead puts them together. Joining the per-lead
-- tables instead holds all their hash tables in memory at once (at 1M leads, more
-- than 1 GB), where a grouping spills to disk as it must. The lead's own columns, the
-- widest, stay out of the grouping and are joined to its result once: at
-- 5M leads, grouping them with the rest took 46 s, this 26 s. Only leads with a
-- judgement in force are kept, as the inner joins kept them.
pieces as (

    select
        judged.lead_id,
        {
            source_channel: judged.source_channel,
            is_marketing_sourced: judged.is_marketing_sourced,
            campaign_id: judged.campaign_id,
            campaign_name: judged.campaign_name,
            mql_at: judged.mql_at,
            sql_at: judged.sql_at,
            is_picked_up_within_window: judged.is_picked_up_within_window,
            meets_definition: judged.meets_definition,
            meets_employee_criterion: judged.meets_employee_criterion,
            meets_budget_authority_criterion: judged.meets_budget_authority_criterion,
            meets_active_intent_criterion: judged.meets_active_intent_criterion,
            failed_criteria: judged.failed_criteria,
            active_intent_signal: judged.active_intent_signal,
            active_intent_at: judged.active_intent_at,
            definition_version: judged.definition_version,
            min_contact_attempts: versions.min_contact_attempts
        } as judgement
    from judged
    inner join versions
        on judged.definition_version = versions.definition_version
    union all by name
    select
        lead_id,
        {
            first_sales_touch_at: first_sales_touch_at,
            sales_touches: sales_touches
        } as touch
    from touches
    union all by name
    select
        lead_id,
        contact_attempts_before_disqualification
    from attempts

),

-- any_value takes the one non-null value each piece has for a lead.
grouped as (

    select
        lead_id,
        any_value(judgement) as judgement,
        any_value(touch) as touch,
        any_value(contact_attempts_before_disqualification)
            as contact_attempts_before_disqualification
    from pieces
    group by lead_id
    having any_value(judgement) is not null

),

combined as (

    -- unnest spreads a struct into its fields' columns, which keep the fields' names
    select
        outcomes.lead_id,
        outcomes.source_system,
        outcomes.company,
        outcomes.title,
        outcomes.number_of_employees,
        outcomes.lead_source,
        outcomes.owner_id,
        users.team as owner_team,
        outcomes.lead_status,
        outcomes.funnel_stage,
        outcomes.created_at,
        outcomes.is_not_qualified,
        outcomes.disqualification_reason,
        outcomes.is_converted,
        outcomes.converted_opportunity_id,
        opportunities.created_at as opportunity_created_at,
        opportunity_amounts.amount_eur as opportunity_amount_eur,
        opportunities.is_won,
        unnest(grouped.judgement),  -- noqa: AL03
        unnest(grouped.touch),  -- noqa: AL03
        grouped.contact_attempts_before_disqualification
    from outcomes
    inner join grouped
        on outcomes.lead_id = grouped.lead_id
    left join users
        on outcomes.owner_id = users.user_id
    left join opportunities
        on outcomes.converted_opportunity_id = opportunities.opportunity_id
    left join opportunity_amounts
        on outcomes.converted_opportunity_id = opportunity_amounts.opportunity_id

),

final as (

    select
        combined.lead_id,
        combined.source_system,
        combined.company,
        combined.title,
        combined.number_of_employees,
        combined.lead_source,
        combined.source_channel,
        combined.is_marketing_sourced,
        combined.campaign_id,
        combined.campaign_name,
        combined.owner_id,
        combined.owner_team,
        combined.lead_status,
        combined.funnel_stage,
        {{ to_reporting_time('combined.created_at') }} as created_at,
        cast(date_trunc('month', {{ to_reporting_time('combined.created_at') }}) as date)
            as created_month,
        {{ to_reporting_time('combined.mql_at') }} as mql_at,
        {{ to_reporting_time('combined.sql_at') }} as sql_at,
        {{ to_reporting_time('combined.first_sales_touch_at') }} as first_sales_touch_at,
        round(
            (epoch(combined.first_sales_touch_at) - epoch(combined.created_at)) / 3600.0, 2
        ) as hours_to_first_sales_touch,
        combined.is_picked_up_within_window,
        coalesce(combined.sales_touches, 0) as sales_touches,
        combined.meets_definition,
        combined.meets_employee_criterion,
        combined.meets_budget_authority_criterion,
        combined.meets_active_intent_criterion,
        combined.failed_criteria,
        combined.active_intent_signal,
        {{ to_reporting_time('combined.active_intent_at') }} as active_intent_at,
        combined.funnel_stage = 'disqualified' as is_disqualified,
        combined.is_not_qualified,
        combined.disqualification_reason,
        combined.is_converted,
        combined.converted_opportunity_id,
        {{ to_reporting_time('combined.opportunity_created_at') }} as opportunity_created_at,
        combined.opportunity_amount_eur,
        coalesce(combined.is_won, false) as is_won,
        cast(date_trunc('week', {{ to_reporting_time('combined.created_at') }}) as date)
            as created_week,
        case
            when combined.is_not_qualified
                then combined.contact_attempts_before_disqualification
        end as contact_attempts_before_disqualification,
        coalesce(
            combined.is_not_qualified
            and combined.contact_attempts_before_disqualification
            < combined.min_contact_attempts,
            false
        ) as is_disqualified_below_min_attempts,
        combined.definition_version
    from combined
    cross join reporting

)

select * from final
