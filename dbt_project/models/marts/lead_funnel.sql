with

leads as (

    select * from {{ ref('int_leads_unioned') }}

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
    where is_in_force

),

touches as (

    select * from {{ ref('int_lead_first_sales_touches') }}

),

opportunities as (

    select * from {{ ref('int_opportunities_unioned') }}

),

opportunity_amounts as (

    select * from {{ ref('int_opportunities_converted_to_eur') }}

),

attempts as (

    select * from {{ ref('int_lead_contact_attempts_counted') }}

),

-- A lead's one outcome: converted beats disqualified. Every mart that counts leads
-- not qualified counts this column.
outcomes as (

    select
        lead_id,
        funnel_stage = 'disqualified' and not is_converted as is_not_qualified
    from leads

),

final as (

    select
        leads.lead_id,
        leads.source_system,
        leads.company,
        leads.title,
        leads.number_of_employees,
        leads.lead_source,
        judged.source_channel,
        judged.is_marketing_sourced,
        judged.campaign_id,
        judged.campaign_name,
        leads.owner_id,
        users.team as owner_team,
        leads.lead_status,
        leads.funnel_stage,
        {{ to_reporting_time('leads.created_at') }} as created_at,
        cast(date_trunc('month', {{ to_reporting_time('leads.created_at') }}) as date)
            as created_month,
        {{ to_reporting_time('judged.mql_at') }} as mql_at,
        {{ to_reporting_time('judged.sql_at') }} as sql_at,
        {{ to_reporting_time('touches.first_sales_touch_at') }} as first_sales_touch_at,
        round(
            (epoch(touches.first_sales_touch_at) - epoch(leads.created_at)) / 3600.0, 2
        ) as hours_to_first_sales_touch,
        judged.is_picked_up_within_window,
        coalesce(touches.sales_touches, 0) as sales_touches,
        judged.meets_definition,
        judged.meets_employee_criterion,
        judged.meets_budget_authority_criterion,
        judged.meets_active_intent_criterion,
        judged.failed_criteria,
        judged.active_intent_signal,
        {{ to_reporting_time('judged.active_intent_at') }} as active_intent_at,
        leads.funnel_stage = 'disqualified' as is_disqualified,
        outcomes.is_not_qualified,
        leads.disqualification_reason,
        leads.is_converted,
        leads.converted_opportunity_id,
        {{ to_reporting_time('opportunities.created_at') }} as opportunity_created_at,
        opportunity_amounts.amount_eur as opportunity_amount_eur,
        coalesce(opportunities.is_won, false) as is_won,
        cast(date_trunc('week', {{ to_reporting_time('leads.created_at') }}) as date)
            as created_week,
        case
            when outcomes.is_not_qualified then attempts.contact_attempts_before_disqualification
        end as contact_attempts_before_disqualification,
        coalesce(
            outcomes.is_not_qualified
            and attempts.contact_attempts_before_disqualification < versions.min_contact_attempts,
            false
        ) as is_disqualified_below_min_attempts,
        judged.definition_version
    from leads
    cross join reporting
    inner join judged
        on leads.lead_id = judged.lead_id
    inner join versions
        on judged.definition_version = versions.definition_version
    left join users
        on leads.owner_id = users.user_id
    left join touches
        on leads.lead_id = touches.lead_id
    left join opportunities
        on leads.converted_opportunity_id = opportunities.opportunity_id
    left join opportunity_amounts
        on leads.converted_opportunity_id = opportunity_amounts.opportunity_id
    left join attempts
        on leads.lead_id = attempts.lead_id
    inner join outcomes
        on leads.lead_id = outcomes.lead_id

)

select * from final
