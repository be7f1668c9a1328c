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
        -- instead of failing every query on this view.
        case
            when json_valid(attributes)
                then json_extract_string(attributes, '$."New Status"')
        end as new_program_status,
        case
            when json_valid(attributes)
                then try_cast(json_extract_string(attributes, '$."Minutes Attended"') as double)
        end as minutes_attended,
        _loaded_at as loaded_at
    from source

)

select * from renamed
