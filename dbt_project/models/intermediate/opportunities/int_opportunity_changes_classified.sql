-- Every recorded state of an opportunity (one OpportunityHistory row: stage, amount,
-- close date) next to the state before it, classified as the pipeline review reads
-- it. The org's stage picklist in config/source_mapping.yml orders the stages and says
-- which are won or lost; a stage missing there counts as open, neither progress nor a
-- step back. A slip is an open deal whose close date moved into a later month (and,
-- separately flagged, a later quarter). Amounts are in EUR at the rate in force on the
-- state's own close date, as for opportunity_pipeline (macros/dated_conversion.sql).
with

opportunity_history as (

    select * from {{ ref('stg_salesforce__opportunity_history') }}

),

opportunities as (

    select * from {{ ref('int_opportunities_unioned') }}

),

stages as (

    select * from {{ ref('stg_source_mapping__opportunity_stages') }}

),

rates as (

    select * from {{ ref('int_conversion_rates_unioned') }}

),

org_currency as (

    select * from {{ ref('stg_source_mapping__org_currency') }}

),

reporting as (

    select * from {{ ref('stg_agreed_definitions__reporting') }}

),

-- Deleted opportunities have no live record, so their history is left out too.
states as (

    select
        opportunity_history.opportunity_history_id,
        opportunity_history.opportunity_id,
        opportunity_history.created_at as changed_at_utc,
        {{ to_reporting_time('opportunity_history.created_at') }} as changed_at,
        opportunity_history.stage_name,
        stages.stage_order,
        coalesce(stages.outcome, 'open') as outcome,
        opportunity_history.amount,
        {{ amount_currency('opportunities.currency_iso_code') }} as currency_iso_code,
        cast(
            round(
                opportunity_history.amount
                / {{ units_per_corporate_unit('opportunities.currency_iso_code') }},
                2
            ) as decimal(18, 2)
        ) as amount_eur,
        opportunity_history.close_date
    from opportunity_history
    cross join reporting
    cross join org_currency
    inner join opportunities
        on opportunity_history.opportunity_id = opportunities.opportunity_id
    left join stages
        on opportunity_history.stage_name = stages.stage_name
    left join rates
        on {{ dated_rate_in_force(
            'opportunities.currency_iso_code',
            'opportunity_history.close_date',
            'opportunities.source_system'
        ) }}

),

sequenced as (

    select
        *,
        row_number() over by_time = 1 as is_first_state,
        lag(stage_name) over by_time as previous_stage_name,
        lag(stage_order) over by_time as previous_stage_order,
        lag(outcome) over by_time as previous_outcome,
        lag(close_date) over by_time as previous_close_date,
        lead(changed_at) over by_time as superseded_at,
        lead(changed_at_utc) over by_time as superseded_at_utc
    from states
    window by_time as (
        partition by opportunity_id order by changed_at_utc, opportunity_history_id
    )

),

final as (

    select
        opportunity_history_id,
        opportunity_id,
        changed_at,
        changed_at_utc,
        cast(date_trunc('week', changed_at) as date) as change_week,
        superseded_at,
        superseded_at_utc,
        stage_name,
        stage_order,
        outcome,
        amount,
        currency_iso_code,
        amount_eur,
        close_date,
        previous_stage_name,
        previous_close_date,
        is_first_state as is_created,
        coalesce(outcome = 'open' and stage_order > previous_stage_order, false) as is_advanced,
        coalesce(outcome = 'open' and stage_order < previous_stage_order, false)
            as is_moved_back,
        coalesce(
            outcome = 'open'
            and date_trunc('month', close_date) > date_trunc('month', previous_close_date),
            false
        ) as is_slipped,
        coalesce(
            outcome = 'open'
            and date_trunc('quarter', close_date) > date_trunc('quarter', previous_close_date),
            false
        ) as is_slipped_out_of_quarter,
        outcome = 'won' and coalesce(previous_outcome != 'won', true) as is_won,
        outcome = 'lost' and coalesce(previous_outcome != 'lost', true) as is_lost
    from sequenced

)

select * from final
