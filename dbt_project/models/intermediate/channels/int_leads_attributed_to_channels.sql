-- A lead's channel, by the one channel rule (macros/attributed_channel.sql): its lead
-- source, else the type of its first campaign; leads that match neither are
-- 'unattributed' and never count as marketing-sourced. One row per lead and version
-- of the agreed definitions (drafts included), under that version's channel mapping.
--
-- Computed in full, which is cheap; only leads whose channel or first campaign changed
-- are written again (macros/incremental.sql, changed_rows), so that
-- int_leads_judged_under_each_version rebuilds just those.
{{
    config(
        materialized='incremental',
        incremental_strategy='changed_rows',
        unique_key=['lead_id', 'definition_version'],
    )
}}

with

leads as (

    select * from {{ ref('int_leads_unioned') }}

),

campaign_members as (

    select * from {{ ref('stg_salesforce__campaign_members') }}

),

campaigns as (

    select * from {{ ref('int_campaigns_unioned') }}

),

versions as (

    select * from {{ ref('stg_agreed_definitions__definition_versions') }}

),

first_campaigns as (

    select
        campaign_members.lead_id,
        campaign_members.campaign_id
    from campaign_members
    where campaign_members.lead_id is not null
    qualify row_number() over (
        partition by campaign_members.lead_id
        order by campaign_members.created_at, campaign_members.campaign_member_id
    ) = 1

),

attributed as (

    select
        leads.lead_id,
        versions.definition_version,
        first_campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.campaign_type,
        {{ attributed_channel(
            'leads.lead_source', 'campaigns.campaign_type', 'versions.definition_version'
        ) }} as source_channel
    from leads
    cross join versions
    left join first_campaigns
        on leads.lead_id = first_campaigns.lead_id
    left join campaigns
        on first_campaigns.campaign_id = campaigns.campaign_id

),

final as (

    select
        *,
        {{ is_marketing_channel('attributed.source_channel', 'attributed.definition_version') }}
            as is_marketing_sourced,
        {{ this_build_started() }} as processed_at
    from attributed

)

select * from final
