{#- The Form Integrations API gives a submission no contact id: the submitter's email
    address (a pseudonym, like the contact's) links it to a contact. -#}
with

source as (

    select * from {{ source('hubspot', 'form_submissions') }}

),

forms as (

    select * from {{ source('hubspot', 'forms') }}

),

renamed as (

    select
        source.conversionid as submission_id,
        source.formid as form_id,
        forms.name as form_name,
        source.email,
        source.pageurl as page_url,
        source.submittedat as submitted_at,
        source._loaded_at as loaded_at
    from source
    left join forms on source.formid = forms.id

)

select * from renamed
