{#- A deal's close date is the day in the reporting time zone: HubSpot's date picker
    stores a day as a moment (midnight in UTC or in the user's time zone), which falls
    on the day picked in European time zones either way. -#}
with

source as (

    select * from {{ source('hubspot', 'deals') }}

),

associated_companies as (

    select
        id as deal_id,
        unnest(from_json(associated_companies, '[{"id": "VARCHAR", "type": "VARCHAR"}]'))
            as company,
        generate_subscripts(from_json(associated_companies, '["JSON"]'), 1) as position
    from source

),

primary_companies as (

    -- The company HubSpot marks primary (type deal_to_company), else the first one.
    select
        deal_id,
        company['id'] as company_id
    from associated_companies
    qualify row_number() over (
        partition by deal_id
        order by coalesce(company['type'] = 'deal_to_company', false) desc, position
    ) = 1

),

definition as (

    select * from {{ source('agreed_definitions', 'reporting') }}

),

renamed as (

    select
        source.id as deal_id,
        nullif(trim(source.dealname), '') as deal_name,
        source.amount,
        upper(nullif(trim(source.deal_currency_code), '')) as currency_code,
        nullif(source.pipeline, '') as pipeline_id,
        nullif(source.dealstage, '') as stage_id,
        cast(timezone(definition.reporting_time_zone, source.closedate) as date) as close_date,
        nullif(trim(source.hs_analytics_source), '') as analytics_source,
        nullif(source.hubspot_owner_id, '') as owner_id,
        -- HubSpot has no primary contact on a deal: the first one associated.
        json_extract_string(source.associated_contacts, '$[0].id') as primary_contact_id,
        primary_companies.company_id,
        source.createdat as created_at,
        source.updatedat as modified_at,
        source._loaded_at as loaded_at,
        coalesce(source.archived, false) as is_archived
    from source
    cross join definition
    left join primary_companies on source.id = primary_companies.deal_id

),

final as (

    select * exclude (is_archived)
    from renamed
    where not is_archived

)

select * from final
