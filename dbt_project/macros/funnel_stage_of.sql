{#- The one rule for a lead status's place in the funnel: the CRM's status picklist
    mapped in config/source_mapping.yml (open, working, nurture, converted,
    disqualified): Lead.Status for Salesforce, hs_lead_status for HubSpot. A status
    the mapping does not know is 'unmapped', which a check names. Used for a lead's
    status now and for every status it had.
    Arguments are SQL expressions; qualify column names with their table, or the
    subquery would read its own columns of the same name. -#}
{% macro funnel_stage_of(status, system='salesforce') -%}
    {%- set mapping = {
        'salesforce': 'stg_source_mapping__lead_status_stages',
        'hubspot': 'stg_source_mapping__hubspot_lead_status_stages',
    }[system] -%}
    coalesce(
        (
            select status_stages.funnel_stage
            from {{ ref(mapping) }} as status_stages
            where status_stages.lead_status = {{ status }}
        ),
        'unmapped'
    )
{%- endmacro %}
