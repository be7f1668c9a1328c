with

source as (

    select * from {{ source('source_mapping', 'marketo_content_rules') }}

),

renamed as (

    select
        rule_order,
        content_type,
        activity_type_id,
        primary_attribute_like,
        asset,
        prefix
    from source

)

select * from renamed
