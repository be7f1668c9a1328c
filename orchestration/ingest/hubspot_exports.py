"""HubSpot's part of the landing contract: one JSON-lines file per object.

Each line is one object as HubSpot's public APIs return it (CRM objects in the v3
shape: `id`, `properties` by internal name, `createdAt`, `updatedAt`, `archived`,
`associations`, and `propertiesWithHistory` where history is exported). A column's
`path` says where in the record its value is; the loader keeps the whole record as
JSON text too (`record_json`), so staging can read what the contract does not type.

Properties are optional, even the ones every KPI needs: extract tools leave out
properties that are null, so a property missing from a file says nothing about the
next one. Only the keys every record of an object has are required.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orchestration.ingest.contract import NO_EFFECT, Column, ExportSpec, optional, required

TIMESTAMP = "TIMESTAMPTZ"
_NEWEST_BY_FILE_ORDER = "of two versions of a record, the later file and line wins"
_SHOWN_EMPTY = "shown empty"
_NO_ARCHIVE = "no record counts as archived"


def _hubspot(
    hubspot_object: str,
    description: str,
    columns: Mapping[str, Column],
    key: str = "id",
    **options: Any,
) -> ExportSpec:
    """`hubspot/<object>.jsonl`: the record key, then `columns`. `options` are
    ExportSpec's; a record's freshness and version are its updatedAt unless they say."""
    return ExportSpec(
        source="hubspot",
        table=hubspot_object,
        relative_path=f"hubspot/{hubspot_object}.jsonl",
        columns={key: required("VARCHAR"), **columns},
        description=description,
        system="hubspot",
        **{"freshness_column": "updatedAt", "version_column": "updatedAt", **options},
    )


def _property(kind: str, without: str, name: str) -> Column:
    return optional(kind, without, path=f"properties.{name}")


def _properties(**columns: tuple[str, str]) -> dict[str, Column]:
    """CRM properties kept as columns of the same name: name=(type, what it limits)."""
    return {name: _property(kind, without, name) for name, (kind, without) in columns.items()}


def _crm_audit(created: Column | None = None) -> dict[str, Column]:
    return {
        "createdAt": created or optional(TIMESTAMP, NO_EFFECT),
        "updatedAt": optional(TIMESTAMP, _NEWEST_BY_FILE_ORDER),
        "archived": optional("BOOLEAN", _NO_ARCHIVE),
    }


def _associated(to: str, without: str) -> Column:
    """The records of another object a record is associated with, as a JSON list of
    `{"id": …, "type": …}`."""
    return optional("JSON", without, path=f"associations.{to}.results")


def _engagement(name: str, description: str, **properties: tuple[str, str]) -> ExportSpec:
    return _hubspot(
        name,
        description,
        {
            **_crm_audit(),
            **_properties(
                hs_timestamp=(TIMESTAMP, f"{name} are dated by their creation instead"),
                hubspot_owner_id=(
                    "VARCHAR",
                    f"{name} have no owner: none counts as a sales touch",
                ),
                **properties,
            ),
            "associated_contacts": _associated(
                "contacts", f"{name} are associated with no contact: none counts as follow-up"
            ),
        },
        without=f"{name} logged in HubSpot do not count as follow-up",
    )


HUBSPOT_EXPORTS: tuple[ExportSpec, ...] = (
    _hubspot(
        "owners",
        "HubSpot owners (users); their primary team decides who is sales and who is marketing.",
        {
            **_crm_audit(),
            "email": optional("VARCHAR", NO_EFFECT),
            "firstName": optional("VARCHAR", "owners have no names"),
            "lastName": optional("VARCHAR", "owners have no names"),
            "teams": optional("JSON", "no owner is in a team: nobody counts as sales or marketing"),
        },
        freshness_column=None,
    ),
    _hubspot(
        "contacts",
        "HubSpot contacts: the leads.",
        {
            **_crm_audit(created=required(TIMESTAMP)),
            **_properties(
                email=("VARCHAR", "form submissions and email events link to no contact"),
                company=("VARCHAR", _SHOWN_EMPTY),
                jobtitle=("VARCHAR", "contacts have no job title: none has budget authority"),
                associatedcompanyid=(
                    "VARCHAR",
                    "contacts have no company: no company size, so none meets the employee "
                    "criterion",
                ),
                lifecyclestage=("VARCHAR", _SHOWN_EMPTY),
                hs_lifecyclestage_marketingqualifiedlead_date=(
                    TIMESTAMP,
                    "HubSpot's MQL date is unknown: lifecycle stage signal rules match nothing",
                ),
                hs_lifecyclestage_salesqualifiedlead_date=(
                    TIMESTAMP,
                    "HubSpot's SQL date is unknown: lifecycle stage signal rules match nothing",
                ),
                hs_lead_status=(
                    "VARCHAR",
                    "every contact counts as open: none as worked, nurtured or disqualified",
                ),
                hubspot_owner_id=("VARCHAR", "contacts have no owner: none is assigned to sales"),
                hs_analytics_source=(
                    "VARCHAR",
                    "contacts get no channel from their original source",
                ),
            ),
            "lead_status_history": optional(
                "JSON",
                "no lead status history: recycles and hand-offs come from the current status",
                path="propertiesWithHistory.hs_lead_status",
            ),
            "owner_history": optional(
                "JSON",
                "no owner history: hand-offs to sales come from the current owner",
                path="propertiesWithHistory.hubspot_owner_id",
            ),
        },
        person_columns=("id",),
        mapped_fields={
            "disqualification_reason": optional(
                "VARCHAR",
                "no reason property mapped: disqualified contacts read 'no reason given'",
            )
        },
    ),
    _hubspot(
        "companies",
        "HubSpot companies: the size of a contact's company.",
        {
            **_crm_audit(),
            **_properties(
                name=("VARCHAR", _SHOWN_EMPTY),
                numberofemployees=(
                    "BIGINT",
                    "companies have no size: no contact meets the employee criterion",
                ),
            ),
        },
        without="contacts have no company size: none meets the employee criterion",
    ),
    _hubspot(
        "deal_pipelines",
        "HubSpot deal pipelines with their stages; a stage's metadata says closed and won.",
        {
            **_crm_audit(),
            "label": optional("VARCHAR", _SHOWN_EMPTY),
            "displayOrder": optional("INTEGER", NO_EFFECT),
            "stages": required("JSON"),
        },
        freshness_column=None,
    ),
    _hubspot(
        "deals",
        "HubSpot deals: the opportunities, with their amount in their own currency.",
        {
            **_crm_audit(created=required(TIMESTAMP)),
            **_properties(
                dealname=("VARCHAR", _SHOWN_EMPTY),
                amount=("DECIMAL(18, 2)", "deals have no amount: no pipeline value"),
                deal_currency_code=(
                    "VARCHAR",
                    "amounts are taken in the company currency (source_mapping.yml, "
                    "hubspot.currency)",
                ),
                pipeline=("VARCHAR", "deal stages are looked up by stage id alone"),
                dealstage=("VARCHAR", "deals have no stage: none counts as won or lost"),
                closedate=(
                    TIMESTAMP,
                    "deals have no close date: their amounts get no dated exchange rate",
                ),
                hs_analytics_source=(
                    "VARCHAR",
                    "deals not associated with a contact get no channel from their source",
                ),
                hubspot_owner_id=("VARCHAR", _SHOWN_EMPTY),
            ),
            "associated_contacts": _associated(
                "contacts", "deals are associated with no contact: no contact counts as converted"
            ),
            "associated_companies": _associated("companies", _SHOWN_EMPTY),
        },
    ),
    _engagement("calls", "Calls logged in HubSpot: contact attempts."),
    _engagement(
        "emails",
        "Emails logged in HubSpot (sales emails, not marketing emails).",
        hs_email_direction=("VARCHAR", "every logged email counts as outgoing"),
    ),
    _engagement(
        "meetings",
        "Meetings in HubSpot, logged by sales or booked by the contact through a meetings link.",
        hs_meeting_source=("VARCHAR", "no meeting counts as booked by the contact"),
        hs_meeting_outcome=("VARCHAR", NO_EFFECT),
    ),
    _engagement("tasks", "Tasks in HubSpot (to-dos, call and email tasks)."),
    _hubspot(
        "forms",
        "HubSpot forms (Forms API): the names the form signal rules match.",
        {**_crm_audit(), "name": optional("VARCHAR", "form rules by name match nothing")},
        without="form submissions have no form name: form rules by name match nothing",
        freshness_column=None,
    ),
    _hubspot(
        "form_submissions",
        "Form submissions (Form Integrations API), each with the form it was made on.",
        {
            "formId": required("VARCHAR"),
            "submittedAt": required(TIMESTAMP),
            "pageUrl": optional("VARCHAR", NO_EFFECT),
            "email": optional(
                "VARCHAR",
                "submissions without an email field link to no contact",
                path="values[name=email].value",
            ),
        },
        key="conversionId",
        without="no form submissions: no demo requests, information requests or other form signals",
        freshness_column="submittedAt",
        version_column=None,
    ),
    _hubspot(
        "email_events",
        "Marketing email events (Email Events API): sends, opens, clicks.",
        {
            "created": required(TIMESTAMP),
            "type": required("VARCHAR"),
            "recipient": optional("VARCHAR", "email events link to no contact"),
            "emailCampaignId": optional("VARCHAR", NO_EFFECT),
        },
        without="no email events: no email clicks as signals",
        freshness_column="created",
        version_column=None,
    ),
    _hubspot(
        "page_views",
        "Page views of contacts (web analytics Events API, event type e_visited_page).",
        {
            "objectType": optional("VARCHAR", NO_EFFECT),
            "objectId": required("VARCHAR"),
            "occurredAt": required(TIMESTAMP),
            "hs_url": _property("VARCHAR", "page view rules match nothing", "hs_url"),
        },
        without="no page views: page view signals (product pages) match nothing",
        freshness_column="occurredAt",
        version_column=None,
        person_columns=("objectId",),
    ),
    _hubspot(
        "exchange_rates",
        "Dated exchange rates of the portal's currencies (Currencies API): units of the "
        "company currency per one unit of another currency, from `effectiveAt`.",
        {
            "fromCurrencyCode": required("VARCHAR"),
            "toCurrencyCode": required("VARCHAR"),
            "conversionRate": required("DECIMAL(18, 9)"),
            "effectiveAt": required(TIMESTAMP),
            "createdAt": optional(TIMESTAMP, NO_EFFECT),
            "updatedAt": optional(TIMESTAMP, _NEWEST_BY_FILE_ORDER),
        },
        without="no dated exchange rates: only amounts in the corporate currency (or the "
        "company currency with a fixed rate) get a EUR value",
        freshness_column=None,
    ),
    _hubspot(
        "campaigns",
        "Marketing campaigns (Campaigns API) with the spend recorded on them.",
        {
            "createdAt": optional(TIMESTAMP, NO_EFFECT),
            "updatedAt": optional(TIMESTAMP, _NEWEST_BY_FILE_ORDER),
            **_properties(
                hs_name=("VARCHAR", _SHOWN_EMPTY),
                hs_start_date=("DATE", "campaign spend is dated by the campaign's creation"),
                hs_spend_items_sum_amount=(
                    "DECIMAL(18, 2)",
                    "campaigns have no spend: source_performance has no cost",
                ),
                hs_currency_code=(
                    "VARCHAR",
                    "spend is taken in the company currency (source_mapping.yml, hubspot.currency)",
                ),
            ),
        },
        without="no campaign spend in source_performance",
    ),
)
