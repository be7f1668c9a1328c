with

sales_touches as (

    select * from {{ ref('int_crm_activities_linked_to_leads') }}
    where lead_id is not null

),

final as (

    select
        lead_id,
        min(touched_at) as first_sales_touch_at,
        arg_min(owner_id, touched_at) as first_touch_owner_id,
        count(*) as sales_touches
    from sales_touches
    group by lead_id

)

select * from final
