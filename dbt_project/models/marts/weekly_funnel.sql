-- The week's funnel, step by step, per ISO week of lead creation: leads in -> MQL ->
-- SQL -> sales-ready -> picked up within the follow-up window -> opportunity. Each step
-- counts the week's leads that also passed every step before it, so the steps only
-- narrow and a conversion reads "of the leads at the step before, this share got
-- here". A lead that went straight to SQL is past MQL. Each step's conversion is set
-- against the same step over the four weeks before (pooled: their leads at this step
-- over their leads at the step before), null until four weeks exist.
with

lead_funnel as (

    select * from {{ ref('lead_funnel') }}

),

weekly_review as (

    select * from {{ ref('weekly_pipeline_review') }}

),

lead_steps as (

    select
        created_week,
        mql_at is not null or sql_at is not null as reached_mql,
        sql_at is not null as reached_sql,
        sql_at is not null and meets_definition as reached_sales_ready,
        sql_at is not null and meets_definition and is_picked_up_within_window
            as reached_pick_up,
        sql_at is not null and meets_definition and is_picked_up_within_window and is_converted
            as reached_opportunity
    from lead_funnel

),

week_counts as (

    select
        created_week as week_start,
        count(*) as leads_in,
        count(*) filter (where reached_mql) as mqls,
        count(*) filter (where reached_sql) as sqls,
        count(*) filter (where reached_sales_ready) as sales_ready,
        count(*) filter (where reached_pick_up) as picked_up_within_window,
        count(*) filter (where reached_opportunity) as opportunity
    from lead_steps
    group by created_week

),

steps as (

    select
        weekly_review.week_start,
        step.step_order,
        step.step,
        coalesce(
            case step.step
                when 'leads_in' then week_counts.leads_in
                when 'mql' then week_counts.mqls
                when 'sql' then week_counts.sqls
                when 'sales_ready' then week_counts.sales_ready
                when 'picked_up_within_window' then week_counts.picked_up_within_window
                when 'opportunity' then week_counts.opportunity
            end,
            0
        ) as leads
    from weekly_review
    cross join (
        values
        (1, 'leads_in'),
        (2, 'mql'),
        (3, 'sql'),
        (4, 'sales_ready'),
        (5, 'picked_up_within_window'),
        (6, 'opportunity')
    ) as step (step_order, step)
    left join week_counts
        on weekly_review.week_start = week_counts.week_start

),

with_previous_step as (

    select
        *,
        lag(leads) over (partition by week_start order by step_order) as previous_step_leads
    from steps

),

with_previous_weeks as (

    select
        *,
        count(*) over previous_four_weeks as previous_weeks,
        avg(leads) over previous_four_weeks as previous_4_weeks_avg_leads,
        sum(leads) over previous_four_weeks as previous_weeks_leads,
        sum(previous_step_leads) over previous_four_weeks as previous_weeks_previous_step_leads
    from with_previous_step
    window previous_four_weeks as (
        partition by step_order order by week_start rows between 4 preceding and 1 preceding
    )

),

final as (

    select
        with_previous_weeks.week_start,
        with_previous_weeks.step_order,
        with_previous_weeks.step,
        with_previous_weeks.leads,
        cast(
            with_previous_weeks.leads / nullif(with_previous_weeks.previous_step_leads, 0)
            as double
        ) as conversion_from_previous_step,
        case
            when with_previous_weeks.previous_weeks = 4
                then cast(with_previous_weeks.previous_4_weeks_avg_leads as double)
        end as previous_4_weeks_avg_leads,
        case
            when with_previous_weeks.previous_weeks = 4
                then cast(
                    with_previous_weeks.previous_weeks_leads
                    / nullif(with_previous_weeks.previous_weeks_previous_step_leads, 0)
                    as double
                )
        end as previous_4_weeks_conversion,
        {{ definition_versions_during(
            'with_previous_weeks.week_start', 'with_previous_weeks.week_start + 6'
        ) }} as definition_version
    from with_previous_weeks

)

select * from final
