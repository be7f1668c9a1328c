{#- Generic data test: the column identifies each row, never null and never repeated.
    dbt's unique and not_null in one query, so a build scans the model once and runs
    one test instead of two for each key. -#}
{% test primary_key(model, column_name) %}

select
    {{ column_name }} as key_value,
    count(*) as rows_with_this_key
from {{ model }}
group by {{ column_name }}
having {{ column_name }} is null or count(*) > 1

{% endtest %}
