{#- Stages of archived pipelines are kept: deals still in them need their outcome. A
    stage is won when it is closed with probability 1, lost when closed otherwise. -#}
with

source as (

    select * from {{ source('hubspot', 'deal_pipelines') }}

),

stages as (

    select
        id as pipeline_id,
        label as pipeline_label,
        unnest(
            from_json(
                stages,
                '[{"id": "VARCHAR", "label": "VARCHAR", "displayOrder": "INTEGER",
                   "metadata": {"isClosed": "VARCHAR", "probability": "VARCHAR"}}]'
            )
        ) as stage
    from source

),

renamed as (

    select
        pipeline_id,
        pipeline_label,
        stage['id'] as stage_id,
        stage['label'] as stage_label,
        stage['displayOrder'] as display_order,
        coalesce(lower(stage['metadata']['isClosed']) = 'true', false) as is_closed,
        coalesce(
            lower(stage['metadata']['isClosed']) = 'true'
            and try_cast(stage['metadata']['probability'] as double) = 1,
            false
        ) as is_won
    from stages

)

select * from renamed
