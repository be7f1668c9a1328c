-- Each SLA commitment day by day: the month-to-date and quarter-to-date actual, the
-- target pro-rated to that day and the projected period end. An amount (sales-ready
-- leads, EUR of pipeline) is pro-rated by calendar days and projected at the pace so
-- far; a rate is held to its full target every day and projected as it stands. The
-- quarter's target is three months' target. Leads count on the day they came in,
-- pipeline on the day its opportunity was created. The lead -> won floor judges what
-- became of a month's leads, which takes the agreed sales cycle, so while a month is
-- running it shows as maturing rather than on pace or behind. Each day holds the
-- targets of the version of the agreed definitions in force that day: a version taking
-- effect mid-month sets the target for the days from then on, and the targets so far
-- are weighted by the days each version judged.
with

lead_funnel as (

    select * from {{ ref('lead_funnel') }}

),

opportunity_pipeline as (

    select * from {{ ref('opportunity_pipeline') }}

),

calendar as (

    select * from {{ ref('int_reporting_days_spanned') }}

),

targets as (

    select * from {{ ref('stg_agreed_definitions__sla_targets') }}

),

versions as (

    select * from {{ ref('stg_agreed_definitions__definition_versions') }}

),

lead_days as (

    select
        cast(created_at as date) as day,
        {{ sla_lead_counts() }}
    from lead_funnel
    group by cast(created_at as date)

),

pipeline_days as (

    select
        cast(created_at as date) as day,
        {{ sla_pipeline_sum() }}
    from opportunity_pipeline
    group by cast(created_at as date)

),

daily as (

    select
        calendar.*,
        coalesce(lead_days.leads_created, 0) as leads_created,
        coalesce(lead_days.sales_ready_leads, 0) as sales_ready_leads,
        coalesce(lead_days.sales_ready_leads_converted, 0) as sales_ready_leads_converted,
        coalesce(lead_days.leads_picked_up_within_window, 0) as leads_picked_up_within_window,
        coalesce(lead_days.leads_won, 0) as leads_won,
        coalesce(pipeline_days.marketing_pipeline_eur, 0) as marketing_pipeline_eur
    from calendar
    left join lead_days
        on calendar.day = lead_days.day
    left join pipeline_days
        on calendar.day = pipeline_days.day

),

{%- set measures = [
    'leads_created', 'sales_ready_leads', 'sales_ready_leads_converted',
    'leads_picked_up_within_window', 'leads_won', 'marketing_pipeline_eur',
] %}
{% for period in ['month', 'quarter'] %}

    {{ period }}_to_date as (

        select
            day,
        {%- for measure in measures %}
            sum({{ measure }}) over so_far as {{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
        from daily
        window so_far as (partition by {{ period }}_start order by day)

    ),
{% endfor %}

day_targets as (

    select
        daily.day,
        targets.commitment,
        targets.owner_team,
        targets.target
    from daily
    inner join versions
        on {{ is_in_force_on('versions', 'daily.day') }}
    inner join targets
        on versions.definition_version = targets.definition_version

),

-- An amount is pro-rated over all the period's days, a rate is weighted over the
-- days so far (macros/sla_commitments.sql).
pro_rated_targets as (

    select
        daily.day,
        targets.commitment,
        {{ sla_target_over_days(
            'targets.target', 'daily.month_start', 'daily.day', 'daily.days_in_month'
        ) }} as month_amount_target,
        {{ sla_target_over_days(
            'targets.target', 'daily.month_start', 'daily.day', 'daily.day_of_month'
        ) }} as month_rate_target,
        {{ sla_target_over_days(
            '3 * targets.target', 'daily.quarter_start', 'daily.day', 'daily.days_in_quarter'
        ) }} as quarter_amount_target,
        {{ sla_target_over_days(
            'targets.target', 'daily.quarter_start', 'daily.day', 'daily.day_of_quarter'
        ) }} as quarter_rate_target
    from daily
    inner join versions
        on {{ is_in_force_during('versions', 'daily.quarter_start', 'daily.day') }}
    inner join targets
        on versions.definition_version = targets.definition_version
    group by daily.day, targets.commitment

),

-- The sales cycle a month's leads are judged on: the version's in force on its last day.
closing_versions as (

    select distinct
        daily.month_start,
        versions.sales_cycle_days
    from daily
    inner join versions
        on {{ is_in_force_on('versions', 'last_day(daily.month_start)') }}

),

measured as (

    select
        daily.day,
        daily.month_start,
        daily.quarter_start,
        day_targets.commitment,
        day_targets.owner_team,
        cast(day_targets.target as double) as monthly_target,
        {{ sla_is_rate('day_targets.commitment') }} as is_rate,
        pro_rated_targets.month_amount_target,
        pro_rated_targets.month_rate_target,
        pro_rated_targets.quarter_amount_target,
        pro_rated_targets.quarter_rate_target,
        cast(daily.day_of_month as double) / daily.days_in_month as share_of_month,
        cast(daily.day_of_quarter as double) / daily.days_in_quarter as share_of_quarter,
        {{ sla_actual('day_targets.commitment', 'month_to_date') }} as month_to_date_actual,
        {{ sla_actual('day_targets.commitment', 'quarter_to_date') }} as quarter_to_date_actual,
        {{ sla_cohort_matures_on(
            'day_targets.commitment', 'daily.month_start', 'closing_versions.sales_cycle_days'
        ) }} as cohort_matures_on
    from daily
    inner join day_targets
        on daily.day = day_targets.day
    inner join pro_rated_targets
        on
            day_targets.day = pro_rated_targets.day
            and day_targets.commitment = pro_rated_targets.commitment
    inner join closing_versions
        on daily.month_start = closing_versions.month_start
    inner join month_to_date
        on daily.day = month_to_date.day
    inner join quarter_to_date
        on daily.day = quarter_to_date.day

),

paced as (

    select
        *,
        case when is_rate then month_rate_target else month_amount_target end
            as month_to_date_target,
        case
            when is_rate then month_to_date_actual else month_to_date_actual / share_of_month
        end as month_end_projection,
        case when is_rate then quarter_rate_target else quarter_amount_target end
            as quarter_to_date_target,
        case
            when is_rate then quarter_to_date_actual
            else quarter_to_date_actual / share_of_quarter
        end as quarter_end_projection
    from measured

),

final as (

    select
        paced.day,
        paced.commitment,
        paced.owner_team,
        paced.monthly_target,
        paced.month_start,
        paced.month_to_date_actual,
        paced.month_to_date_target,
        paced.month_end_projection,
        paced.quarter_start,
        paced.quarter_to_date_actual,
        paced.quarter_to_date_target,
        paced.quarter_end_projection,
        case
            when paced.day < paced.cohort_matures_on then 'maturing'
            when paced.month_to_date_actual >= paced.month_to_date_target then 'on_pace'
            else 'behind'
        end as pace_status,
        {{ definition_versions_during('paced.day', 'paced.day') }} as definition_version
    from paced

)

select * from final
