{#- Generic data test: none of `columns` is ever null. dbt's not_null for several
    columns of one model in one scan (a build pays per test it runs); returns a row per
    column that has nulls, with how many. -#}
{% test not_null_columns(model, columns) %}

    with null_counts as (

        select
            {% for column in columns -%}
                count(*) filter (where {{ column }} is null) as {{ column }}
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        from {{ model }}

    )

    {% for column in columns -%}
        select
            '{{ column }}' as column_name,
            {{ column }} as null_rows
        from null_counts
        where {{ column }} > 0
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

{% endtest %}
