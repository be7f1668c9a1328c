with

source as (

    select * from {{ source('source_mapping', 'crm_campaign_response_rules') }}

),

renamed as (

    select
        signal,
        campaign_type,
        campaign_name_like,
        member_status,
        responded_only
    from source

)

select * from renamed
