with

source as (

    select * from {{ source('salesforce', 'user') }}

),

renamed as (

    select
        id as user_id,
        -- The standard Name field when exported, else first and last name.
        coalesce(
            nullif(trim(name), ''), nullif(trim(concat_ws(' ', firstname, lastname)), '')
        ) as display_name,
        team_attribute,
        isactive as is_active,
        createddate as created_at,
        systemmodstamp as modified_at,
        _loaded_at as loaded_at
    from source

)

select * from renamed
