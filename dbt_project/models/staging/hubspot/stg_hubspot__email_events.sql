with

source as (

    select * from {{ source('hubspot', 'email_events') }}

),

renamed as (

    select
        id as event_id,
        upper(type) as event_type,
        recipient as email,
        emailcampaignid as email_campaign_id,
        created as occurred_at,
        _loaded_at as loaded_at
    from source

)

select * from renamed
