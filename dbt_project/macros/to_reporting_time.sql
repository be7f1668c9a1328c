{#- Marts show wall-clock time in the agreed reporting time zone, so a lead created
    at 00:30 in Amsterdam on the 1st belongs to that month, as the teams read it.
    Expects the model to have stg_agreed_definitions__reporting joined in as
    `reporting`. -#}
{% macro to_reporting_time(column) -%}
    timezone(reporting.reporting_time_zone, {{ column }})
{%- endmacro %}
