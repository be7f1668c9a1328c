{#- Shared by the incremental models over activity histories (Marketo activities, CRM
    tasks and events) and the per-lead models built from them, whose nightly work
    should follow the day's delta, not history.

    Every raw row carries `loaded_at`, set when the loader merged it in, and every row
    of these models carries `processed_at`, when the dbt build that wrote it started.
    Loads finish before a build starts, so the rows loaded after the last build started
    are exactly the ones no build has seen. Orchestration runs a full refresh whenever
    the agreements or the models' code change, since those affect rows already
    processed. -#}

{#- When the build that last wrote this model started. -#}
{% macro last_build_started() -%}
    (select coalesce(max(processed_at), '-infinity'::timestamptz) from {{ this }})
{%- endmacro %}

{#- This build's start, for `processed_at`. -#}
{% macro this_build_started() -%}
    '{{ run_started_at }}'::timestamptz
{%- endmacro %}

{#- Post-hook: drop rows whose source record is gone (soft-deleted in the CRM, or erased
    on request), which a merge by key alone would keep. `sources` lists (relation, key
    column) pairs. -#}
{% macro delete_rows_whose_source_is_gone(key, sources) -%}
    {%- set existing_keys -%}
        {%- for relation, column in sources -%}
            select {{ column }} as source_key from {{ relation }}
            {{- ' union all ' if not loop.last }}
        {%- endfor -%}
    {%- endset -%}
    delete from {{ this }} as processed
    where not exists (
        select 1 from ({{ existing_keys }}) as existing
        where existing.source_key = processed.{{ key }}
    )
{%- endmacro %}

{#- The Marketo activities a build must classify, for the models that credit activities
    to leads through int_marketo_person_links_tracked: all of them in a full build;
    otherwise those loaded since the last build, plus every activity of a person whose
    link changed since then. Expects the model's CTE `person_links`
    (int_marketo_person_links_tracked). The staging view is read in each branch, not
    through a shared CTE: DuckDB materialises a CTE read twice, which would parse the
    JSON attributes of every activity in history. -#}
{% macro marketo_activities_to_classify() -%}
    {%- set activities = ref('stg_marketo__activities') -%}
    {%- if is_incremental() -%}
    select * from {{ activities }}
    where loaded_at > {{ last_build_started() }}
    union
    select activities.* from {{ activities }} as activities
    semi join (
        select marketo_lead_id from person_links
        where link_changed_at > {{ last_build_started() }}
    ) as relinked_people
        on activities.marketo_lead_id = relinked_people.marketo_lead_id
    {%- else %}
    select * from {{ activities }}
    {%- endif -%}
{%- endmacro %}

{#- Per-lead models rebuild, in an incremental build, only the leads whose inputs
    changed since their last build: leads credited with an activity or signal that
    `activity_model` (re)processed since then, every lead a re-linked person was linked
    to before, with `lead_records` leads loaded or deleted since then, and with
    `rows_to_revisit` the leads of this model's rows that condition selects. -#}
{% macro leads_to_rebuild(activity_model, lead_records=false, rows_to_revisit=none) -%}
    select lead_id from {{ ref(activity_model) }}
    where processed_at > {{ last_build_started() }} and lead_id is not null
    union
    select unnest(previous_lead_ids) as lead_id
    from {{ ref('int_marketo_person_links_tracked') }}
    where link_changed_at > {{ last_build_started() }}
    {%- if lead_records %}
    union
    select lead_id from {{ ref('int_leads_unioned') }}
    where loaded_at > {{ last_build_started() }}
    union
    {{ leads_deleted() }}
    {%- endif %}
    {%- if rows_to_revisit %}
    union
    select lead_id from {{ this }} where {{ rows_to_revisit }}
    {%- endif %}
{%- endmacro %}

{#- Whether a per-lead model's input row is of a lead its incremental build rebuilds
    (noted by its pre-hook, delete_rows_to_rebuild); every row is on a full build. -#}
{% macro is_lead_to_rebuild() -%}
    {%- if is_incremental() -%}
        lead_id in (select * from {{ keys_to_rebuild_table() }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The leads of this model's rows that are no longer leads. -#}
{% macro leads_deleted() -%}
    select lead_id from {{ this }}
    anti join {{ ref('int_leads_unioned') }} using (lead_id)
{%- endmacro %}

{#- Marts carry no processed_at (BI users read them), so an incremental mart's
    watermark is the last complete build, which orchestration records once every model
    was built and tested: the rows loaded or processed after it are the ones no
    complete build has seen (a failed build's rows are seen again, which is safe).

    The keys of this mart an incremental build rewrites: the keys of rows of each
    `changed` (relation, key column, time column) loaded or processed since then, and
    the keys among this mart's rows where `scope` holds that `existing` (relation, key
    column) no longer has, whose rows are rewritten to none. -#}
{% macro keys_changed_since_last_complete_build(key, changed, existing, scope='true') -%}
    {%- for relation, column, time_column in changed %}
    select {{ column }} as {{ key }} from {{ relation }}
    where {{ time_column }} > {{ last_complete_build() }}
    union
    {%- endfor %}
    select distinct built.{{ key }} from {{ this }} as built
    anti join {{ existing[0] }} as existing
        on built.{{ key }} = existing.{{ existing[1] }}
    where {{ scope }}
{%- endmacro %}

{#- Pre-hook of the incremental models: note the keys of `keys_to_rebuild` (the model's
    macro in rebuild_sets.sql) in a temporary table, then delete their rows among those
    where `scope` holds, and every row where `rebuilt_in_full` holds, before the model
    writes them again; nothing on a full build. A key left with no rows (a lead whose
    only activities are now credited to another lead) must lose its old ones, which a
    delete+insert by key alone would keep. The model's query rebuilds the keys noted
    (is_lead_to_rebuild, keys_to_rebuild_table): a set read from the model's own rows (a lead that had a CRM
    signal) would have lost them to the delete if computed again. -#}
{% macro delete_rows_to_rebuild(key, keys_to_rebuild, scope='true', rebuilt_in_full='false') -%}
    {%- if is_incremental() %}
    create or replace temp table {{ keys_to_rebuild_table() }} as
    {{ keys_to_rebuild }};
    delete from {{ this }}
    where
        ({{ scope }} and {{ key }} in (select {{ key }} from {{ keys_to_rebuild_table() }}))
        or ({{ rebuilt_in_full }})
    {%- endif -%}
{%- endmacro %}

{#- The keys this model's incremental build rewrites, noted by its pre-hook. Temporary:
    the build's own connection sees it, and it never reaches the warehouse file. -#}
{% macro keys_to_rebuild_table() -%}
    temp.main."{{ this.identifier }}__keys_to_rebuild"
{%- endmacro %}

{#- Incremental strategy `changed_rows`, for per-lead models cheap to compute in full
    whose readers are incremental: the model's query computes every row, and only rows
    that differ from the stored ones (new, changed or gone) are written, so
    `processed_at` moves only where something changed and the readers rebuild just those
    keys. A key left with no rows loses its stored ones: a reader that needs to know
    must look for it. -#}
{% macro get_incremental_changed_rows_sql(arg_dict) -%}
    {%- set stored = arg_dict['target_relation'] -%}
    {%- set computed = arg_dict['temp_relation'] -%}
    {%- set key = arg_dict['unique_key'] -%}
    {%- set key = [key] if key is string else key -%}
    {%- set same_key = [] -%}
    {%- for column in key -%}
        {%- do same_key.append(stored ~ '.' ~ column ~ ' = outdated.' ~ column) -%}
    {%- endfor -%}
    delete from {{ stored }}
    using (
        select {{ key | join(', ') }} from (
            select * exclude (processed_at) from {{ stored }}
            except
            select * exclude (processed_at) from {{ computed }}
        )
    ) as outdated
    where {{ same_key | join(' and ') }};
    insert into {{ stored }} by name
    select computed.* from {{ computed }} as computed
    anti join {{ stored }} as kept using ({{ key | join(', ') }})
{%- endmacro %}
