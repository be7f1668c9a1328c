"""What the generator plans for a lead before writing it: seeds, people, activities,
touches, sales and opportunity plans, and the stats it reports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from sample_generator.dimensions import Campaign, User
from sample_generator.formats import sf_dt
from sample_generator.output import LEAD_COLUMN_INDEX, LEAD_COLUMNS
from sample_generator.reference import Country, SourceProfile


@dataclass(frozen=True, slots=True)
class LeadSeed:
    created: datetime
    source: str
    anchor: Campaign | None  # campaign whose date fixed the lead's creation (webinar, show...)


@dataclass(slots=True)
class Person:
    first: str
    last: str
    email: str
    phone: str
    company: str
    country: Country
    industry: str
    product: str  # what they browse and, if they buy, what the opportunity is for
    title: str = ""
    employees: int | None = None


@dataclass(slots=True)
class Activity:
    at: datetime
    type_id: int
    value: str
    value_id: int
    campaign_id: int | None
    attributes: dict


@dataclass(slots=True)
class WebinarSignup:
    campaign: Campaign
    registered_at: datetime
    attended: bool


@dataclass(slots=True)
class Touch:
    at: datetime
    owner: User
    kind: str  # "Call" or "Email"
    subject: str


@dataclass(slots=True)
class SalesPlan:
    status: str = "Open - Not Contacted"
    reason: str = ""
    owner: User | None = None
    touches: list[Touch] = field(default_factory=list)
    first_touch: datetime | None = None
    decided_at: datetime | None = None
    converted_at: datetime | None = None
    deleted_at: datetime | None = None


@dataclass(slots=True)
class OppPlan:
    history: list[tuple[datetime, str, int, date]]  # at, stage, amount, close date
    won: bool


@dataclass(slots=True)
class Stats:
    month_leads: Counter = field(default_factory=Counter)
    month_ready: Counter = field(default_factory=Counter)
    old: Counter = field(default_factory=Counter)
    status_old: Counter = field(default_factory=Counter)
    touch: Counter = field(default_factory=Counter)
    owners: Counter = field(default_factory=Counter)
    source: Counter = field(default_factory=Counter)
    opps: Counter = field(default_factory=Counter)
    history: Counter = field(default_factory=Counter)
    sf_activities: int = 0
    sf_persons: int = 0
    messy: list[tuple[str, int, str]] = field(default_factory=list)  # file, line, detail

    def add(self, shard: Stats, line_offsets: dict[str, int]) -> None:
        """Count a shard's numbers in; its messy rows move down by the lines before its part."""
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(shard, f.name)
            if f.name == "messy":
                mine.extend((name, line + line_offsets[name], what) for name, line, what in theirs)
            elif isinstance(mine, Counter):
                mine.update(theirs)
            else:
                setattr(self, f.name, mine + theirs)


@dataclass(slots=True)
class KnownLead:
    """An existing lead the next day's export changes, with what that change needs."""

    row: list  # its Lead.csv row
    person: Person
    profile: SourceProfile
    ready: bool
    owner: User
    person_row: list  # its Marketo person row


def lead_row(
    lead_id: str,
    p: Person,
    source: str,
    status: str,
    owner: User | None,
    created: datetime,
    changed: datetime,
) -> list:
    """A Lead.csv row of a lead that is not converted, deleted or disqualified."""
    values = dict.fromkeys(LEAD_COLUMNS, "")
    values |= {
        "Id": lead_id,
        "FirstName": p.first,
        "LastName": p.last,
        "Email": p.email,
        "Phone": p.phone,
        "Company": p.company,
        "Title": p.title,
        "NumberOfEmployees": p.employees,
        "LeadSource": source,
        "Status": status,
        "OwnerId": owner.id if owner else "",
        "CreatedDate": sf_dt(created),
        "IsConverted": "false",
        "IsDeleted": "false",
        "SystemModstamp": sf_dt(changed),
        "Industry": p.industry,
        "Country": p.country.name,
    }
    return list(values.values())


def set_lead_fields(row: list, **values: object) -> None:
    for name, value in values.items():
        row[LEAD_COLUMN_INDEX[name]] = value


def lead_field(row: list, name: str) -> object:
    return row[LEAD_COLUMN_INDEX[name]]


@dataclass(frozen=True, slots=True)
class Plants:
    """Where the planted broken rows go, as indices of leads in creation order."""

    messy: dict[int, str]
    broken_activities: dict[int, str]
    broken_task: int


@dataclass(frozen=True, slots=True)
class Shard:
    """Consecutive leads made on their own (own random streams, own id ranges), so shards can
    be made in any order, in parallel, and their files concatenated in shard order."""

    number: int
    count: int
    start: int  # index of its first lead among all leads
    seeds: list[LeadSeed]
    nurture_times: list[datetime]  # Marketo-only persons created among these leads
    plants: Plants
