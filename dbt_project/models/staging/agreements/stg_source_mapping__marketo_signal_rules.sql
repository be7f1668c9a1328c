with

source as (

    select * from {{ source('source_mapping', 'marketo_signal_rules') }}

),

renamed as (

    select
        signal,
        activity_type_id,
        primary_attribute_like,
        new_status
    from source

)

select * from renamed
