with

source as (

    select * from {{ source('source_mapping', 'hubspot_signal_rules') }}

),

renamed as (

    select
        signal,
        fact,
        form_id,
        form_name_like,
        url_like,
        event_type,
        lifecycle_stage
    from source

)

select * from renamed
