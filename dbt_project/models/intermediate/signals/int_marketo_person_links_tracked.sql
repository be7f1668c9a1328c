-- The link of every Marketo person ever linked to a Salesforce lead, and when this
-- warehouse last saw it change: a person whose lead id, contact or unique email now
-- points elsewhere, or nowhere (lead_id empty), gets a new link_changed_at. The
-- incremental Marketo models re-credit the activities of exactly the people whose
-- link changed since their own last build, without comparing their whole history
-- with today's links; previous_lead_ids names every lead such a person was linked to
-- before, whose per-lead figures lose those activities.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='marketo_lead_id',
    )
}}

with

person_links as (

    select * from {{ ref('int_marketo_people_linked_to_leads') }}

),

{% if is_incremental() %}

    previous_links as (

        select * from {{ this }}

    ),

    changed_links as (

        select
            coalesce(person_links.marketo_lead_id, previous_links.marketo_lead_id)
                as marketo_lead_id,
            person_links.lead_id,
            person_links.linked_by,
            -- list_distinct also drops the empty lead of a person linked to none.
            list_sort(list_distinct(
                list_append(previous_links.previous_lead_ids, previous_links.lead_id)
            )) as previous_lead_ids
        from person_links
        full outer join previous_links
            on person_links.marketo_lead_id = previous_links.marketo_lead_id
        where
            person_links.lead_id is distinct from previous_links.lead_id
            or person_links.linked_by is distinct from previous_links.linked_by

    ),

{% else %}

    changed_links as (

        select
            marketo_lead_id,
            lead_id,
            linked_by,
            []::varchar[] as previous_lead_ids
        from person_links

    ),

{% endif %}

final as (

    select
        marketo_lead_id,
        lead_id,
        linked_by,
        previous_lead_ids,
        {{ this_build_started() }} as link_changed_at
    from changed_links

)

select * from final
