{#- Shared by the incremental models over activity histories (Marketo activities, CRM
    tasks and events), whose nightly work should follow the day's delta, not history.

    Every raw row carries `loaded_at`, set when the loader merged it in. Everything
    loaded before a model's last build was processed by it, so rows loaded after the
    newest `loaded_at` the model holds are the new work. Orchestration runs a full
    refresh whenever the agreements or the models' code change, since those affect
    rows already processed. -#}

{#- The newest raw load this model has processed. -#}
{% macro last_processed_load() -%}
    (select coalesce(max(loaded_at), '-infinity'::timestamptz) from {{ this }})
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
