{#- Generic data test: no two rows share the same values of `columns`, the grain a
    mart promises. Nulls count as a value, so a null campaign is still one group. -#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as rows_with_this_key
from {{ model }}
group by all
having count(*) > 1

{% endtest %}
