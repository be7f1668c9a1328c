{#- Generic data test: on every row, `column_name` equals the sum of `parts`. Used where
    a mart splits a total into outcomes, so no lead falls between two buckets or is
    counted in two. Returns the rows that do not add up. -#}
{% test adds_up_to(model, column_name, parts) %}

select *
from {{ model }}
where
    coalesce({{ column_name }}, 0)
    != {% for part in parts %}coalesce({{ part }}, 0){% if not loop.last %} + {% endif %}{% endfor %}

{% endtest %}
