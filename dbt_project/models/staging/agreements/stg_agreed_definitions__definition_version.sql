with

source as (

    select * from {{ source('agreed_definitions', 'definition_version') }}

),

renamed as (

    select
        definition_version,
        effective_date,
        signed_off_by,
        reporting_time_zone,
        corporate_currency,
        min_employees,
        intent_window_days,
        follow_up_window_hours,
        min_contact_attempts,
        sales_cycle_days,
        freshness_max_age_hours
    from source

)

select * from renamed
