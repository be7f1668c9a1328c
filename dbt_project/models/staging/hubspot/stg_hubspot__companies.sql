with

source as (

    select * from {{ source('hubspot', 'companies') }}

),

renamed as (

    select
        id as company_id,
        nullif(trim(name), '') as company_name,
        numberofemployees as number_of_employees,
        createdat as created_at,
        _loaded_at as loaded_at,
        coalesce(archived, false) as is_archived
    from source

),

-- Archived companies stay, flagged: their contacts lose their size, and the load of
-- the archiving is what tells an incremental build those contacts changed.
final as (

    select * from renamed

)

select * from final
