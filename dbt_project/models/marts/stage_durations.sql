-- How long leads sit in each status and opportunities in each stage: one row per stay,
-- from LeadHistory (Status changes) and OpportunityHistory. A lead's first stay starts
-- at its creation in the status its first change left (or its status now, if it never
-- changed); an opportunity's stays are its runs of history rows in one stage (a new
-- amount or close date in the same stage does not start a new stay). Days are
-- calendar days, weekends included, measured in UTC so a clock change adds no hour.
--
-- Incremental for leads, which hold most stays: a build rewrites the stays of the
-- leads loaded, deleted or with a status change loaded since the last complete build
-- (macros/incremental.sql). Opportunities' stays are rewritten every build: their
-- stages come classified from a table with no load time, and they are a fraction of
-- the rows.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_rows_to_rebuild(
            'record_id',
            stage_durations_leads_to_rebuild(),
            scope=\"record_type = 'lead'\",
            rebuilt_in_full=\"record_type = 'opportunity'\",
        ) }}",
    )
}}

with

leads as (

    select * from {{ ref('int_leads_unioned') }}
    where {{ is_lead_to_rebuild() }}

),

lead_history as (

    select * from {{ ref('int_lead_history_unioned') }}

),

opportunity_changes as (

    select * from {{ ref('int_opportunity_changes_classified') }}

),

reporting as (

    select * from {{ ref('stg_agreed_definitions__reporting') }}

),

status_changes as (

    select
        lead_history.lead_id,
        lead_history.lead_history_id,
        lead_history.old_value,
        lead_history.new_value,
        lead_history.changed_at,
        row_number() over (
            partition by lead_history.lead_id
            order by lead_history.changed_at, lead_history.lead_history_id
        ) as change_number
    from lead_history
    inner join leads
        on lead_history.lead_id = leads.lead_id
    where lead_history.changed_field = 'Status'

),

lead_stays as (

    select
        leads.lead_id as record_id,
        coalesce(status_changes.old_value, leads.lead_status) as stage_name,
        leads.created_at as entered_at,
        1 as stay_number
    from leads
    left join status_changes
        on
            leads.lead_id = status_changes.lead_id
            and status_changes.change_number = 1
    union all
    select
        lead_id as record_id,
        new_value as stage_name,
        changed_at as entered_at,
        change_number + 1 as stay_number
    from status_changes

),

opportunity_stays as (

    select
        opportunity_id as record_id,
        stage_name,
        stage_order,
        outcome,
        changed_at_utc as entered_at,
        row_number() over (
            partition by opportunity_id order by changed_at_utc, opportunity_history_id
        ) as stay_number
    from opportunity_changes
    where is_created or stage_name is distinct from previous_stage_name

),

stays as (

    select
        'lead' as record_type,
        lead_stays.record_id,
        lead_stays.stay_number,
        lead_stays.stage_name,
        {{ funnel_stage_of('lead_stays.stage_name') }} as stage_group,
        cast(null as integer) as stage_order,
        lead_stays.entered_at
    from lead_stays
    union all
    select
        'opportunity' as record_type,
        record_id,
        stay_number,
        stage_name,
        outcome as stage_group,
        stage_order,
        entered_at
    from opportunity_stays

),

timed as (

    select
        *,
        lead(entered_at) over (
            partition by record_type, record_id order by stay_number
        ) as exited_at
    from stays

),

localised as (

    select
        timed.record_type,
        timed.record_id,
        timed.stay_number,
        timed.stage_name,
        timed.stage_group,
        timed.stage_order,
        {{ to_reporting_time('timed.entered_at') }} as entered_at,
        {{ to_reporting_time('timed.exited_at') }} as exited_at,
        cast(
            round((epoch(timed.exited_at) - epoch(timed.entered_at)) / 86400.0, 2) as double
        ) as days_in_stage,
        timed.exited_at is null as is_current
    from timed
    cross join reporting

),

stay_days as (

    select
        *,
        cast(entered_at as date) as entered_day,
        cast(coalesce(exited_at, entered_at) as date) as last_stay_day
    from localised

),

final as (

    select
        record_type,
        record_id,
        stay_number,
        stage_name,
        stage_group,
        stage_order,
        entered_at,
        exited_at,
        days_in_stage,
        is_current,
        {{ definition_versions_during(
            'stay_days.entered_day', 'stay_days.last_stay_day'
        ) }} as definition_version
    from stay_days

)

select * from final
