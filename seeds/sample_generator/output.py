"""The export files a generator writes, row by row, knowing each row's line number."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path


class CsvSink:
    """A CSV file written row by row that knows the physical line number of each row."""

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fh = path.open("w", encoding="utf-8", newline="", buffering=1 << 20)
        self._writer = csv.writer(self, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        self.lines = 0
        self.rows = 0
        self._writer.writerow(header)

    def write(self, text: str) -> int:
        # csv.writer calls this once per row; counting here also catches quoted newlines
        self.lines += text.count("\n")
        return self._fh.write(text)

    def row(self, values: Sequence[object]) -> int:
        line = self.lines + 1
        self._writer.writerow(values)
        self.rows += 1
        return line

    def raw_line(self, text: str) -> int:
        line = self.lines + 1
        self.write(text + "\n")
        self.rows += 1
        return line

    def close(self) -> None:
        self._fh.close()


HEADERS = {
    "salesforce/User.csv": "Id,Username,FirstName,LastName,Email,Department,Title,IsActive,"
    "CreatedDate,SystemModstamp",
    "salesforce/Account.csv": "Id,Name,NumberOfEmployees,Industry,BillingCountry,OwnerId,"
    "CreatedDate,IsDeleted,SystemModstamp",
    "salesforce/Lead.csv": "Id,FirstName,LastName,Email,Phone,Company,Title,NumberOfEmployees,"
    "LeadSource,Status,OwnerId,CreatedDate,IsConverted,ConvertedDate,ConvertedOpportunityId,"
    "ConvertedContactId,ConvertedAccountId,IsDeleted,SystemModstamp,Disqualified_Reason__c,"
    "Industry,Country",
    "salesforce/LeadHistory.csv": "Id,LeadId,Field,OldValue,NewValue,CreatedDate,IsDeleted",
    "salesforce/Contact.csv": "Id,AccountId,FirstName,LastName,Email,Phone,Title,LeadSource,"
    "OwnerId,CreatedDate,IsDeleted,SystemModstamp",
    "salesforce/Opportunity.csv": "Id,AccountId,Name,Amount,CurrencyIsoCode,StageName,"
    "Probability,CreatedDate,CloseDate,IsClosed,IsWon,LeadSource,CampaignId,OwnerId,IsDeleted,"
    "SystemModstamp",
    "salesforce/OpportunityHistory.csv": "Id,OpportunityId,CreatedDate,StageName,Amount,"
    "CloseDate,Probability,IsDeleted,SystemModstamp",
    "salesforce/Task.csv": "Id,WhoId,WhatId,OwnerId,Subject,TaskSubtype,Type,Status,CreatedDate,"
    "ActivityDate,CallDurationInSeconds,IsDeleted,SystemModstamp",
    "salesforce/Event.csv": "Id,WhoId,WhatId,OwnerId,Subject,Type,StartDateTime,EndDateTime,"
    "CreatedDate,IsDeleted,SystemModstamp",
    "salesforce/Campaign.csv": "Id,Name,Type,Status,StartDate,EndDate,BudgetedCost,ActualCost,"
    "CurrencyIsoCode,IsActive,CreatedDate,IsDeleted,SystemModstamp",
    "salesforce/CampaignMember.csv": "Id,CampaignId,LeadId,ContactId,Status,HasResponded,"
    "CreatedDate,FirstRespondedDate,IsDeleted,SystemModstamp",
    "salesforce/DatedConversionRate.csv": "Id,IsoCode,ConversionRate,StartDate,NextStartDate",
    "marketing/leads.csv": "id,email,sfdcLeadId,sfdcContactId,firstName,lastName,company,"
    "createdAt,updatedAt",
    "marketing/activity_types.csv": "id,name,description,primaryAttribute",
    "marketing/activities.csv": "marketoGUID,leadId,activityDate,activityTypeId,campaignId,"
    "primaryAttributeValueId,primaryAttributeValue,attributes",
}
LEAD_COLUMNS = HEADERS["salesforce/Lead.csv"].split(",")
LEAD_COLUMN_INDEX = {name: i for i, name in enumerate(LEAD_COLUMNS)}
MARKETO_LEAD_COLUMNS = HEADERS["marketing/leads.csv"].split(",")


def export_path(root: Path, name: str, day: date | None) -> Path:
    """`salesforce/Lead.csv`, or for a later day's export `salesforce/Lead/<day>.csv`, which
    the loader reads together with the full export."""
    if day is None:
        return root / name
    return root / name.removesuffix(".csv") / f"{day.isoformat()}.csv"


class Output:
    """All output files, open at once so each lead's rows can be streamed out together."""

    def __init__(self, root: Path, day: date | None = None) -> None:
        self.sinks = {
            name: CsvSink(export_path(root, name, day), header.split(","))
            for name, header in HEADERS.items()
        }
        s = self.sinks
        self.user, self.account = s["salesforce/User.csv"], s["salesforce/Account.csv"]
        self.lead, self.contact = s["salesforce/Lead.csv"], s["salesforce/Contact.csv"]
        self.lead_history = s["salesforce/LeadHistory.csv"]
        self.opp = s["salesforce/Opportunity.csv"]
        self.opp_history = s["salesforce/OpportunityHistory.csv"]
        self.task, self.event = s["salesforce/Task.csv"], s["salesforce/Event.csv"]
        self.campaign = s["salesforce/Campaign.csv"]
        self.member = s["salesforce/CampaignMember.csv"]
        self.rates = s["salesforce/DatedConversionRate.csv"]
        self.mkto_lead = s["marketing/leads.csv"]
        self.activity_types = s["marketing/activity_types.csv"]
        self.activity = s["marketing/activities.csv"]

    def close(self) -> None:
        for sink in self.sinks.values():
            sink.close()
