with

source as (

    select * from {{ source('marketo', 'activity_types') }}

),

renamed as (

    select
        id as activity_type_id,
        name as activity_type_name
    from source

)

select * from renamed
