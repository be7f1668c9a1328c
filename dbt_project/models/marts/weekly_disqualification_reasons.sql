-- Where the week's leads drop out: the reasons sales gave for "not qualified", per
-- ISO week of lead creation. Every week of the review is crossed with every reason a
-- signed version of the agreed definitions lists (plus any other reason found, and
-- 'no reason given'), so a reason that vanishes shows as a drop to zero instead of a
-- missing row.
with

lead_funnel as (

    select * from {{ ref('lead_funnel') }}

),

weekly_review as (

    select * from {{ ref('weekly_pipeline_review') }}

),

agreed_reasons as (

    select * from {{ ref('stg_agreed_definitions__disqualification_reasons') }}

),

versions as (

    select * from {{ ref('stg_agreed_definitions__definition_versions') }}

),

-- lead_funnel.is_not_qualified: a converted lead is an opportunity, not a drop-out.
not_qualified_leads as (

    select
        created_week as week_start,
        coalesce(disqualification_reason, 'no reason given') as reason
    from lead_funnel
    where is_not_qualified

),

reasons as (

    select agreed_reasons.reason
    from agreed_reasons
    inner join versions
        on agreed_reasons.definition_version = versions.definition_version
    where not versions.is_draft
    union
    select 'no reason given' as reason
    union
    select reason from not_qualified_leads

),

reason_weeks as (

    select
        week_start,
        reason,
        count(*) as leads
    from not_qualified_leads
    group by week_start, reason

),

grid as (

    select
        weekly_review.week_start,
        weekly_review.not_qualified,
        reasons.reason,
        coalesce(reason_weeks.leads, 0) as leads
    from weekly_review
    cross join reasons
    left join reason_weeks
        on
            weekly_review.week_start = reason_weeks.week_start
            and reasons.reason = reason_weeks.reason

),

final as (

    select
        grid.week_start,
        grid.reason,
        grid.leads,
        cast(grid.leads / nullif(grid.not_qualified, 0) as double) as share_of_not_qualified,
        lag(grid.leads) over (partition by grid.reason order by grid.week_start)
            as previous_week_leads,
        grid.leads - lag(grid.leads) over (partition by grid.reason order by grid.week_start)
            as change_vs_previous_week,
        {{ definition_versions_during(
            'grid.week_start', 'grid.week_start + 6'
        ) }} as definition_version
    from grid

)

select * from final
