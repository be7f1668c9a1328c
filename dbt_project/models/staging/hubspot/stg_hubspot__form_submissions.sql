{#- The Form Integrations API gives a submission no contact id: the submitter's email
    address (a pseudonym, like the contact's) links it to the contact with that address,
    of which HubSpot keeps one. -#}
with

source as (

    select * from {{ source('hubspot', 'form_submissions') }}

),

forms as (

    select * from {{ source('hubspot', 'forms') }}

),

contacts as (

    select
        contact_id,
        email
    from {{ ref('stg_hubspot__contacts') }}
    where email is not null
    qualify count(*) over (partition by email) = 1

),

renamed as (

    select
        source.conversionid as submission_id,
        source.formid as form_id,
        forms.name as form_name,
        contacts.contact_id,
        source.email,
        source.pageurl as page_url,
        source.submittedat as submitted_at,
        source._loaded_at as loaded_at
    from source
    left join forms on source.formid = forms.id
    left join contacts on source.email = contacts.email

)

select * from renamed
