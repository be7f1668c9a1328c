{#- The one rule for a HubSpot record's lead source: its original source
    (hs_analytics_source) as the org's lead source vocabulary, which the agreed
    channels map (config/source_mapping.yml, hubspot.analytics_sources); a value the
    mapping does not list is a lead source as it is. Qualify the argument's column. -#}
{% macro hubspot_lead_source(analytics_source) -%}
    coalesce(
        (
            select analytics_sources.lead_source
            from {{ ref('stg_source_mapping__hubspot_analytics_sources') }} as analytics_sources
            where analytics_sources.analytics_source = {{ analytics_source }}
        ),
        {{ analytics_source }}
    )
{%- endmacro %}
