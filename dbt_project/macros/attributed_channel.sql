{#- The one rule for where a lead, an opportunity or a campaign comes from, as the
    agreed definitions' channel mapping says: the channel of its lead source, else the
    channel of its campaign's type, else 'unattributed'.
    Arguments are SQL expressions; qualify column names with their table, or the
    subquery would read its own columns of the same name. -#}
{% macro attributed_channel(lead_source, campaign_type) -%}
    coalesce(
        (
            select lead_source_channels.channel
            from {{ ref('stg_agreed_definitions__channel_lead_sources') }} as lead_source_channels
            where lead_source_channels.lead_source = {{ lead_source }}
        ),
        (
            select campaign_type_channels.channel
            from {{ ref('stg_agreed_definitions__channel_campaign_types') }}
                as campaign_type_channels
            where campaign_type_channels.campaign_type = {{ campaign_type }}
        ),
        'unattributed'
    )
{%- endmacro %}

{#- Whether a channel counts as marketing-sourced; 'unattributed' never does. -#}
{% macro is_marketing_channel(channel) -%}
    coalesce(
        (
            select channels.is_marketing_sourced
            from {{ ref('stg_agreed_definitions__channels') }} as channels
            where channels.channel = {{ channel }}
        ),
        false
    )
{%- endmacro %}
