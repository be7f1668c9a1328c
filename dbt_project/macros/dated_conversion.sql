{#- The one rule for turning an amount into the corporate currency, as Salesforce
    advanced currency management does: the DatedConversionRate of the amount's
    currency whose period covers the given date. The corporate currency itself needs
    no rate. Expects the rates imported as `rates` and the agreed definition as
    `definition`. -#}

{#- Join condition: the rate row in force for `currency_column` on `on_date`. -#}
{% macro dated_rate_in_force(currency_column, on_date) -%}
    {{ currency_column }} = rates.currency_iso_code
    and {{ on_date }} >= rates.start_date
    and {{ on_date }} < rates.next_start_date
{%- endmacro %}

{#- Units of `currency_column` per one unit of the corporate currency; null when no
    dated rate is in force, so the converted amount stays null and a check flags it. -#}
{% macro units_per_corporate_unit(currency_column) -%}
    cast(
        case
            when {{ currency_column }} = definition.corporate_currency then 1
            else rates.units_per_eur
        end as decimal(18, 9)
    )
{%- endmacro %}
