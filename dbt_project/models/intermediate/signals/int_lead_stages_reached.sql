-- A lead reaches a lifecycle stage the moment any rule of that stage is met: the
-- `min_count`-th occurrence of the rule's signal. A lead cannot be qualified before
-- it exists, so signals from before its creation count from its creation. One row per
-- lead and version of the agreed definitions (drafts included), each under that
-- version's rules.
--
-- Incremental by lead: a build recomputes the leads with new or re-credited signals
-- and the leads loaded or deleted since the last build (macros/incremental.sql). CRM
-- signals are classified afresh every build, so every lead that has or had one is
-- recomputed: a campaign response deleted or a campaign renamed takes effect too.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['lead_id', 'definition_version'],
        pre_hook="{{ delete_rows_to_rebuild('lead_id', int_lead_stages_reached_leads_to_rebuild()) }}",
    )
}}
-- depends_on: {{ ref('int_marketo_person_links_tracked') }}

with

-- Read twice (occurrences, leads with CRM signals) and not materialised: a full build
-- would hold every signal in memory.
signals as not materialized (

    select * from {{ ref('int_lead_signals_combined') }}
    where
        lead_id is not null
        and {{ is_lead_to_rebuild() }}

),

stage_rules as (

    select * from {{ ref('stg_agreed_definitions__lifecycle_stage_rules') }}

),

versions as (

    select * from {{ ref('stg_agreed_definitions__definition_versions') }}

),

leads as (

    select * from {{ ref('int_leads_unioned') }}
    where {{ is_lead_to_rebuild() }}

),

-- The occurrences the rules count: a rule asking for n of a signal counts its n-th.
counted_occurrences as (

    select distinct
        signal,
        min_count
    from stage_rules

),

-- A rule needs only the signal's n-th time, the last of its n earliest: min(x, n)
-- keeps those n per lead, where numbering every signal of every lead sorted them all
-- (30M signals at 5M leads, past the memory limit). Ties do not change the n-th time;
-- a lead with fewer than n has none (a list read past its end is null).
nth_occurrences as (

    select
        signals.lead_id,
        signals.signal,
        counted_occurrences.min_count,
        min(signals.signal_at, counted_occurrences.min_count)[counted_occurrences.min_count]
            as nth_signal_at
    from signals
    inner join counted_occurrences
        on signals.signal = counted_occurrences.signal
    group by signals.lead_id, signals.signal, counted_occurrences.min_count

),

crm_signal_leads as (

    select distinct lead_id
    from signals
    where signal_source <> 'marketo'

),

rules_met as (

    select
        nth_occurrences.lead_id,
        stage_rules.definition_version,
        stage_rules.lifecycle_stage,
        min(nth_occurrences.nth_signal_at) as rule_met_at
    from nth_occurrences
    inner join stage_rules
        on
            nth_occurrences.signal = stage_rules.signal
            and nth_occurrences.min_count = stage_rules.min_count
    group by
        nth_occurrences.lead_id, stage_rules.definition_version, stage_rules.lifecycle_stage

),

stages_from_creation as (

    -- greatest() skips nulls, so guard it: no rule met means no stage reached.
    select
        leads.lead_id,
        versions.definition_version,
        case
            when mql_rule.rule_met_at is not null
                then greatest(leads.created_at, mql_rule.rule_met_at)
        end as mql_rule_met_at,
        case
            when sql_rule.rule_met_at is not null
                then greatest(leads.created_at, sql_rule.rule_met_at)
        end as sql_at
    from leads
    cross join versions
    left join rules_met as mql_rule
        on
            leads.lead_id = mql_rule.lead_id
            and versions.definition_version = mql_rule.definition_version
            and mql_rule.lifecycle_stage = 'mql'
    left join rules_met as sql_rule
        on
            leads.lead_id = sql_rule.lead_id
            and versions.definition_version = sql_rule.definition_version
            and sql_rule.lifecycle_stage = 'sql'

),

final as (

    select
        stages_from_creation.lead_id,
        stages_from_creation.definition_version,
        -- Reaching SQL passes through MQL, even without a separate MQL signal;
        -- least() skips nulls, which is what makes that work.
        least(stages_from_creation.mql_rule_met_at, stages_from_creation.sql_at) as mql_at,
        stages_from_creation.sql_at,
        crm_signal_leads.lead_id is not null as has_crm_signals,
        {{ this_build_started() }} as processed_at
    from stages_from_creation
    left join crm_signal_leads
        on stages_from_creation.lead_id = crm_signal_leads.lead_id

)

select * from final
