{#- The one home of how each SLA commitment is measured over a period, from the
    period's counts (columns of the relation aliased `counts`): an amount is summed
    (sales-ready leads, EUR of pipeline), a rate is one count over another.
    shared_kpis_monthly, sla_scorecard and targets_pacing all measure through these
    macros, so a month and its month-to-date pacing never disagree on a definition. -#}

{#- commitment -> [numerator, denominator or none for an amount] -#}
{% macro sla_measures() -%}
    {{ return({
        'sales_ready_leads': ['sales_ready_leads', none],
        'sales_ready_to_opportunity_rate': ['sales_ready_leads_converted', 'sales_ready_leads'],
        'picked_up_within_window_share': ['leads_picked_up_within_window', 'leads_created'],
        'marketing_pipeline_eur': ['marketing_pipeline_eur', none],
        'lead_to_won_rate_floor': ['leads_won', 'leads_created'],
    }) }}
{%- endmacro %}

{#- The lead counts the commitments are measured from, for lead_funnel rows grouped by
    a period of their creation. -#}
{% macro sla_lead_counts() -%}
    count(*) as leads_created,
    count(*) filter (where meets_definition) as sales_ready_leads,
    count(*) filter (where meets_definition and is_converted) as sales_ready_leads_converted,
    count(*) filter (where is_picked_up_within_window) as leads_picked_up_within_window,
    count(*) filter (where is_won) as leads_won
{%- endmacro %}

{#- The pipeline the commitments are measured from, for opportunity_pipeline rows
    grouped by a period of their creation. -#}
{% macro sla_pipeline_sum() -%}
    sum(amount_eur) filter (where is_marketing_sourced) as marketing_pipeline_eur
{%- endmacro %}

{#- The actual of one named commitment over the counts of `counts`. -#}
{% macro sla_measure(commitment, counts) -%}
    {%- set numerator, denominator = sla_measures()[commitment] -%}
    {%- if denominator -%}
        cast({{ counts }}.{{ numerator }} / nullif({{ counts }}.{{ denominator }}, 0) as double)
    {%- else -%}
        cast({{ counts }}.{{ numerator }} as double)
    {%- endif -%}
{%- endmacro %}

{#- The actual of the commitment named in `commitment_column`. -#}
{% macro sla_actual(commitment_column, counts) -%}
    case {{ commitment_column }}
    {%- for commitment in sla_measures() %}
        when '{{ commitment }}' then {{ sla_measure(commitment, counts) }}
    {%- endfor %}
    end
{%- endmacro %}

{#- Whether the commitment named in `commitment_column` is a rate, which a part of a
    period is held to in full (an amount is pro-rated instead). -#}
{% macro sla_is_rate(commitment_column) -%}
    {%- set rates = [] -%}
    {%- for commitment, parts in sla_measures().items() if parts[1] -%}
        {%- do rates.append("'" ~ commitment ~ "'") -%}
    {%- endfor -%}
    {{ commitment_column }} in ({{ rates | join(', ') }})
{%- endmacro %}

{#- The day a cohort commitment (what became of a month's leads: the lead -> won
    floor) can first be judged for the month starting `month_start`: when the month's
    last lead has had the agreed sales cycle (`sales_cycle_days`, of the version in
    force on the month's last day) to close. Null for the other commitments, which
    are judged as soon as the month ends. -#}
{% macro sla_cohort_matures_on(commitment_column, month_start, sales_cycle_days) -%}
    case
        when {{ commitment_column }} = 'lead_to_won_rate_floor'
            then last_day({{ month_start }}) + {{ sales_cycle_days }}
    end
{%- endmacro %}

{#- A target over the days from `first_day` to `last_day`, out of `days`: each
    version's `target` (an expression over `targets`, joined to `versions`) weighted by
    the days of that span it was in force, so a version taking effect mid-period sets
    the target for its days only. Sums over the versions in force during the span. -#}
{% macro sla_target_over_days(target, first_day, last_day, days) -%}
    sum(
        {{ target }} * (
            cast({{ days_in_force('versions', first_day, last_day) }} as double) / {{ days }}
        )
    )
{%- endmacro %}
