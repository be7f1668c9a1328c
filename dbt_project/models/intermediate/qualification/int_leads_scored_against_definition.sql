-- Scores every lead against the lead definition of every version of the agreed
-- definitions, criterion by criterion, so sales can see why a lead is not sales-ready
-- instead of only that it is not. One row per lead and version, drafts included:
-- lead_funnel keeps the version in force at the lead's creation, definition_impact
-- compares them all.
--
-- Incremental by lead: a build rescores the leads whose records or signals changed,
-- which are the leads int_lead_stages_reached rebuilt, and drops deleted leads
-- (macros/rebuild_sets.sql).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['lead_id', 'definition_version'],
        pre_hook="{{ delete_rows_to_rebuild('lead_id', int_leads_scored_against_definition_leads_to_rebuild()) }}",
    )
}}
-- depends_on: {{ ref('int_lead_stages_reached') }}

with

leads as (

    select * from {{ ref('int_leads_unioned') }}
    where {{ is_lead_to_rebuild() }}

),

versions as (

    select * from {{ ref('stg_agreed_definitions__definition_versions') }}

),

title_patterns as (

    select * from {{ ref('stg_agreed_definitions__budget_authority_title_patterns') }}

),

intent_signals as (

    select * from {{ ref('stg_agreed_definitions__active_intent_signals') }}

),

signals as (

    select * from {{ ref('int_lead_signals_combined') }}
    where {{ is_lead_to_rebuild() }}

),

-- Titles repeat across leads and patterns across versions: matching each distinct
-- title against each distinct pattern once keeps the number of regular-expression
-- evaluations small however many leads and versions there are.
distinct_titles as (

    select distinct title
    from leads
    where title is not null

),

distinct_patterns as (

    select distinct pattern
    from title_patterns

),

pattern_matches as (

    select
        distinct_titles.title,
        distinct_patterns.pattern
    from distinct_titles
    inner join distinct_patterns
        on regexp_matches(distinct_titles.title, distinct_patterns.pattern, 'i')

),

title_matches as (

    select
        pattern_matches.title,
        title_patterns.definition_version,
        bool_or(not title_patterns.is_exclusion) as matches_budget_role,
        bool_or(title_patterns.is_exclusion) as matches_excluded_role
    from pattern_matches
    inner join title_patterns
        on pattern_matches.pattern = title_patterns.pattern
    group by pattern_matches.title, title_patterns.definition_version

),

-- The intent signal closest to the lead's creation is the evidence shown to users.
intent_evidence as (

    select
        leads.lead_id,
        versions.definition_version,
        signals.signal as active_intent_signal,
        signals.signal_at as active_intent_at
    from signals
    inner join intent_signals
        on signals.signal = intent_signals.signal
    inner join versions
        on intent_signals.definition_version = versions.definition_version
    inner join leads
        on signals.lead_id = leads.lead_id
    where
        signals.signal_at
        between leads.created_at - to_days(versions.intent_window_days)
        and leads.created_at + to_days(versions.intent_window_days)
    qualify row_number() over (
        partition by leads.lead_id, versions.definition_version
        order by abs(epoch(signals.signal_at) - epoch(leads.created_at)), signals.signal_id
    ) = 1

),

criteria as (

    select
        leads.lead_id,
        versions.definition_version,
        coalesce(leads.number_of_employees >= versions.min_employees, false)
            as meets_employee_criterion,
        coalesce(
            title_matches.matches_budget_role and not title_matches.matches_excluded_role,
            false
        ) as meets_budget_authority_criterion,
        intent_evidence.lead_id is not null as meets_active_intent_criterion,
        intent_evidence.active_intent_signal,
        intent_evidence.active_intent_at
    from leads
    cross join versions
    left join title_matches
        on
            leads.title = title_matches.title
            and versions.definition_version = title_matches.definition_version
    left join intent_evidence
        on
            leads.lead_id = intent_evidence.lead_id
            and versions.definition_version = intent_evidence.definition_version

),

final as (

    select
        lead_id,
        definition_version,
        meets_employee_criterion
        and meets_budget_authority_criterion
        and meets_active_intent_criterion as meets_definition,
        meets_employee_criterion,
        meets_budget_authority_criterion,
        meets_active_intent_criterion,
        nullif(
            concat_ws(
                ', ',
                case when not meets_employee_criterion then 'employees' end,
                case when not meets_budget_authority_criterion then 'budget_authority' end,
                case when not meets_active_intent_criterion then 'active_intent' end
            ),
            ''
        ) as failed_criteria,
        active_intent_signal,
        active_intent_at,
        {{ this_build_started() }} as processed_at
    from criteria

)

select * from final
