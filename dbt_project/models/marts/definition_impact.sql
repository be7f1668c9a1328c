-- What each version of the agreed definitions makes of the same months, drafts
-- included, so both teams see what a change would do before they sign it ("under the
-- proposed 2026.2, March would have had 31 sales-ready leads instead of 48"). Every
-- month of shared_kpis_monthly is restated under every version, as if that version
-- had judged all the month's leads and opportunities, one row per month, version and
-- shared KPI, next to the value published (each lead judged by the version in force
-- at its creation) and the difference.
with

lead_funnel as (

    select * from {{ ref('lead_funnel') }}

),

judged as (

    select * from {{ ref('int_leads_judged_under_each_version') }}

),

opportunity_pipeline as (

    select * from {{ ref('opportunity_pipeline') }}

),

opportunity_channels as (

    select * from {{ ref('int_opportunities_attributed_to_channels') }}

),

versions as (

    select * from {{ ref('stg_agreed_definitions__definition_versions') }}

),

targets as (

    select * from {{ ref('stg_agreed_definitions__sla_targets') }}

),

kpis as (

    select * from {{ ref('shared_kpis_monthly') }}

),

-- A lead's outcome does not depend on the version; what it counts as does.
lead_versions as (

    select
        lead_funnel.created_month,
        judged.definition_version,
        judged.meets_definition,
        judged.is_picked_up_within_window,
        lead_funnel.is_converted,
        lead_funnel.is_won
    from lead_funnel
    inner join judged
        on lead_funnel.lead_id = judged.lead_id

),

lead_months as (

    select
        created_month as month,
        definition_version,
        {{ sla_lead_counts() }}
    from lead_versions
    group by created_month, definition_version

),

opportunity_versions as (

    select
        opportunity_pipeline.created_month,
        opportunity_channels.definition_version,
        opportunity_pipeline.amount_eur,
        opportunity_channels.is_marketing_sourced
    from opportunity_pipeline
    inner join opportunity_channels
        on opportunity_pipeline.opportunity_id = opportunity_channels.opportunity_id

),

pipeline_months as (

    select
        created_month as month,
        definition_version,
        {{ sla_pipeline_sum() }}
    from opportunity_versions
    group by created_month, definition_version

),

restated as (

    select
        kpis.month,
        versions.definition_version,
        versions.is_draft,
        versions.effective_date,
        {{ is_in_force_during('versions', 'kpis.month', 'last_day(kpis.month)') }}
            as is_in_force,
        coalesce(lead_months.leads_created, 0) as leads_created,
        coalesce(lead_months.sales_ready_leads, 0) as sales_ready_leads,
        coalesce(lead_months.sales_ready_leads_converted, 0) as sales_ready_leads_converted,
        coalesce(lead_months.leads_picked_up_within_window, 0)
            as leads_picked_up_within_window,
        coalesce(lead_months.leads_won, 0) as leads_won,
        coalesce(pipeline_months.marketing_pipeline_eur, 0) as marketing_pipeline_eur
    from kpis
    cross join versions
    left join lead_months
        on
            kpis.month = lead_months.month
            and versions.definition_version = lead_months.definition_version
    left join pipeline_months
        on
            kpis.month = pipeline_months.month
            and versions.definition_version = pipeline_months.definition_version

),

compared as (

    select
        restated.month,
        restated.definition_version,
        restated.is_draft,
        restated.effective_date,
        restated.is_in_force,
        kpis.definition_version as version_in_force,
        targets.commitment as kpi,
        targets.target,
        {{ sla_actual('targets.commitment', 'restated') }} as kpi_value,
        {{ sla_actual('targets.commitment', 'kpis') }} as published_value
    from restated
    inner join kpis
        on restated.month = kpis.month
    inner join targets
        on restated.definition_version = targets.definition_version

),

final as (

    select
        month,
        definition_version,
        is_draft,
        effective_date,
        is_in_force,
        version_in_force,
        kpi,
        kpi_value,
        published_value,
        kpi_value - published_value as difference,
        cast(target as double) as target
    from compared

)

select * from final
