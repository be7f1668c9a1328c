with

source as (

    select * from {{ source('marketo', 'activities') }}

),

renamed as (

    select
        marketoguid as activity_id,
        leadid as marketo_lead_id,
        activitydate as activity_at,
        activitytypeid as activity_type_id,
        campaignid as marketo_campaign_id,
        primaryattributevalue as primary_attribute_value,
        -- attributes is a JSON object string; malformed JSON yields null
        -- instead of failing every query on this view. Most activities (page
        -- visits, clicks) have neither key: a substring test spares them the
        -- JSON parsing, which every scan of the activity history pays.
        case
            when contains(attributes, '"New Status"') and json_valid(attributes)
                then json_extract_string(attributes, '$."New Status"')
        end as new_program_status,
        case
            when contains(attributes, '"Minutes Attended"') and json_valid(attributes)
                then try_cast(json_extract_string(attributes, '$."Minutes Attended"') as double)
        end as minutes_attended,
        _loaded_at as loaded_at
    from source

)

select * from renamed
