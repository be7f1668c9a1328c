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

final as (

    select * exclude (is_archived)
    from renamed
    where not is_archived

)

select * from final
