with

source as (

    select * from {{ source('agreed_definitions', 'sla_targets') }}

),

renamed as (

    select
        sales_ready_leads,
        sales_ready_to_opportunity_rate,
        marketing_pipeline_eur,
        lead_to_won_rate_floor
    from source

)

select * from renamed
