"""The landing contract: which export files exist and which columns the warehouse needs.

Real organisations export what an admin chose to export. An object or column is
required only where no shared KPI exists without it; everything else is optional. A
missing optional export loads as an empty table and a missing optional column as
nulls, and each says what it limits (`ExportSpec.without`, `Column.without`) so the
run can tell the user what they got. A file that is present but broken still fails.

Columns listed here are typed; any other column in a file is kept as text, so an
org's extra fields reach the raw layer untouched. Salesforce and Marketo are listed
here, HubSpot in hubspot_exports.py; the classes are in contract.py.
"""

from __future__ import annotations

from collections.abc import Mapping

from orchestration.ingest.contract import (
    NO_EFFECT,
    Column,
    ExportSpec,
    OrgFields,
    optional,
    required,
)
from orchestration.ingest.hubspot_exports import HUBSPOT_EXPORTS

__all__ = ["EXPORTS", "NO_EFFECT", "Column", "ExportSpec", "OrgFields"]

SALESFORCE_DATETIME = "TIMESTAMPTZ"


def _salesforce(
    sobject: str,
    table: str,
    description: str,
    without: str | None = None,
    freshness_column: str | None = "SystemModstamp",
    version_column: str | None = "SystemModstamp",
    person_columns: tuple[str, ...] = (),
    mapped_fields: Mapping[str, Column] | None = None,
    signal_fields_column: str | None = None,
    **columns: Column,
) -> ExportSpec:
    return ExportSpec(
        source="salesforce",
        table=table,
        relative_path=f"salesforce/{sobject}.csv",
        columns={"Id": required("VARCHAR"), **columns},
        description=description,
        without=without,
        freshness_column=freshness_column,
        version_column=version_column,
        person_columns=person_columns,
        mapped_fields=mapped_fields or {},
        signal_fields_column=signal_fields_column,
    )


_NEWEST_BY_FILE_ORDER = "of two versions of a record, the later file and row wins"
_NONE_DELETED = "no record counts as deleted"
_UNUSED = NO_EFFECT
_AUDIT = {
    "CreatedDate": optional(SALESFORCE_DATETIME, _UNUSED),
    "SystemModstamp": optional(SALESFORCE_DATETIME, _NEWEST_BY_FILE_ORDER),
}
_SOFT_DELETE = {"IsDeleted": optional("BOOLEAN", _NONE_DELETED)}
_ORG_CURRENCY = "amounts are taken in the org currency (source_mapping.yml, salesforce.currency)"
_SHOWN_EMPTY = "shown empty in the marts"
# Without either Marketo export, no Marketo activity reaches a lead.
_NO_MARKETO = (
    "no Marketo activity credits a lead: MQL, SQL and intent come from the CRM signal "
    "rules only, and content influence is empty"
)

_SALESFORCE_AND_MARKETO: tuple[ExportSpec, ...] = (
    _salesforce(
        "User",
        "user",
        "Salesforce users; the team attribute decides who is sales and who is marketing.",
        mapped_fields={"team_attribute": required("VARCHAR")},
        # The display name is Name, else FirstName and LastName.
        Name=optional("VARCHAR", _UNUSED),
        FirstName=optional("VARCHAR", _UNUSED),
        LastName=optional("VARCHAR", _UNUSED),
        IsActive=optional("BOOLEAN", _UNUSED),
        **_AUDIT,
    ),
    _salesforce(
        "Account",
        "account",
        "Salesforce accounts (companies).",
        without=_UNUSED,
        Name=optional("VARCHAR", _UNUSED),
        NumberOfEmployees=optional("BIGINT", _UNUSED),
        OwnerId=optional("VARCHAR", _UNUSED),
        **_AUDIT,
        **_SOFT_DELETE,
    ),
    _salesforce(
        "Lead",
        "lead",
        "Salesforce leads, converted ones included.",
        person_columns=("Id", "ConvertedContactId"),
        mapped_fields={
            "disqualification_reason": optional(
                "VARCHAR", "no reason field mapped: disqualified leads read 'no reason given'"
            )
        },
        signal_fields_column="crm_signal_fields",
        Email=optional("VARCHAR", "Marketo people link to leads by Salesforce id only"),
        Company=optional("VARCHAR", _SHOWN_EMPTY),
        Title=required("VARCHAR"),
        NumberOfEmployees=required("BIGINT"),
        LeadSource=required("VARCHAR"),
        Status=required("VARCHAR"),
        OwnerId=required("VARCHAR"),
        IsConverted=required("BOOLEAN"),
        ConvertedDate=optional("DATE", _UNUSED),
        ConvertedOpportunityId=required("VARCHAR"),
        ConvertedContactId=optional(
            "VARCHAR",
            "sales activity and Marketo activity on the converted contact do not count "
            "for the lead",
        ),
        ConvertedAccountId=optional("VARCHAR", _UNUSED),
        CreatedDate=required(SALESFORCE_DATETIME),
        SystemModstamp=optional(SALESFORCE_DATETIME, _NEWEST_BY_FILE_ORDER),
        **_SOFT_DELETE,
    ),
    _salesforce(
        "LeadHistory",
        "lead_history",
        "Field history of leads (Owner and Status changes): the hand-offs between teams.",
        without=(
            "no field history: lead_ownership reads hand-offs and recycles from the "
            "current status and owner, every contact attempt counts before a "
            "disqualification, and stage_durations has each lead's status now as its "
            "only stay"
        ),
        person_columns=("LeadId",),
        freshness_column="CreatedDate",
        version_column=None,
        LeadId=required("VARCHAR"),
        Field=required("VARCHAR"),
        OldValue=required("VARCHAR"),
        NewValue=required("VARCHAR"),
        CreatedDate=required(SALESFORCE_DATETIME),
        **_SOFT_DELETE,
    ),
    _salesforce(
        "Contact",
        "contact",
        "Salesforce contacts; converted leads become contacts.",
        without=_UNUSED,
        person_columns=("Id",),
        AccountId=optional("VARCHAR", _UNUSED),
        Email=optional("VARCHAR", _UNUSED),
        OwnerId=optional("VARCHAR", _UNUSED),
        **_AUDIT,
        **_SOFT_DELETE,
    ),
    _salesforce(
        "Opportunity",
        "opportunity",
        "Salesforce opportunities with amount in their own currency.",
        AccountId=optional("VARCHAR", _SHOWN_EMPTY),
        Name=optional("VARCHAR", _SHOWN_EMPTY),
        Amount=required("DECIMAL(18, 2)"),
        CurrencyIsoCode=optional("VARCHAR", _ORG_CURRENCY),
        StageName=optional("VARCHAR", _SHOWN_EMPTY),
        CloseDate=required("DATE"),
        IsClosed=required("BOOLEAN"),
        IsWon=required("BOOLEAN"),
        LeadSource=optional(
            "VARCHAR", "opportunities not converted from a lead get no channel from LeadSource"
        ),
        CampaignId=optional(
            "VARCHAR", "opportunities not converted from a lead get no channel from a campaign"
        ),
        OwnerId=optional("VARCHAR", _SHOWN_EMPTY),
        CreatedDate=required(SALESFORCE_DATETIME),
        SystemModstamp=optional(SALESFORCE_DATETIME, _NEWEST_BY_FILE_ORDER),
        **_SOFT_DELETE,
    ),
    _salesforce(
        "OpportunityHistory",
        "opportunity_history",
        "Stage, amount and close-date changes of opportunities: the pipeline week by week.",
        without=(
            "no pipeline history: pipeline_snapshots, pipeline_movement and the "
            "opportunities' stage_durations are empty"
        ),
        OpportunityId=required("VARCHAR"),
        StageName=required("VARCHAR"),
        Amount=optional("DECIMAL(18, 2)", "pipeline snapshots and movement have no amounts"),
        CloseDate=optional("DATE", "no deal counts as slipped or past its close date"),
        CreatedDate=required(SALESFORCE_DATETIME),
        SystemModstamp=optional(SALESFORCE_DATETIME, _NEWEST_BY_FILE_ORDER),
        **_SOFT_DELETE,
    ),
    _salesforce(
        "Task",
        "task",
        "Logged calls, emails and to-dos; the follow-up trail of a lead.",
        without="calls and emails logged as tasks do not count as follow-up",
        person_columns=("WhoId",),
        WhoId=required("VARCHAR"),
        WhatId=optional("VARCHAR", _UNUSED),
        OwnerId=required("VARCHAR"),
        Subject=optional("VARCHAR", _UNUSED),
        TaskSubtype=optional("VARCHAR", _UNUSED),
        Type=optional("VARCHAR", _UNUSED),
        Status=optional("VARCHAR", _UNUSED),
        ActivityDate=optional("DATE", _UNUSED),
        CreatedDate=required(SALESFORCE_DATETIME),
        SystemModstamp=optional(SALESFORCE_DATETIME, _NEWEST_BY_FILE_ORDER),
        **_SOFT_DELETE,
    ),
    _salesforce(
        "Event",
        "event",
        "Meetings booked with a lead or contact.",
        without="meetings logged as events do not count as follow-up",
        person_columns=("WhoId",),
        WhoId=required("VARCHAR"),
        WhatId=optional("VARCHAR", _UNUSED),
        OwnerId=required("VARCHAR"),
        Subject=optional("VARCHAR", _UNUSED),
        Type=optional("VARCHAR", _UNUSED),
        StartDateTime=optional(SALESFORCE_DATETIME, _UNUSED),
        CreatedDate=required(SALESFORCE_DATETIME),
        SystemModstamp=optional(SALESFORCE_DATETIME, _NEWEST_BY_FILE_ORDER),
        **_SOFT_DELETE,
    ),
    _salesforce(
        "Campaign",
        "campaign",
        "Marketing campaigns with their actual cost.",
        without=("no campaign costs in source_performance, and no channel from a campaign's type"),
        Name=optional("VARCHAR", _SHOWN_EMPTY),
        Type=required("VARCHAR"),
        StartDate=required("DATE"),
        ActualCost=optional("DECIMAL(18, 2)", "source_performance has no campaign cost"),
        CurrencyIsoCode=optional("VARCHAR", _ORG_CURRENCY),
        **_AUDIT,
        **_SOFT_DELETE,
    ),
    _salesforce(
        "CampaignMember",
        "campaign_member",
        "Which lead or contact responded to which campaign.",
        without="leads have no first campaign, and no campaign-response signals",
        person_columns=("LeadId", "ContactId"),
        CampaignId=required("VARCHAR"),
        LeadId=required("VARCHAR"),
        ContactId=optional(
            "VARCHAR", "campaign responses of a converted lead's contact do not count"
        ),
        Status=optional("VARCHAR", "campaign-response rules on a member status match nothing"),
        HasResponded=optional("BOOLEAN", "every campaign member counts as a response"),
        FirstRespondedDate=optional("DATE", "a response counts when the member was added"),
        CreatedDate=required(SALESFORCE_DATETIME),
        SystemModstamp=optional(SALESFORCE_DATETIME, _NEWEST_BY_FILE_ORDER),
        **_SOFT_DELETE,
    ),
    _salesforce(
        "DatedConversionRate",
        "dated_conversion_rate",
        "Units of a currency per 1 EUR, per validity period (advanced currency management).",
        without=(
            "no dated exchange rates: only amounts in the corporate currency (or the org "
            "currency with a fixed rate) get a EUR value"
        ),
        freshness_column=None,
        version_column=None,
        IsoCode=required("VARCHAR"),
        ConversionRate=required("DECIMAL(18, 9)"),
        StartDate=required("DATE"),
        NextStartDate=required("DATE"),
    ),
    ExportSpec(
        source="marketo",
        table="leads",
        relative_path="marketing/leads.csv",
        columns={
            "id": required("BIGINT"),
            "email": optional("VARCHAR", "Marketo people link to leads by Salesforce ids only"),
            "sfdcLeadId": optional("VARCHAR", "Marketo people link to leads by contact or email"),
            "sfdcContactId": optional("VARCHAR", "Marketo people link to leads by lead or email"),
            "createdAt": optional("TIMESTAMPTZ", _UNUSED),
            "updatedAt": optional("TIMESTAMPTZ", _NEWEST_BY_FILE_ORDER),
        },
        description="Marketo persons (bulk lead export) with their Salesforce ids and email.",
        without=_NO_MARKETO,
        person_columns=("id", "sfdcLeadId", "sfdcContactId"),
        freshness_column="updatedAt",
        version_column="updatedAt",
    ),
    ExportSpec(
        source="marketo",
        table="activity_types",
        relative_path="marketing/activity_types.csv",
        columns={"id": required("INTEGER"), "name": required("VARCHAR")},
        description="Marketo activity type catalogue.",
        without=_UNUSED,
        freshness_column=None,
        version_column=None,
    ),
    ExportSpec(
        source="marketo",
        table="activities",
        relative_path="marketing/activities.csv",
        columns={
            "marketoGUID": required("VARCHAR"),
            "leadId": required("BIGINT"),
            "activityDate": required("TIMESTAMPTZ"),
            "activityTypeId": required("INTEGER"),
            "campaignId": optional("BIGINT", _UNUSED),
            "primaryAttributeValue": required("VARCHAR"),
            "attributes": optional("VARCHAR", "webinar status and minutes attended are unknown"),
        },
        description="Marketo bulk activity export: page views, forms, email clicks, webinars.",
        without=_NO_MARKETO,
        person_columns=("leadId",),
        freshness_column="activityDate",
        version_column=None,
    ),
)

EXPORTS: tuple[ExportSpec, ...] = (*_SALESFORCE_AND_MARKETO, *HUBSPOT_EXPORTS)
