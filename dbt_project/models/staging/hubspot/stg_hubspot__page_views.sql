with

source as (

    select * from {{ source('hubspot', 'page_views') }}

),

renamed as (

    select
        id as page_view_id,
        objectid as contact_id,
        hs_url as page_url,
        occurredat as occurred_at,
        _loaded_at as loaded_at
    from source
    -- The Events API returns the events of the CRM object asked for: contacts here.
    where coalesce(upper(objecttype), 'CONTACT') = 'CONTACT'

)

select * from renamed
