-- The feedback loop from sales to marketing: why leads from each channel and
-- campaign were not qualified, per month of lead creation, so marketing reads "60%
-- of the leads from this campaign have no budget" and retargets. One row per reason
-- that occurred in the month for that channel and campaign, compared with the share
-- the same reason had in the same group the month before.
with

lead_funnel as (

    select * from {{ ref('lead_funnel') }}

),

-- lead_funnel.is_not_qualified: a converted lead is never a drop-out.
leads as (

    select
        created_month as month,
        source_channel,
        campaign_id,
        campaign_name,
        is_not_qualified,
        coalesce(disqualification_reason, 'no reason given') as reason
    from lead_funnel

),

group_totals as (

    select
        month,
        source_channel,
        campaign_id,
        campaign_name,
        count(*) as leads_created,
        count(*) filter (where is_not_qualified) as leads_disqualified
    from leads
    group by all

),

reason_counts as (

    select
        month,
        source_channel,
        campaign_id,
        campaign_name,
        reason,
        count(*) as leads_with_reason
    from leads
    where is_not_qualified
    group by all

),

shares as (

    select
        reason_counts.month,
        reason_counts.source_channel,
        reason_counts.campaign_id,
        reason_counts.campaign_name,
        reason_counts.reason,
        group_totals.leads_created,
        group_totals.leads_disqualified,
        reason_counts.leads_with_reason,
        cast(
            reason_counts.leads_with_reason / group_totals.leads_disqualified as double
        ) as share_of_disqualified
    from reason_counts
    inner join group_totals
        on
            reason_counts.month = group_totals.month
            and reason_counts.source_channel = group_totals.source_channel
            and reason_counts.campaign_id is not distinct from group_totals.campaign_id

),

-- Last month's share is 0 when the group had not-qualified leads but none with this
-- reason, and null when it had none at all (nothing to compare with).
final as (

    select
        shares.month,
        shares.source_channel,
        shares.campaign_id,
        shares.campaign_name,
        shares.reason,
        shares.leads_created,
        shares.leads_disqualified,
        shares.leads_with_reason,
        shares.share_of_disqualified,
        cast(
            coalesce(previous_reasons.leads_with_reason, 0)
            / nullif(previous_totals.leads_disqualified, 0) as double
        ) as previous_month_share,
        shares.share_of_disqualified
        - cast(
            coalesce(previous_reasons.leads_with_reason, 0)
            / nullif(previous_totals.leads_disqualified, 0) as double
        ) as share_change,
        {{ definition_versions_during(
            'shares.month', 'last_day(shares.month)'
        ) }} as definition_version
    from shares
    left join group_totals as previous_totals
        on
            shares.month - interval 1 month = previous_totals.month
            and shares.source_channel = previous_totals.source_channel
            and shares.campaign_id is not distinct from previous_totals.campaign_id
    left join reason_counts as previous_reasons
        on
            shares.month - interval 1 month = previous_reasons.month
            and shares.source_channel = previous_reasons.source_channel
            and shares.campaign_id is not distinct from previous_reasons.campaign_id
            and shares.reason = previous_reasons.reason

)

select * from final
