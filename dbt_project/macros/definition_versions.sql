{#- The one home of the rule "which version of the agreed definitions is in force":
    a signed version judges the days from in_force_from up to in_force_until (both
    open-ended when null, as orchestration/agreements/history.py sets them), a draft
    judges no day. `versions` is an alias of stg_agreed_definitions__definition_versions;
    the days are SQL date expressions (qualify column names with their table). -#}

{#- How many of the days from `first_day` to `last_day` (both included) `versions`
    judges: what a target is pro-rated by when a version takes effect mid-period. -#}
{% macro days_in_force(versions, first_day, last_day) -%}
    case
        when not {{ versions }}.is_draft
            then greatest(
                0,
                least({{ last_day }}, coalesce({{ versions }}.in_force_until - 1, {{ last_day }}))
                - greatest({{ first_day }}, coalesce({{ versions }}.in_force_from, {{ first_day }}))
                + 1
            )
        else 0
    end
{%- endmacro %}

{#- Whether `versions` judges any day from `first_day` to `last_day`. -#}
{% macro is_in_force_during(versions, first_day, last_day) -%}
    ({{ days_in_force(versions, first_day, last_day) }} > 0)
{%- endmacro %}

{#- Whether `versions` judges what happened on `day`: each day has exactly one such
    version, so a lead created that day is judged by it. -#}
{% macro is_in_force_on(versions, day) -%}
    {{ is_in_force_during(versions, day, day) }}
{%- endmacro %}

{#- The version(s) that judged a period's leads and opportunities, each judged by the
    version in force on its creation day: one version, or several joined by ' + ' in
    the order they took effect when a version took effect during the period. What
    every KPI row says in definition_version. DuckDB runs the subquery once per distinct
    value of the columns it reads: pass day columns of an earlier CTE, not expressions
    over timestamps, or a mart of millions of rows runs it millions of times. -#}
{% macro definition_versions_during(first_day, last_day) -%}
    (
        select
            string_agg(
                versions_in_force.definition_version, ' + '
                order by versions_in_force.effective_date
            )
        from {{ ref('stg_agreed_definitions__definition_versions') }} as versions_in_force
        where {{ is_in_force_during('versions_in_force', first_day, last_day) }}
    )
{%- endmacro %}
