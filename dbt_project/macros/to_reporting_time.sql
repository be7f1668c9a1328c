{#- Marts show wall-clock time in the agreed reporting time zone, so a lead created
    at 00:30 in Amsterdam on the 1st belongs to that month, as the teams read it.
    Expects the model to have the agreed definition joined in as `definition`. -#}
{% macro to_reporting_time(column) -%}
    timezone(definition.reporting_time_zone, {{ column }})
{%- endmacro %}
