with

source as (

    select * from {{ source('salesforce', 'account') }}

),

renamed as (

    select
        id as account_id,
        name as account_name,
        numberofemployees as number_of_employees,
        ownerid as owner_id,
        createddate as created_at,
        systemmodstamp as modified_at
    from source
    where not coalesce(isdeleted, false)

)

select * from renamed
