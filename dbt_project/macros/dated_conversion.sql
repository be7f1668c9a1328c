{#- The one rule for turning an amount into the corporate currency, as Salesforce
    advanced currency management does: the rate of the amount's currency whose period
    covers the given date (int_conversion_rates_unioned). The corporate currency itself
    needs no rate. Expects the rates imported as `rates`, the reporting settings as
    `reporting` and the org currency of the source mapping as `org_currency`. -#}

{#- The currency an amount is in: its own, or for exports without a currency column
    (single-currency orgs, or an object exported without it) the org's currency, by
    default the corporate currency. -#}
{% macro amount_currency(currency_column) -%}
    coalesce({{ currency_column }}, org_currency.org_currency, reporting.corporate_currency)
{%- endmacro %}

{#- Join condition: the rate row in force for the amount's currency on `on_date`,
    among the rates of the system the amount comes from (each CRM's rates are per
    unit of its own corporate currency). -#}
{% macro dated_rate_in_force(currency_column, on_date, source_system) -%}
    {{ source_system }} = rates.source_system
    and {{ amount_currency(currency_column) }} = rates.currency_iso_code
    and {{ on_date }} >= rates.start_date
    and {{ on_date }} < rates.next_start_date
{%- endmacro %}

{#- Units of the amount's currency per one unit of the corporate currency; null when no
    rate is in force, so the converted amount stays null and a check flags it. -#}
{% macro units_per_corporate_unit(currency_column) -%}
    cast(
        case
            when {{ amount_currency(currency_column) }} = reporting.corporate_currency then 1
            else rates.units_per_eur
        end as decimal(18, 9)
    )
{%- endmacro %}
