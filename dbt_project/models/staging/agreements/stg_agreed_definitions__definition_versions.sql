with

source as (

    select * from {{ source('agreed_definitions', 'definition_versions') }}

),

renamed as (

    select
        definition_version,
        effective_date,
        is_draft,
        in_force_from,
        in_force_until,
        signed_off_by,
        min_employees,
        intent_window_days,
        follow_up_window_hours,
        min_contact_attempts,
        sales_cycle_days
    from source

)

select * from renamed
