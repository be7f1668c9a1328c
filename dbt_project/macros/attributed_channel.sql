{#- The one rule for where a lead, an opportunity or a campaign comes from, as the
    channel mapping of a version of the agreed definitions says: the channel of its
    lead source, else the channel of its campaign's type, else 'unattributed'.
    Arguments are SQL expressions, `definition_version` the version judging the record;
    qualify column names with their table, or the subquery would read its own columns
    of the same name. -#}
{% macro attributed_channel(lead_source, campaign_type, definition_version) -%}
    coalesce(
        (
            select lead_source_channels.channel
            from {{ ref('stg_agreed_definitions__channel_lead_sources') }} as lead_source_channels
            where
                lead_source_channels.definition_version = {{ definition_version }}
                and lead_source_channels.lead_source = {{ lead_source }}
        ),
        (
            select campaign_type_channels.channel
            from {{ ref('stg_agreed_definitions__channel_campaign_types') }}
                as campaign_type_channels
            where
                campaign_type_channels.definition_version = {{ definition_version }}
                and campaign_type_channels.campaign_type = {{ campaign_type }}
        ),
        'unattributed'
    )
{%- endmacro %}

{#- Whether a channel counts as marketing-sourced under a version; 'unattributed'
    never does. -#}
{% macro is_marketing_channel(channel, definition_version) -%}
    coalesce(
        (
            select channels.is_marketing_sourced
            from {{ ref('stg_agreed_definitions__channels') }} as channels
            where
                channels.definition_version = {{ definition_version }}
                and channels.channel = {{ channel }}
        ),
        false
    )
{%- endmacro %}
