-- Who owns each lead now, and how it travelled between the teams. A lead sits with
-- sales when a sales user owns it and it is not in a nurture status; a lead in
-- nurture, or owned by marketing, is being warmed up by marketing. A recycle is a
-- moment the lead went back to nurture: handed from a sales owner to a marketing
-- owner, or put in a nurture status. Salesforce writes both changes at the same
-- moment when a rep recycles a lead, so a moment counts once.
--
-- Without field history (an org with no LeadHistory export, or with tracking off),
-- the current status and owner are all there is: a lead now in a nurture status
-- counts as recycled once, and hand-offs to sales are not known (0).
with

lead_funnel as (

    select * from {{ ref('lead_funnel') }}

),

lead_history as (

    select * from {{ ref('int_lead_history_unioned') }}

),

users as (

    select * from {{ ref('int_users_assigned_to_teams') }}

),

reporting as (

    select * from {{ ref('stg_agreed_definitions__reporting') }}

),

-- Salesforce also logs an owner change with names instead of ids; only the id rows
-- join to users, so each change is read once.
owner_changes as (

    select
        lead_history.lead_id,
        lead_history.changed_at,
        old_owners.team as old_team,
        new_owners.team as new_team
    from lead_history
    inner join users as old_owners
        on lead_history.old_value = old_owners.user_id
    inner join users as new_owners
        on lead_history.new_value = new_owners.user_id
    where lead_history.changed_field = 'Owner'

),

handoffs as (

    select
        lead_id,
        count(*) as handoffs_to_sales,
        max(changed_at) as last_handoff_at
    from owner_changes
    where old_team = 'marketing' and new_team = 'sales'
    group by lead_id

),

recycle_moments as (

    select
        lead_id,
        changed_at
    from owner_changes
    where old_team = 'sales' and new_team = 'marketing'
    union
    select
        lead_id,
        changed_at
    from lead_history
    where new_funnel_stage = 'nurture'

),

field_history as (

    select count(*) > 0 as is_tracked
    from lead_history

),

recycles as (

    select
        lead_id,
        count(*) as recycled_to_nurture
    from recycle_moments
    group by lead_id

),

ownership as (

    select
        lead_funnel.lead_id,
        lead_funnel.owner_id as current_owner_id,
        lead_funnel.owner_team as current_owner_team,
        case
            when lead_funnel.funnel_stage = 'nurture' then 'marketing_nurture'
            when lead_funnel.owner_team = 'marketing' then 'marketing_nurture'
            when lead_funnel.owner_team = 'sales' then 'sales'
            else 'unassigned'
        end as owner_side,
        lead_funnel.funnel_stage,
        coalesce(handoffs.handoffs_to_sales, 0) as handoffs_to_sales,
        case
            when field_history.is_tracked then coalesce(recycles.recycled_to_nurture, 0)
            when lead_funnel.funnel_stage = 'nurture' then 1
            else 0
        end as recycled_to_nurture,
        handoffs.last_handoff_at,
        field_history.is_tracked as is_from_field_history,
        lead_funnel.definition_version
    from lead_funnel
    cross join field_history
    left join handoffs
        on lead_funnel.lead_id = handoffs.lead_id
    left join recycles
        on lead_funnel.lead_id = recycles.lead_id

),

final as (

    select
        ownership.lead_id,
        ownership.current_owner_id,
        ownership.current_owner_team,
        ownership.owner_side,
        ownership.funnel_stage,
        ownership.handoffs_to_sales,
        ownership.recycled_to_nurture,
        ownership.recycled_to_nurture > 0 as is_recycled,
        {{ to_reporting_time('ownership.last_handoff_at') }} as last_handoff_at,
        ownership.is_from_field_history,
        ownership.definition_version
    from ownership
    cross join reporting

)

select * from final
