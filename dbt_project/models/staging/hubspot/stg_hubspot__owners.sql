with

source as (

    select * from {{ source('hubspot', 'owners') }}

),

teams as (

    -- An owner's primary team, else the first one listed.
    select
        id as owner_id,
        team['name'] as team_name
    from (
        select
            id,
            unnest(from_json(teams, '[{"name": "VARCHAR", "primary": "BOOLEAN"}]')) as team,
            generate_subscripts(
                from_json(teams, '[{"name": "VARCHAR", "primary": "BOOLEAN"}]'), 1
            ) as position
        from source
    ) as listed
    qualify row_number() over (
        partition by id order by coalesce(team['primary'], false) desc, position
    ) = 1

),

renamed as (

    select
        source.id as owner_id,
        nullif(trim(concat_ws(' ', source.firstname, source.lastname)), '') as display_name,
        teams.team_name,
        source.createdat as created_at,
        source.updatedat as modified_at,
        source._loaded_at as loaded_at,
        coalesce(source.archived, false) as is_archived
    from source
    left join teams on source.id = teams.owner_id

),

final as (

    select * exclude (is_archived)
    from renamed
    where not is_archived

)

select * from final
