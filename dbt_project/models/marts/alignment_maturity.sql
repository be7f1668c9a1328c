-- How far marketing and sales have come together (Kotler, Rackham, Krishnaswamy:
-- undefined, defined, aligned, integrated), scored per quarter from evidence in the
-- warehouse. One row per quarter and criterion, with its evidence, what it measured,
-- the threshold of the version of the agreed definitions in force at the quarter's
-- end (alignment_maturity in its file) and whether it passed. A quarter reaches a
-- stage when every criterion of that stage and of the stages before it passed.
-- The criteria are described one by one in _maturity__models.yml.
with

calendar as (

    select * from {{ ref('int_reporting_days_spanned') }}

),

versions as (

    select * from {{ ref('stg_agreed_definitions__definition_versions') }}

),

thresholds as (

    select * from {{ ref('stg_agreed_definitions__maturity_thresholds') }}

),

agreed_reasons as (

    select * from {{ ref('stg_agreed_definitions__disqualification_reasons') }}

),

reviews as (

    select * from {{ ref('stg_review_log__weekly_reviews_rendered') }}

),

lead_funnel as (

    select * from {{ ref('lead_funnel') }}

),

scorecard as (

    select * from {{ ref('sla_scorecard') }}

),

quarters as (

    select
        quarter_start,
        cast(quarter_start + interval 3 month as date) - 1 as quarter_end,
        least(cast(quarter_start + interval 3 month as date) - 1, max(as_of_date)) as judged_until,
        cast(quarter_start + interval 3 month as date) - 1 <= max(as_of_date)
            as is_quarter_complete,
        max(as_of_date) as as_of_date
    from calendar
    group by quarter_start

),

-- The version whose thresholds judge the quarter: the one in force at its end.
quarter_versions as (

    select
        quarters.quarter_start,
        versions.definition_version
    from quarters
    inner join versions
        on {{ is_in_force_on('versions', 'quarters.judged_until') }}

),

lead_quarters as (

    select
        cast(date_trunc('quarter', lead_funnel.created_month) as date) as quarter_start,
        lead_funnel.lead_id,
        lead_funnel.source_channel,
        lead_funnel.is_not_qualified,
        lead_funnel.is_picked_up_within_window,
        agreed_reasons.reason is not null as has_agreed_reason
    from lead_funnel
    left join agreed_reasons
        on
            lead_funnel.definition_version = agreed_reasons.definition_version
            and lead_funnel.disqualification_reason = agreed_reasons.reason

),

-- defined: a version signed by both teams took effect by the quarter's end.
signed_agreements as (

    select
        quarters.quarter_start,
        'defined' as stage,
        'signed_agreement_in_force' as criterion,
        cast(null as double) as measured,
        case
            when count(versions.definition_version) > 0
                then format(
                    'version {} in force since {}, signed by marketing and sales',
                    arg_max(versions.definition_version, versions.effective_date),
                    max(versions.effective_date)
                )
            else 'no version signed by marketing and sales had taken effect'
        end as evidence,
        count(versions.definition_version) > 0 as is_met
    from quarters
    left join versions
        on quarters.judged_until >= versions.effective_date and not versions.is_draft
    group by quarters.quarter_start

),

lead_evidence as (

    select
        quarters.quarter_start,
        count(lead_quarters.lead_id) as leads,
        count(*) filter (where lead_quarters.is_not_qualified) as not_qualified,
        count(*) filter (where lead_quarters.is_not_qualified and lead_quarters.has_agreed_reason)
            as not_qualified_with_reason,
        count(*) filter (where lead_quarters.is_picked_up_within_window) as picked_up
    from quarters
    left join lead_quarters
        on quarters.quarter_start = lead_quarters.quarter_start
    group by quarters.quarter_start

),

-- aligned: sales says why a lead is not qualified, in the agreed words...
reasons_given as (

    select
        quarter_start,
        'aligned' as stage,
        'disqualification_reasons_given' as criterion,
        cast(not_qualified_with_reason / nullif(not_qualified, 0) as double) as measured,
        format(
            '{} of {} not-qualified leads carry an agreed reason',
            not_qualified_with_reason, not_qualified
        ) as evidence
    from lead_evidence

),

-- ...picks leads up in time...
picked_up_in_time as (

    select
        quarter_start,
        'aligned' as stage,
        'leads_picked_up_in_time' as criterion,
        cast(picked_up / nullif(leads, 0) as double) as measured,
        format('{} of {} leads picked up within the follow-up window', picked_up, leads)
            as evidence
    from lead_evidence

),

-- ...and both teams review the week together: a week counts once its review was due
-- (the Monday after it) and the night after, when the review has been rendered.
weeks_due as (

    select distinct
        quarters.quarter_start,
        calendar.week_start
    from quarters
    inner join calendar
        on
            quarters.quarter_start <= calendar.week_start
            and quarters.quarter_end >= calendar.week_start
            and quarters.as_of_date >= calendar.week_start + 14

),

weekly_reviews as (

    select
        quarters.quarter_start,
        'aligned' as stage,
        'weekly_review_every_week' as criterion,
        cast(count(reviews.week_start) / nullif(count(weeks_due.week_start), 0) as double)
            as measured,
        format(
            '{} of {} weeks reviewed{}',
            count(reviews.week_start),
            count(weeks_due.week_start),
            coalesce(
                format(
                    ' (first missing: week of {})',
                    min(weeks_due.week_start) filter (where reviews.week_start is null)
                ),
                ''
            )
        ) as evidence
    from quarters
    left join weeks_due
        on quarters.quarter_start = weeks_due.quarter_start
    left join reviews
        on weeks_due.week_start = reviews.week_start
    group by quarters.quarter_start

),

-- integrated: the commitments judged in the quarter's complete months were met.
judged_commitments as (

    select
        cast(date_trunc('quarter', month) as date) as quarter_start,
        owner_team,
        count(*) as judged,
        count(*) filter (where status = 'met') as met
    from scorecard
    where is_month_complete and status in ('met', 'missed')
    group by all

),

shared_kpis as (

    select
        quarters.quarter_start,
        'integrated' as stage,
        'shared_kpis_met' as criterion,
        cast(shared.met / nullif(shared.judged, 0) as double) as measured,
        format(
            '{} of {} judged shared commitments met',
            coalesce(shared.met, 0), coalesce(shared.judged, 0)
        ) as evidence
    from quarters
    left join judged_commitments as shared
        on quarters.quarter_start = shared.quarter_start and shared.owner_team = 'shared'

),

team_commitments as (

    select
        quarters.quarter_start,
        'integrated' as stage,
        'both_teams_commitments_met' as criterion,
        least(
            cast(marketing.met / nullif(marketing.judged, 0) as double),
            cast(sales.met / nullif(sales.judged, 0) as double)
        ) as measured,
        format(
            'marketing {} of {}, sales {} of {} judged commitments met',
            coalesce(marketing.met, 0), coalesce(marketing.judged, 0),
            coalesce(sales.met, 0), coalesce(sales.judged, 0)
        ) as evidence
    from quarters
    left join judged_commitments as marketing
        on quarters.quarter_start = marketing.quarter_start and marketing.owner_team = 'marketing'
    left join judged_commitments as sales
        on quarters.quarter_start = sales.quarter_start and sales.owner_team = 'sales'

),

channel_quarters as (

    select
        quarter_start,
        source_channel,
        count(*) as leads,
        count(*) filter (where is_not_qualified) as not_qualified,
        count(*) / sum(count(*)) over (partition by quarter_start) as share_of_leads
    from lead_quarters
    group by quarter_start, source_channel

),

-- The channel that brought the most not-qualified leads in a quarter: the one the
-- feedback loop tells marketing to retarget.
worst_channels as (

    select
        quarter_start,
        source_channel,
        not_qualified,
        share_of_leads
    from channel_quarters
    where not_qualified > 0
    qualify row_number() over (
        partition by quarter_start order by not_qualified desc, source_channel asc
    ) = 1

),

source_mix as (

    select
        quarters.quarter_start,
        'integrated' as stage,
        'feedback_loop_changes_source_mix' as criterion,
        cast(worst.share_of_leads - coalesce(current_mix.share_of_leads, 0) as double)
            as measured,
        case
            when worst.source_channel is null
                then 'no not-qualified leads last quarter to act on'
            else format(
                '{} brought the most not-qualified leads last quarter ({}); its share of '
                || 'leads went from {:.0f}% to {:.0f}%',
                worst.source_channel,
                worst.not_qualified,
                100 * worst.share_of_leads,
                100 * coalesce(current_mix.share_of_leads, 0)
            )
        end as evidence
    from quarters
    left join worst_channels as worst
        on quarters.quarter_start - interval 3 month = worst.quarter_start
    left join channel_quarters as current_mix
        on
            quarters.quarter_start = current_mix.quarter_start
            and worst.source_channel = current_mix.source_channel

),

measured_criteria as (

    select * from reasons_given
    union all
    select * from picked_up_in_time
    union all
    select * from weekly_reviews
    union all
    select * from shared_kpis
    union all
    select * from team_commitments
    union all
    select * from source_mix

),

criteria as (

    select
        signed_agreements.quarter_start,
        signed_agreements.stage,
        signed_agreements.criterion,
        signed_agreements.measured,
        cast(null as double) as threshold,
        signed_agreements.evidence,
        signed_agreements.is_met as passed,
        quarter_versions.definition_version
    from signed_agreements
    inner join quarter_versions
        on signed_agreements.quarter_start = quarter_versions.quarter_start
    union all
    select
        measured_criteria.quarter_start,
        measured_criteria.stage,
        measured_criteria.criterion,
        measured_criteria.measured,
        thresholds.threshold,
        measured_criteria.evidence,
        coalesce(measured_criteria.measured >= thresholds.threshold, false) as passed,
        quarter_versions.definition_version
    from measured_criteria
    inner join quarter_versions
        on measured_criteria.quarter_start = quarter_versions.quarter_start
    inner join thresholds
        on
            quarter_versions.definition_version = thresholds.definition_version
            and measured_criteria.criterion = thresholds.criterion

),

stages_reached as (

    select
        quarter_start,
        case
            when not bool_and(passed) filter (where stage = 'defined') then 'undefined'
            when not bool_and(passed) filter (where stage = 'aligned') then 'defined'
            when not bool_and(passed) filter (where stage = 'integrated') then 'aligned'
            else 'integrated'
        end as relationship_stage
    from criteria
    group by quarter_start

),

final as (

    select
        criteria.quarter_start,
        quarters.quarter_end,
        quarters.is_quarter_complete,
        stages_reached.relationship_stage,
        criteria.stage,
        criteria.criterion,
        criteria.passed,
        criteria.measured,
        criteria.threshold,
        criteria.evidence,
        criteria.definition_version
    from criteria
    inner join quarters
        on criteria.quarter_start = quarters.quarter_start
    inner join stages_reached
        on criteria.quarter_start = stages_reached.quarter_start

)

select * from final
