with

source as (

    select * from {{ source('review_log', 'weekly_reviews_rendered') }}

),

renamed as (

    select
        week_start,
        rendered_at
    from source

)

select * from renamed
