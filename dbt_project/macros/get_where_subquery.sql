{#- dbt's `where` test config, plus one placeholder for the tests on the activity
    histories, which hold most of the warehouse's rows: `__last_complete_build__`, as in
    `where: "loaded_at > __last_complete_build__"`, limits an incremental build's test
    to the rows loaded or processed since the last complete build (orchestration
    records it in warehouse_state.dbt_builds once every model was built and tested),
    so a night's tests follow the delta. Rows older than that were tested by the build
    that wrote them; a full refresh, or a database with no such record, tests every
    row. Overrides dbt's own macro of the same name, as dbt's docs suggest for custom
    `where` logic. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') or '' -%}
    {%- if '__last_complete_build__' in where -%}
        {%- set where = where | replace('__last_complete_build__', last_complete_build()) -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') as dbt_subquery') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{% macro last_complete_build() -%}
    {%- set builds = adapter.get_relation(
        database=target.database, schema='warehouse_state', identifier='dbt_builds'
    ) -%}
    {%- if flags.FULL_REFRESH or builds is none -%}
        '-infinity'::timestamptz
    {%- else -%}
        (select coalesce(max(built_at), '-infinity'::timestamptz) from {{ builds }})
    {%- endif -%}
{%- endmacro %}
