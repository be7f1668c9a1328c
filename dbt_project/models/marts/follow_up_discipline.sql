-- "Was the lead called, how often, how fast?" per sales rep and week, before any
-- "bad lead" discussion. Leads are grouped by the week they were created and by their
-- current owner, counting only leads a sales user owns: leads parked with marketing
-- are not sales' follow-up to answer for.
with

lead_funnel as (

    select * from {{ ref('lead_funnel') }}

),

users as (

    select * from {{ ref('int_users_assigned_to_teams') }}

),

sales_leads as (

    select
        lead_funnel.lead_id,
        lead_funnel.created_week,
        lead_funnel.owner_id,
        lead_funnel.hours_to_first_sales_touch,
        lead_funnel.is_picked_up_within_window,
        lead_funnel.first_sales_touch_at is null as is_never_touched,
        lead_funnel.contact_attempts_before_disqualification,
        lead_funnel.is_disqualified_below_min_attempts
    from lead_funnel
    where lead_funnel.owner_team = 'sales'

),

owner_weeks as (

    select
        sales_leads.created_week as week_start,
        sales_leads.owner_id,
        count(*) as leads_assigned,
        median(sales_leads.hours_to_first_sales_touch) as median_hours_to_first_touch,
        count(*) filter (where sales_leads.is_picked_up_within_window) / count(*)
            as share_within_window,
        avg(sales_leads.contact_attempts_before_disqualification)
            as avg_attempts_before_disqualification,
        count(*) filter (where sales_leads.is_never_touched) as leads_never_touched,
        count(*) filter (where sales_leads.is_disqualified_below_min_attempts)
            as leads_disqualified_below_min_attempts
    from sales_leads
    group by sales_leads.created_week, sales_leads.owner_id

),

final as (

    select
        owner_weeks.week_start,
        owner_weeks.owner_id,
        users.display_name as owner_name,
        owner_weeks.leads_assigned,
        -- The median of an even count interpolates; keep the 2 decimals of the inputs.
        round(cast(owner_weeks.median_hours_to_first_touch as double), 2)
            as median_hours_to_first_touch,
        cast(owner_weeks.share_within_window as double) as share_within_window,
        cast(owner_weeks.avg_attempts_before_disqualification as double)
            as avg_attempts_before_disqualification,
        owner_weeks.leads_never_touched,
        owner_weeks.leads_disqualified_below_min_attempts,
        {{ definition_versions_during(
            'owner_weeks.week_start', 'owner_weeks.week_start + 6'
        ) }} as definition_version
    from owner_weeks
    left join users
        on owner_weeks.owner_id = users.user_id

)

select * from final
