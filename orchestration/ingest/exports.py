"""The landing contract: which export files exist and which columns the warehouse needs.

Columns listed here are required and typed; any other column in a file is kept as
text, so an org's extra fields reach the raw layer untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

SALESFORCE_DATETIME = "TIMESTAMPTZ"


@dataclass(frozen=True)
class ExportSpec:
    source: str
    table: str
    relative_path: str
    columns: dict[str, str]
    description: str
    # The column that says how recent the export is; None for reference data that
    # legitimately stays unchanged for months.
    freshness_column: str | None = "SystemModstamp"
    # Which of two rows with the same key is newer; None for records that never change.
    version_column: str | None = "SystemModstamp"
    # Columns holding the id of a person (lead, contact, Marketo person): an erased
    # person's rows are found through them.
    person_columns: tuple[str, ...] = ()

    @property
    def asset_key_path(self) -> list[str]:
        return [self.source, self.table]

    @property
    def object_name(self) -> str:
        """The exported object, e.g. `Lead` for `salesforce/Lead.csv`."""
        return self.relative_path.rsplit("/", 1)[-1].removesuffix(".csv")

    @property
    def key_column(self) -> str:
        """The record key: the first column of the contract."""
        return next(iter(self.columns))


def _salesforce(
    sobject: str,
    table: str,
    description: str,
    freshness_column: str | None = "SystemModstamp",
    version_column: str | None = "SystemModstamp",
    person_columns: tuple[str, ...] = (),
    **columns: str,
) -> ExportSpec:
    return ExportSpec(
        source="salesforce",
        table=table,
        relative_path=f"salesforce/{sobject}.csv",
        columns={"Id": "VARCHAR", **columns},
        description=description,
        freshness_column=freshness_column,
        version_column=version_column,
        person_columns=person_columns,
    )


_AUDIT = {"CreatedDate": SALESFORCE_DATETIME, "SystemModstamp": SALESFORCE_DATETIME}
_SOFT_DELETE = {"IsDeleted": "BOOLEAN"}

EXPORTS: tuple[ExportSpec, ...] = (
    _salesforce(
        "User",
        "user",
        "Salesforce users; the team attribute decides who is sales and who is marketing.",
        FirstName="VARCHAR",
        LastName="VARCHAR",
        IsActive="BOOLEAN",
        **_AUDIT,
    ),
    _salesforce(
        "Account",
        "account",
        "Salesforce accounts (companies).",
        Name="VARCHAR",
        NumberOfEmployees="BIGINT",
        OwnerId="VARCHAR",
        **_AUDIT,
        **_SOFT_DELETE,
    ),
    _salesforce(
        "Lead",
        "lead",
        "Salesforce leads, converted ones included.",
        person_columns=("Id", "ConvertedContactId"),
        Email="VARCHAR",
        Company="VARCHAR",
        Title="VARCHAR",
        NumberOfEmployees="BIGINT",
        LeadSource="VARCHAR",
        Status="VARCHAR",
        OwnerId="VARCHAR",
        IsConverted="BOOLEAN",
        ConvertedDate="DATE",
        ConvertedOpportunityId="VARCHAR",
        ConvertedContactId="VARCHAR",
        ConvertedAccountId="VARCHAR",
        **_AUDIT,
        **_SOFT_DELETE,
    ),
    _salesforce(
        "LeadHistory",
        "lead_history",
        "Field history of leads (Owner and Status changes): the hand-offs between teams.",
        person_columns=("LeadId",),
        freshness_column="CreatedDate",
        version_column=None,
        LeadId="VARCHAR",
        Field="VARCHAR",
        OldValue="VARCHAR",
        NewValue="VARCHAR",
        CreatedDate=SALESFORCE_DATETIME,
        **_SOFT_DELETE,
    ),
    _salesforce(
        "Contact",
        "contact",
        "Salesforce contacts; converted leads become contacts.",
        person_columns=("Id",),
        AccountId="VARCHAR",
        Email="VARCHAR",
        OwnerId="VARCHAR",
        **_AUDIT,
        **_SOFT_DELETE,
    ),
    _salesforce(
        "Opportunity",
        "opportunity",
        "Salesforce opportunities with amount in their own currency.",
        AccountId="VARCHAR",
        Name="VARCHAR",
        Amount="DECIMAL(18, 2)",
        CurrencyIsoCode="VARCHAR",
        StageName="VARCHAR",
        CloseDate="DATE",
        IsClosed="BOOLEAN",
        IsWon="BOOLEAN",
        LeadSource="VARCHAR",
        CampaignId="VARCHAR",
        OwnerId="VARCHAR",
        **_AUDIT,
        **_SOFT_DELETE,
    ),
    _salesforce(
        "OpportunityHistory",
        "opportunity_history",
        "Stage changes of opportunities.",
        OpportunityId="VARCHAR",
        StageName="VARCHAR",
        Amount="DECIMAL(18, 2)",
        CloseDate="DATE",
        **_AUDIT,
        **_SOFT_DELETE,
    ),
    _salesforce(
        "Task",
        "task",
        "Logged calls, emails and to-dos; the follow-up trail of a lead.",
        person_columns=("WhoId",),
        WhoId="VARCHAR",
        WhatId="VARCHAR",
        OwnerId="VARCHAR",
        Subject="VARCHAR",
        TaskSubtype="VARCHAR",
        Type="VARCHAR",
        Status="VARCHAR",
        ActivityDate="DATE",
        **_AUDIT,
        **_SOFT_DELETE,
    ),
    _salesforce(
        "Event",
        "event",
        "Meetings booked with a lead or contact.",
        person_columns=("WhoId",),
        WhoId="VARCHAR",
        WhatId="VARCHAR",
        OwnerId="VARCHAR",
        Subject="VARCHAR",
        Type="VARCHAR",
        StartDateTime=SALESFORCE_DATETIME,
        **_AUDIT,
        **_SOFT_DELETE,
    ),
    _salesforce(
        "Campaign",
        "campaign",
        "Marketing campaigns with their actual cost.",
        Name="VARCHAR",
        Type="VARCHAR",
        StartDate="DATE",
        ActualCost="DECIMAL(18, 2)",
        CurrencyIsoCode="VARCHAR",
        **_AUDIT,
        **_SOFT_DELETE,
    ),
    _salesforce(
        "CampaignMember",
        "campaign_member",
        "Which lead or contact responded to which campaign.",
        person_columns=("LeadId", "ContactId"),
        CampaignId="VARCHAR",
        LeadId="VARCHAR",
        ContactId="VARCHAR",
        **_AUDIT,
        **_SOFT_DELETE,
    ),
    _salesforce(
        "DatedConversionRate",
        "dated_conversion_rate",
        "Units of a currency per 1 EUR, per validity period (advanced currency management).",
        freshness_column=None,
        version_column=None,
        IsoCode="VARCHAR",
        ConversionRate="DECIMAL(18, 9)",
        StartDate="DATE",
        NextStartDate="DATE",
    ),
    ExportSpec(
        source="marketo",
        table="leads",
        relative_path="marketing/leads.csv",
        columns={
            "id": "BIGINT",
            "email": "VARCHAR",
            "sfdcLeadId": "VARCHAR",
            "sfdcContactId": "VARCHAR",
            "createdAt": "TIMESTAMPTZ",
            "updatedAt": "TIMESTAMPTZ",
        },
        description="Marketo persons (bulk lead export) with their Salesforce ids and email.",
        person_columns=("id", "sfdcLeadId", "sfdcContactId"),
        freshness_column="updatedAt",
        version_column="updatedAt",
    ),
    ExportSpec(
        source="marketo",
        table="activity_types",
        relative_path="marketing/activity_types.csv",
        columns={"id": "INTEGER", "name": "VARCHAR"},
        description="Marketo activity type catalogue.",
        freshness_column=None,
        version_column=None,
    ),
    ExportSpec(
        source="marketo",
        table="activities",
        relative_path="marketing/activities.csv",
        columns={
            "marketoGUID": "VARCHAR",
            "leadId": "BIGINT",
            "activityDate": "TIMESTAMPTZ",
            "activityTypeId": "INTEGER",
            "campaignId": "BIGINT",
            "primaryAttributeValue": "VARCHAR",
            "attributes": "VARCHAR",
        },
        description="Marketo bulk activity export: page views, forms, email clicks, webinars.",
        person_columns=("leadId",),
        freshness_column="activityDate",
        version_column=None,
    ),
)
