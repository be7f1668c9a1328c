{#- The keys each incremental model rewrites on an incremental build, one macro per
    model and named after it: the model's pre-hook deletes their rows
    (delete_rows_to_rebuild) and its query builds them again, from this one definition
    (macros/incremental.sql). -#}

{#- Leads with new or re-credited content touches. -#}
{% macro int_lead_content_summarised_leads_to_rebuild() -%}
    {{ leads_to_rebuild('int_content_touches_linked_to_leads') }}
{%- endmacro %}

{#- Leads with new or re-credited signals, leads loaded or deleted, and every lead that
    has or had a CRM signal (classified afresh every build). -#}
{% macro int_lead_stages_reached_leads_to_rebuild() -%}
    {{ leads_to_rebuild(
        'int_lead_signals_combined', lead_records=true, rows_to_revisit='has_crm_signals'
    ) }}
{%- endmacro %}

{#- The leads int_lead_stages_reached rebuilt since this model's last build, which are
    all the leads whose records or signals changed, and leads deleted. -#}
{% macro int_leads_scored_against_definition_leads_to_rebuild() -%}
    select lead_id from {{ ref('int_lead_stages_reached') }}
    where processed_at > {{ last_build_started() }}
    union
    {{ leads_deleted() }}
{%- endmacro %}

{#- Leads with a piece of their judgement (stages, scores, channel, first touch)
    rewritten since this model's last build, leads deleted, and leads picked up in time
    whose every sales touch is gone (int_lead_first_sales_touches keeps no row for
    them). -#}
{% macro int_leads_judged_under_each_version_leads_to_rebuild() -%}
    {%- for piece in [
        'int_lead_stages_reached',
        'int_leads_scored_against_definition',
        'int_leads_attributed_to_channels',
        'int_lead_first_sales_touches',
    ] %}
    select lead_id from {{ ref(piece) }}
    where processed_at > {{ last_build_started() }}
    union
    {%- endfor %}
    {{ leads_deleted() }}
    union
    select judged.lead_id from {{ this }} as judged
    anti join {{ ref('int_lead_first_sales_touches') }} as touches using (lead_id)
    where judged.is_picked_up_within_window
{%- endmacro %}

{#- Leads whose content summary was rewritten or emptied. -#}
{% macro lead_content_consumed_leads_to_rebuild() -%}
    {{ keys_changed_since_last_complete_build(
        'lead_id',
        [(ref('int_lead_content_summarised'), 'lead_id', 'processed_at')],
        (ref('int_lead_content_summarised'), 'lead_id'),
    ) }}
{%- endmacro %}

{#- Leads loaded, deleted, or with a status change loaded: the keys of their stays
    (record_type 'lead'). -#}
{% macro stage_durations_leads_to_rebuild() -%}
    {{ keys_changed_since_last_complete_build(
        'record_id',
        [
            (ref('int_leads_unioned'), 'lead_id', 'loaded_at'),
            (ref('int_lead_history_unioned'), 'lead_id', 'loaded_at'),
        ],
        (ref('int_leads_unioned'), 'lead_id'),
        scope="record_type = 'lead'",
    ) }}
{%- endmacro %}

{#- Leads loaded, deleted, judged again, or with their first touch or contact attempts
    rewritten since the last complete build (a lead left with no sales touch has no
    first touch row, but its attempts are rewritten to none); leads whose owner's team
    is not the one shown; and every converted lead, whose opportunity (its stage,
    amount in EUR or creation) may have changed with no load time to tell. -#}
{% macro lead_funnel_leads_to_rebuild() -%}
    {{ keys_changed_since_last_complete_build(
        'lead_id',
        [
            (ref('int_leads_unioned'), 'lead_id', 'loaded_at'),
            (ref('int_leads_judged_under_each_version'), 'lead_id', 'processed_at'),
            (ref('int_lead_first_sales_touches'), 'lead_id', 'processed_at'),
            (ref('int_lead_contact_attempts_counted'), 'lead_id', 'processed_at'),
        ],
        (ref('int_leads_unioned'), 'lead_id'),
    ) }}
    union
    select built.lead_id from {{ this }} as built
    left join {{ ref('int_users_assigned_to_teams') }} as users
        on built.owner_id = users.user_id
    where built.owner_team is distinct from users.team
    union
    select lead_id from {{ this }} where converted_opportunity_id is not null
{%- endmacro %}
