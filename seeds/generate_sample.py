"""Generate a deterministic sample of Salesforce + Marketo exports for the revenue warehouse.

Usage::

    python seeds/generate_sample.py [--size sample|S|M|L] [--out DIR] [--seed 20261031]
                                    [--leads N] [--delta-out DIR | --no-delta]
                                    [--leads-per-shard 25000] [--workers N]

Sizes (``--leads`` overrides the lead count and keeps the size's per-lead rates):

======  ==========  ==================  ==========  ===============  ==================
size    leads       Marketo activities  tasks       opportunities    for
======  ==========  ==================  ==========  ===============  ==================
sample  3,000       ~50k                ~10k        ~330             the shipped sample
S       100,000     ~1M                 ~0.5M       ~20k             benchmark, minutes
M       1,000,000   ~10M                ~5M         ~200k            benchmark target
L       5,000,000   ~50M                ~25M        ~1M              5x M
======  ==========  ==================  ==========  ===============  ==================

``sample`` keeps the rates the shipped sample was made with (it is byte-identical to before
sizes existed); S, M and L share fewer page views and more sales work per lead so their
volumes have the benchmark's proportions. ``--out`` defaults to ``seeds/sample`` only for
``sample``. Rows are streamed; memory grows only with the lead plan (about 200 bytes a lead).

Speed: the leads are planned first, in one stream (each lead's source and creation time, a few
microseconds a lead), then made in shards of ``--leads-per-shard`` consecutive leads (25,000: S
is 4 shards, M 40, L 200, the shipped sample one) by ``--workers`` processes (one per core).
Each shard writes part files, and as the shards finish, in order, their parts are appended to
the one file per export the loader reads. A lead costs about 0.35 ms of one core, at any size;
on two cores S takes about 20 s, M 3 minutes, L 14 (on one core before shards: S 40-48 s, M
8-18 minutes, L 1.5 hours, more than five times M as each converted lead scanned every account
executive, 11,000 at L). Why shards: making a lead costs a few hundred random draws and some
twenty CSV rows, spread over the whole generator (after caching the pieces of Salesforce ids
and reusing one JSON encoder, a third of the time is the csv module's own formatting and
writing, the rest is many small steps), and those draws must keep their order for the shipped
sample to stay as it is; so the remaining speed is in cores. Scaling a smaller generated base
up in DuckDB would be quicker still, but its copies of people, addresses and planted rows would
lose the data's realistic shape.

Next-day delta: besides the full export as of ``SNAPSHOT``, S, M and L also write the next
day's incremental export (``--delta-out DIR`` elsewhere, ``--no-delta`` to skip; ``sample``
writes one only with ``--delta-out``) in the landing layout the loader reads next to the full
files: ``salesforce/<Object>/2026-11-01.csv`` and ``marketing/<name>/2026-11-01.csv``. It holds
the day's new leads (a day's volume, about 0.3%) with their Marketo person, form and first
call, and a newer version (later SystemModstamp) of one in every hundred existing leads: open
leads get their first call, worked leads another call and then a conversion (new account,
contact, opportunity; Marketo syncs the contact), a disqualification or nothing more, decided
leads only an edit; each status change has its LeadHistory row, and the changed leads' people
browse the site that day. Objects without changes get a header-only file.

The same arguments always produce byte-identical files, whatever ``--workers``: the plan
comes from one ``random.Random(seed)`` consumed in a fixed order; a single shard draws on from
it (LeadHistory from its own ``random.Random(seed + HISTORY_SEED_OFFSET)``, so it leaves every
other file as it was), so the shipped sample is what it was before shards existed; shard k of
several draws from streams seeded with (seed, k), and numbers its Salesforce ids, Marketo ids
and activity GUIDs ``k * SHARD_ID_ROOM`` further on (and its duplicate email addresses apart,
see ``EmailBook``), so shards never share an id. The export instant is the constant
``SNAPSHOT`` (2026-11-01T00:00:00Z), never the wall clock. Leads are created between
2025-11-01 and 2026-10-31 (UTC). Every volume except the calendar-driven campaign plan scales
with ``--leads``.

Output (``<out>/salesforce/<Object>.csv`` as the Bulk API / Data Loader writes them, and
``<out>/marketing/*.csv`` as Marketo bulk exports):

- salesforce: User, Account, Lead, LeadHistory, Contact, Opportunity, OpportunityHistory, Task,
  Event, Campaign, CampaignMember, DatedConversionRate
- marketing: leads, activity_types, activities

Story: about 22% of leads meet the agreed lead definition (>= 10 employees, a budget-authority
title that is not an assistant/intern/student, and an intent form - Request Information,
Request a Demo, Call Me Back, Pricing Question - within 30 days of CreatedDate). Ready leads
convert at ~30%, the rest at ~4%; lead sources differ visibly in volume, quality and cost.
``meets_lead_definition`` is the reference implementation; the script prints the monthly
share it finds in the written files, plus row counts and funnel rates.

LeadHistory holds the tracked Status and Owner changes, consistent with Lead.csv and Task.csv.
Every lead starts ``Open - Not Contacted`` (no row for the initial value); the first sales task
moves it to ``Working - Contacted``, and the decision to its current status (``Closed -
Converted`` at the opportunity's CreatedDate, ``Closed - Not Converted`` after the last contact
attempt, ``Nurture`` when recycled). Recycled leads also get an Owner row from the sales user who
worked them to their marketing owner, at the same instant. About 10% of the sales-owned leads
that marketing brought in (not those sales entered itself) start in a marketing user's queue and
are handed to their sales owner minutes to hours after creation, before the first sales touch and
no later than the lead's SystemModstamp. Soft-deleted and deliberately broken leads have no
history.

Deliberately broken rows. They are isolated: never converted, no Marketo person (the only
Salesforce leads without one), no task, event or campaign membership points at them, so a
quarantine step can drop them safely. The script prints their exact line numbers.

- Lead.csv: 3 leads whose NumberOfEmployees is not a number (``approx. 50``, ``n/a``,
  ``10-50``).
- Lead.csv: 2 leads with an invalid CreatedDate (``2026-02-30T10:00:00.000Z``, ``yesterday``).
- Lead.csv: 1 line with an unquoted comma in Company, so it has one column too many.
- Lead.csv: 1 lead whose Title contains a (correctly quoted) newline.
- activities.csv: 2 extra Visit Webpage rows with an unparseable activityDate.
- Task.csv: 1 extra follow-up task with an impossible CreatedDate (``2026-04-31...``).

Cosmetic mess that is valid data and takes part in every relationship:

- Titles with odd casing/whitespace (e.g. ``  head of SALES ``) on ~1% of leads.
- Lead emails in mixed case (~2%); Marketo holds them lower-cased, so email links must
  ignore case.
- Soft-deleted rows (IsDeleted=true, as queryAll returns them): ~0.5% of leads (with their
  tasks and campaign memberships) plus a few tasks that were logged twice.
- Activities (tasks/events) stay on the lead after conversion; follow-up after conversion is
  logged on the new contact and opportunity.
- Campaign memberships created after a lead converted are contact-only (empty LeadId), as in
  Salesforce; earlier memberships of a converted lead carry both LeadId and ContactId.
- Intent forms of leads that fail only on intent sit clearly outside the 30-day window (35+
  days), and "ready" leads have theirs within 29 days, so date-vs-timestamp window logic agrees.
"""

from __future__ import annotations

import argparse
import bisect
import copy
import csv
import functools
import json
import math
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from random import Random

PERIOD_START = datetime(2025, 11, 1)
SNAPSHOT = datetime(2026, 11, 1)  # export instant: nothing may happen at or after it
LAST_MOMENT = SNAPSHOT - timedelta(seconds=1)
OLD_COHORT_END = datetime(2026, 8, 1)  # leads this old have had time to reach an outcome
DAY = 86_400
HOUR = 3_600

# --------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------

DISQUALIFY_REASONS = (
    "No budget",
    "Wrong timing",
    "Just looking",
    "No decision authority",
    "Competitor chosen",
    "Unreachable",
)
NO_BUDGET, _, _, NO_AUTHORITY, _, _ = range(6)


@dataclass(frozen=True, slots=True)
class SourceProfile:
    """How leads of one LeadSource behave; the differences are what the KPIs should reveal."""

    name: str
    weight: float  # share of lead volume
    ready: float  # chance the lead meets the agreed lead definition
    intent: float  # chance of an intent form when the lead fails for another reason
    small: float  # chance of a company below 10 employees (outside the ready group)
    no_size: float  # chance of an empty NumberOfEmployees (outside the ready group)
    authority: float  # chance of a budget-authority title (outside the ready group)
    convert_boost: float
    win: float
    team: str  # "sdr": inside sales works the lead, "ae": field sales does
    entry: str  # "form", "webinar", "import" or "sales": how the lead reaches Salesforce
    freemail: float
    member_rate: float  # chance of a campaign membership matching the source
    reasons: tuple[int, ...]  # disqualification weights, DISQUALIFY_REASONS order


# fmt: off
SOURCES: tuple[SourceProfile, ...] = (
    # name, weight, ready, intent, small, no_size, authority, convert_boost, win, team, entry,
    # freemail, member_rate, reasons
    SourceProfile("Web", 15, 0.27, 0.55, 0.15, 0.10, 0.45, 1.00, 0.38, "sdr", "form", 0.08, 0.0, (18, 22, 18, 14, 12, 16)),  # noqa: E501
    SourceProfile("Google Ads", 12, 0.20, 0.50, 0.18, 0.12, 0.40, 0.90, 0.34, "sdr", "form", 0.12, 0.8, (22, 18, 24, 12, 10, 14)),  # noqa: E501
    SourceProfile("LinkedIn", 9, 0.30, 0.45, 0.08, 0.06, 0.60, 1.00, 0.38, "sdr", "form", 0.02, 0.8, (15, 25, 15, 15, 15, 15)),  # noqa: E501
    SourceProfile("Webinar", 6, 0.36, 0.40, 0.10, 0.08, 0.55, 1.10, 0.42, "sdr", "webinar", 0.05, 0.95, (12, 28, 28, 12, 10, 10)),  # noqa: E501
    SourceProfile("Whitepaper", 8, 0.22, 0.40, 0.12, 0.10, 0.45, 0.90, 0.36, "sdr", "form", 0.06, 0.8, (14, 24, 30, 14, 8, 10)),  # noqa: E501
    SourceProfile("Marktplaats", 14, 0.07, 0.55, 0.45, 0.25, 0.20, 0.70, 0.25, "sdr", "form", 0.45, 0.8, (36, 10, 32, 6, 3, 13)),  # noqa: E501
    SourceProfile("AutoTrack", 7, 0.10, 0.55, 0.35, 0.20, 0.25, 0.75, 0.28, "sdr", "form", 0.35, 0.8, (32, 12, 30, 8, 4, 14)),  # noqa: E501
    SourceProfile("Importer", 4, 0.46, 0.70, 0.05, 0.05, 0.65, 1.25, 0.50, "ae", "import", 0.0, 0.8, (12, 30, 6, 10, 30, 12)),  # noqa: E501
    SourceProfile("Partner Referral", 4, 0.42, 0.65, 0.06, 0.08, 0.60, 1.20, 0.48, "ae", "sales", 0.0, 0.8, (12, 30, 6, 10, 30, 12)),  # noqa: E501
    SourceProfile("Trade Show", 5, 0.30, 0.45, 0.10, 0.15, 0.55, 1.00, 0.38, "ae", "import", 0.02, 0.8, (15, 28, 20, 14, 12, 11)),  # noqa: E501
    SourceProfile("Purchased List", 8, 0.05, 0.25, 0.30, 0.35, 0.35, 0.60, 0.22, "sdr", "import", 0.10, 0.8, (18, 12, 20, 12, 3, 35)),  # noqa: E501
    SourceProfile("Phone Inquiry", 4, 0.34, 0.60, 0.15, 0.10, 0.50, 1.10, 0.40, "sdr", "sales", 0.10, 0.0, (20, 22, 16, 14, 14, 14)),  # noqa: E501
    SourceProfile("Cold Call", 2, 0.15, 0.30, 0.15, 0.10, 0.45, 0.90, 0.30, "sdr", "sales", 0.0, 0.0, (20, 22, 16, 18, 12, 12)),  # noqa: E501
    SourceProfile("Referral", 2, 0.40, 0.60, 0.08, 0.08, 0.60, 1.20, 0.48, "ae", "sales", 0.02, 0.0, (12, 30, 6, 10, 30, 12)),  # noqa: E501
    SourceProfile("", 2, 0.18, 0.50, 0.15, 0.20, 0.45, 0.90, 0.35, "sdr", "sales", 0.10, 0.0, (20, 20, 20, 14, 12, 14)),  # noqa: E501
)
# fmt: on
SOURCE_BY_NAME = {s.name: s for s in SOURCES}


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    weight: float
    currency: str
    tld: str
    legal: tuple[str, ...]
    names: str  # key into FIRST_NAMES / LAST_NAMES


COUNTRIES = (
    Country("Netherlands", 44, "EUR", "nl", ("B.V.", "BV"), "nl"),
    Country("Germany", 14, "EUR", "de", ("GmbH",), "de"),
    Country("Belgium", 10, "EUR", "be", ("NV", "BV"), "be"),
    Country("France", 5, "EUR", "fr", ("SAS",), "fr"),
    Country("Austria", 3, "EUR", "at", ("GmbH",), "de"),
    Country("United Kingdom", 11, "GBP", "co.uk", ("Ltd",), "en"),
    Country("United States", 7, "USD", "com", ("Inc.", "LLC"), "en"),
    Country("Sweden", 5, "SEK", "se", ("AB",), "sv"),
)
COUNTRY_BY_NAME = {c.name: c for c in COUNTRIES}

# fmt: off
FIRST_NAMES = {
    "nl": ("Jan", "Sanne", "Pieter", "Lotte", "Daan", "Eva", "Bram", "Fleur", "Joost", "Anouk",
           "Ruben", "Iris", "Thijs", "Marloes", "Wouter", "Femke", "Sem", "Noor", "Koen", "Esther"),
    "de": ("Lukas", "Anna", "Jonas", "Lea", "Felix", "Laura", "Maximilian", "Julia", "Tobias",
           "Katrin", "Jürgen", "Sabine", "Stefan"),
    "be": ("Wout", "Elke", "Jens", "Lien", "Pieter-Jan", "Sofie", "Arne", "Hanne", "Gilles",
           "Nathalie"),
    "fr": ("Julien", "Camille", "Antoine", "Chloé", "Mathieu", "Élodie", "Nicolas", "Manon",
           "Guillaume", "Léa"),
    "en": ("James", "Emily", "Oliver", "Sophie", "Harry", "Charlotte", "Michael", "Jessica",
           "Daniel", "Sarah", "Ryan", "Ashley", "Thomas", "Hannah", "Chris", "Megan"),
    "sv": ("Erik", "Emma", "Lars", "Maja", "Oskar", "Elin", "Johan", "Sofia", "Anders", "Karin"),
}
LAST_NAMES = {
    "nl": ("de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
           "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker",
           "van Leeuwen", "Kok"),
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Hoffmann", "Koch"),
    "be": ("Peeters", "Janssens", "Maes", "Jacobs", "Willems", "Claes", "Goossens", "Wouters"),
    "fr": ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard"),
    "en": ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Johnson", "Miller", "Davis",
           "Clark", "Walker", "Wright"),
    "sv": ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson"),
}
COMPANY_ROOTS = (
    "Noord", "Delta", "Vector", "Summit", "Polder", "Atlas", "Nova", "Kompas", "Blauw", "Helix",
    "Orion", "Fjord", "Linde", "Brug", "Zuid", "Quantum", "Rivier", "Alpen", "Baltic", "Horizon",
    "Meridian", "Kraan", "Stern", "Lumen", "Cobalt", "Ember", "Granite", "Harbor", "Iris",
    "Juniper", "Oak", "Pioneer", "Tulip", "Vista", "Zenith",
)
COMPANY_WORDS = (
    "Logistics", "Systems", "Auto", "Motors", "Foods", "Retail", "Solutions", "Consulting",
    "Health", "Finance", "Tech", "Group", "Works", "Trading", "Mobility", "Parts", "Dealers",
    "Software",
)
# fmt: on
FREEMAIL = ("gmail.com", "hotmail.com", "outlook.com", "live.nl", "yahoo.com")
INDUSTRIES = (
    ("Automotive", 16),
    ("Manufacturing", 14),
    ("Technology", 14),
    ("Retail", 9),
    ("Wholesale", 9),
    ("Logistics", 9),
    ("Financial Services", 7),
    ("Professional Services", 9),
    ("Healthcare", 5),
    ("Education", 3),
    ("", 5),
)

# fmt: off
AUTHORITY_TITLES = (
    "CEO", "Chief Executive Officer", "CFO", "COO", "CMO", "CTO", "CIO", "Chief Revenue Officer",
    "Chief Marketing Officer", "Marketing Director", "Director of Sales", "Sales Director",
    "Director Operations", "Commercial Director", "Head of Marketing", "Head of Sales",
    "Head of Revenue Operations", "Head of Procurement", "Head of Digital", "VP Sales",
    "VP Marketing", "Vice President Business Development", "Owner", "Founder", "Co-Founder",
    "Founder & CEO", "Managing Director", "Partner", "Procurement Manager", "Owner / Director",
)
JUNIOR_TITLES = (  # "Manager" alone is no budget authority; "" is an empty Title
    "Sales Manager", "Marketing Manager", "Account Manager", "Office Manager", "Analyst",
    "Business Analyst", "Marketing Assistant", "Executive Assistant to the CEO",
    "Assistant Director", "Student", "Working Student", "Intern", "Marketing Intern",
    "Sales Representative", "Marketing Coordinator", "Consultant", "Software Engineer",
    "Project Manager", "Team Lead", "Buyer", "Specialist", "",
)
# fmt: on

# The agreed definition, as a reference implementation the warehouse must agree with.
AUTHORITY_RE = re.compile(
    r"\b(?:ceo|cfo|coo|cmo|cto|cio|chief|director|head of|vp|vice president|owner|founder|"
    r"managing director|partner|procurement manager)\b"
)
JUNIOR_RE = re.compile(r"\b(?:assistant|intern|student)\b")

PRODUCTS = {
    "pipeline-analytics": "Pipeline Analytics",
    "lead-routing": "Lead Routing",
    "forecasting": "Forecasting",
}
PRODUCT_KEYS = tuple(PRODUCTS)
BLOG_PAGES = (
    "/blog/revenue-alignment-101",
    "/blog/lead-scoring-myths",
    "/blog/forecast-accuracy",
    "/blog/sdr-playbook",
    "/blog/attribution-models",
)
OTHER_PAGES = ("/careers", "/about")
PRODUCT_PAGES = (*(f"/products/{p}" for p in PRODUCT_KEYS), "/pricing")
PAGE_IDS = {p: 1001 + i for i, p in enumerate(PRODUCT_PAGES + BLOG_PAGES + OTHER_PAGES)}
SITE = "https://www.example.com"

INTENT_FORMS = ("Request Information", "Request a Demo", "Call Me Back", "Pricing Question")
SQL_FORMS = ("Request a Demo", "Call Me Back", "Pricing Question")
WHITEPAPERS = (
    ("The Revenue Alignment Playbook", date(2025, 10, 15)),
    ("Deep Dive: Lead Scoring Architecture", date(2026, 1, 12)),
    ("Forecasting Benchmarks 2026", date(2026, 4, 13)),
    ("The SDR Handbook", date(2026, 7, 13)),
)
FORM_IDS = {
    "Request Information": 2001,
    "Request a Demo": 2002,
    "Call Me Back": 2003,
    "Pricing Question": 2004,
    "Newsletter Signup": 2005,
} | {f"Whitepaper Download - {title}": 2011 + i for i, (title, _) in enumerate(WHITEPAPERS)}
FORM_FIELDS = "Email,FirstName,LastName,Company,Title,NumberOfEmployees,Country"
WEBINAR_TOPICS = (
    "Revenue Alignment Basics",
    "Lead Scoring That Works",
    "Forecasting Without Spreadsheets",
    "Routing Leads in Minutes",
    "Pipeline Reviews That Matter",
    "From MQL to Revenue",
    "Attribution for B2B",
    "SDR Productivity",
    "Pricing Conversations",
    "Building a RevOps Team",
    "Data Quality in CRM",
    "Planning for 2027",
)
ACTIVITY_TYPES = (
    (1, "Visit Webpage", "User visits a web page", "Webpage ID"),
    (2, "Fill Out Form", "User fills out and submits a form on a web page", "Webform ID"),
    (6, "Send Email", "Send Marketo email to a person", "Mailing ID"),
    (10, "Open Email", "User opens Marketo email", "Mailing ID"),
    (11, "Click Email", "User clicks on a link in a Marketo email", "Mailing ID"),
    (12, "New Lead", "New person/record is added to the lead database", ""),
    (104, "Change Status in Progression", "Change a program member's status", "Program ID"),
)
VISIT, FORM, CLICK, PROGRAM = 1, 2, 11, 104
# Where the messy rows go: near a creation date that makes each one plausible.
PLANTED_LEADS = (
    ("emp_approx", datetime(2025, 11, 20)),
    ("emp_na", datetime(2026, 1, 15)),
    ("date_feb30", datetime(2026, 3, 2)),  # created 2 March, typed as "30 February"
    ("extra_comma", datetime(2026, 3, 17)),
    ("head_of_sales", datetime(2026, 4, 21)),
    ("emp_range", datetime(2026, 5, 29)),
    ("date_word", datetime(2026, 7, 8)),
    ("title_newline", datetime(2026, 9, 8)),
)
PLANTED_ACTIVITY_DATES = (
    (datetime(2026, 1, 10), "2026-02-31T10:15:00Z"),
    (datetime(2026, 6, 15), "1 maart 2026"),
)
PLANTED_TASK_AFTER = datetime(2026, 4, 1)
# Planted broken Lead values (column, value); each such lead is isolated so that quarantining
# it breaks no relationship. "head_of_sales" is only untidy and takes part normally.
PLANTED_VALUES = {
    "emp_approx": ("NumberOfEmployees", "approx. 50"),
    "emp_na": ("NumberOfEmployees", "n/a"),
    "emp_range": ("NumberOfEmployees", "10-50"),
    "date_feb30": ("CreatedDate", "2026-02-30T10:00:00.000Z"),
    "date_word": ("CreatedDate", "yesterday"),
    "extra_comma": ("Company", "Jansen, de Vries & Partners B.V."),
    "title_newline": ("Title", "Director of\nOperations"),
}

STATUS_WORKING = "Working - Contacted"
STATUS_OPEN = "Open - Not Contacted"
STATUS_CONVERTED = "Closed - Converted"
STATUS_DISQUALIFIED = "Closed - Not Converted"
NEXT_DAY_END = SNAPSHOT + timedelta(days=1)  # the delta holds what happens before this instant
CHANGED_EVERY = 100  # the delta changes one in this many existing leads
HISTORY_SEED_OFFSET = 17_017  # LeadHistory's own random stream: Random(seed + offset)
LEADS_PER_SHARD = 25_000  # leads made by one process at a time (see `Shard`)
SHARD_ID_ROOM = 10_000_000  # ids of each kind a shard may use: shard k's start k * this further
FIRST_PERSON_ID = 1_000_001  # Marketo person ids and activity GUIDs count up from these
FIRST_GUID = 712_000_001
# chance that a sales-owned lead marketing brought in started in a marketer's queue; the
# leads sales entered itself (~14% of volume) never do, so ~10% of sales-owned leads do
HANDOFF_SHARE = 0.117

STAGES = ("Prospecting", "Qualification", "Proposal/Price Quote", "Negotiation/Review")
STAGE_DAYS = ((2, 12), (5, 25), (5, 30), (3, 25))  # days spent in each open stage
PROBABILITY = {
    "Prospecting": 10,
    "Qualification": 20,
    "Proposal/Price Quote": 60,
    "Negotiation/Review": 80,
    "Closed Won": 100,
    "Closed Lost": 0,
}
RATE_WALKS = {  # start, step, low, high: units per 1 EUR
    "USD": (1.08, 0.012, 1.05, 1.12),
    "GBP": (0.855, 0.006, 0.83, 0.88),
    "SEK": (11.2, 0.12, 10.9, 11.6),
}
# fmt: off
MONTH_WEIGHTS = {11: 0.95, 12: 0.85, 1: 1.05, 2: 1.0, 3: 1.1, 4: 1.0, 5: 1.0, 6: 0.95, 7: 0.85,
                 8: 0.9, 9: 1.0, 10: 1.05}  # lead volume by month: holidays are quieter
WEB_HOURS = (0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.6, 1, 1.4, 1.6, 1.6, 1.5, 1.3, 1.5, 1.6, 1.5, 1.3, 1.0,
             0.8, 0.7, 0.6, 0.5, 0.4, 0.3)  # form fills by UTC hour
# fmt: on
# the weights above summed up once, for Random.choices(cum_weights=...): same draws, less work
COUNTRY_CUM_WEIGHTS = list(accumulate(c.weight for c in COUNTRIES))
INDUSTRY_NAMES = tuple(name for name, _ in INDUSTRIES)
INDUSTRY_CUM_WEIGHTS = list(accumulate(weight for _, weight in INDUSTRIES))
WEB_HOUR_CUM_WEIGHTS = list(accumulate(WEB_HOURS))


@dataclass(frozen=True, slots=True)
class Volumes:
    """Lead count and the per-lead rates that set every other file's volume.

    The defaults are the shipped sample's rates; the benchmark sizes trade some web activity
    for more sales work so the files have the proportions the benchmark asks for."""

    leads: int
    visits_before: int = 6  # most anonymous page views merged in when a person gets known
    visits_after: tuple[int, int] = (19, 13)  # most page views after creation: engaged, other
    nurture_share: float = 0.30  # Marketo-only persons per Salesforce lead
    convert_factor: float = 1.0  # multiplies every source's conversion chance
    extra_attempts: int = 0  # contact attempts added to every worked lead
    opp_follow_ups: int = 8  # most follow-up tasks logged on an opportunity


_BENCH_RATES = Volumes(
    leads=0,
    visits_before=3,
    visits_after=(8, 6),
    nurture_share=0.15,
    convert_factor=1.85,
    extra_attempts=2,
    opp_follow_ups=10,
)
SIZES = {
    "sample": Volumes(leads=3_000),
    "S": replace(_BENCH_RATES, leads=100_000),
    "M": replace(_BENCH_RATES, leads=1_000_000),
    "L": replace(_BENCH_RATES, leads=5_000_000),
}

# --------------------------------------------------------------------------------------------
# Formatting and ids
# --------------------------------------------------------------------------------------------

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_ID_START = 62**4 * 11 + 4_321  # gives ids a realistic run of leading zeros


def salesforce_id(prefix: str, number: int) -> str:
    """18-char id: prefix, pod, reserved 0, base-62 counter, and the real case-safe checksum.

    The first ten characters change only every 62**5 ids, so they come from a cache; the last
    five digits are put together from cached pieces of one or two digits."""
    high, low = divmod(number, 62**5)
    head, head_suffix = _id_head(prefix, high)
    first, rest = divmod(low, 62**4)
    middle, last = divmod(rest, 62**2)
    digit, first_bits = _base62(first, 1)
    pair1, middle_bits = _base62(middle, 2)
    pair2, last_bits = _base62(last, 2)
    suffix = _SUFFIX[first_bits | middle_bits << 1 | last_bits << 3]
    return f"{head}{digit}{pair1}{pair2}{head_suffix}{suffix}"


@functools.cache
def _base62(number: int, width: int) -> tuple[str, int]:
    """`number` as `width` base-62 digits, and the checksum bits of those digits."""
    digits = ""
    for _ in range(width):
        number, rest = divmod(number, 62)
        digits = _B62[rest] + digits
    return digits, _upper_case_bits(digits)


@functools.cache
def _id_head(prefix: str, high: int) -> tuple[str, str]:
    """The id's first ten characters and the two checksum characters they determine."""
    head = f"{prefix}7Q0{_base62(high, 4)[0]}"
    return head, _SUFFIX[_upper_case_bits(head[:5])] + _SUFFIX[_upper_case_bits(head[5:])]


def _upper_case_bits(chunk: str) -> int:
    return sum(1 << i for i, ch in enumerate(chunk) if "A" <= ch <= "Z")


class IdFactory:
    """Sequential ids per key prefix, so ids are unique and sort in creation order."""

    def __init__(self, counters: dict[str, int] | None = None, start: int = _ID_START) -> None:
        self._next = dict(counters or {})
        self._start = start

    def new(self, prefix: str) -> str:
        number = self._next.get(prefix, self._start)
        self._next[prefix] = number + 1
        return salesforce_id(prefix, number)

    def shifted(self, offset: int) -> IdFactory:
        """A factory counting on from where this one is, `offset` further on (a shard's range)."""
        return IdFactory({p: n + offset for p, n in self._next.items()}, self._start + offset)

    def highest(self) -> int:
        """The highest counter value handed out (or about to be)."""
        return max([self._start, *self._next.values()])


class EmailBook:
    """Unique addresses: the n-th person called jan.jansen at a domain is jan.jansen<n> there.

    Shard `shard` of `shards` numbers its i-th jan.jansen ``before + i * shards + shard + 1``
    (``before``: how many the plan gave out), so no two shards give out the same address and
    a single shard numbers 1, 2, 3... as one stream always did."""

    def __init__(self, before: Counter | None = None, shard: int = 0, shards: int = 1) -> None:
        self.before = before or Counter()
        self.uses: Counter = Counter()
        self.shard, self.shards = shard, shards

    def address(self, local: str, domain: str) -> str:
        email = f"{local}@{domain}"
        n = self.before[email] + self.uses[email] * self.shards + self.shard + 1
        self.uses[email] += 1
        return email if n == 1 else f"{local}{n}@{domain}"

    def for_shard(self, shard: int, shards: int) -> EmailBook:
        """The book of a shard made after the plan this book (a single stream) recorded."""
        assert self.shards == 1
        return EmailBook(self.before + self.uses, shard, shards)


_compact_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def sf_dt(at: datetime) -> str:
    return f"{at.isoformat()}.000Z"


def mk_dt(at: datetime) -> str:
    return f"{at.isoformat()}Z"


def sf_bool(flag: bool) -> str:
    return "true" if flag else "false"


def secs(seconds: float) -> timedelta:
    # whole seconds only, so isoformat() never grows a microsecond part
    return timedelta(0, int(seconds))  # (days, seconds): quicker than seconds=


def month_end(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1) - timedelta(days=1)


def modstamp(rng: Random, at: datetime, max_days: float = 3.0) -> datetime:
    """A last-modified time a little after `at` but never after the export."""
    # shrink the range rather than clip it, so rows do not pile up on the export instant
    room = max(0.0, min(max_days * DAY, (LAST_MOMENT - at).total_seconds()))
    return at + secs(rng.uniform(0, room))


def working_hours(rng: Random, at: datetime) -> datetime:
    """Move a sales action that would fall at night or on a weekend into the next working day."""
    if 7 <= at.hour < 19 and at.weekday() < 5:
        return at
    day = at.date() if at.hour < 7 else at.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 8) + secs(rng.uniform(0, 10 * HOUR))


@functools.cache
def newsletter_sent(year: int, month: int) -> datetime:
    """The monthly newsletter goes out on the month's first Tuesday at 09:00."""
    return datetime(year, month, 1, 9) + timedelta(days=(1 - date(year, month, 1).weekday()) % 7)


def meeting_slot(rng: Random, day: date) -> datetime:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, rng.randint(8, 16), rng.choice((0, 30)))


@functools.cache  # names and companies come from short lists
def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


@functools.cache  # titles come from short lists
def has_budget_authority(title: str) -> bool:
    normal = " ".join(title.lower().split())
    return bool(AUTHORITY_RE.search(normal)) and not JUNIOR_RE.search(normal)


def meets_lead_definition(employees: str, title: str, created: datetime, intents: list) -> bool:
    window = timedelta(days=30)
    return (
        employees.isdigit()
        and int(employees) >= 10
        and has_budget_authority(title)
        and any(abs(at - created) <= window for at in intents)
    )


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


# --------------------------------------------------------------------------------------------
# Static dimensions: users, campaigns, currency rates
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class User:
    id: str
    first: str
    last: str
    username: str
    department: str
    title: str
    created: datetime
    deactivated: datetime | None = None


@dataclass(frozen=True, slots=True)
class Campaign:
    id: str
    name: str
    type: str
    source: str  # LeadSource of the leads it brings in; "" for the newsletter
    start: date
    end: date
    currency: str
    budget: int
    actual: int | None
    created: datetime
    event_at: datetime | None = None  # webinar start or trade-show day
    program_id: int | None = None  # Marketo program of a webinar
    whitepaper: str | None = None


def unique_username(first: str, last: str, taken: set[str]) -> str:
    base = f"{ascii_slug(first)}.{ascii_slug(last)}"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return f"{name}@revenuecloud.example"


def build_users(rng: Random, ids: IdFactory, n_leads: int) -> list[User]:
    n_sales = max(12, n_leads // 250)
    n_sdr = max(4, round(n_sales * 0.42))
    n_marketing = max(4, n_sales // 3)
    taken: set[str] = set()
    users: list[User] = []

    def add(dept: str, title: str, deactivated: datetime | None = None) -> None:
        group = rng.choice(("nl", "nl", "de", "be", "en"))
        first = rng.choice(FIRST_NAMES[group])
        last = rng.choice(LAST_NAMES[group])
        created = datetime(2021, 3, 1) + secs(rng.uniform(0, 1_600) * DAY)
        uname = unique_username(first, last, taken)
        users.append(User(ids.new("005"), first, last, uname, dept, title, created, deactivated))

    for i in range(n_sdr):
        add("Inside Sales", "Sales Development Representative" if i else "SDR Team Lead")
    for i in range(n_sales - n_sdr):
        # one account executive per ~7 left mid-year: inactive users still own old records
        leaver = i % 7 == 6 or (i == n_sales - n_sdr - 1 and n_sales - n_sdr < 7)
        title = "Sales Director" if i == 0 else "Account Executive"
        add("Sales", title, datetime(2026, 6, 30, 17, 0) if leaver else None)
    marketing_titles = (
        "Marketing Manager",
        "Demand Generation Manager",
        "Marketing Operations Manager",
        "Content Marketing Manager",
    )
    for i in range(n_marketing):
        add("Marketing", marketing_titles[i % len(marketing_titles)])
    users.append(
        User(
            ids.new("005"),
            "Integration",
            "User",
            "integration@revenuecloud.example",
            "",
            "",
            datetime(2021, 2, 15, 9, 0),
        )
    )
    return users


def is_account_executive(user: User | None) -> bool:
    """Whether `user` is one of the account executives (size L has over 11,000: no list scans)."""
    return user is not None and user.department == "Sales"


def write_users(out: Output, rng: Random, users: list[User]) -> None:
    for u in users:
        changed = u.deactivated or modstamp(rng, u.created, max_days=1_500)
        out.user.row(
            [
                u.id,
                u.username,
                u.first,
                u.last,
                u.username,
                u.department,
                u.title,
                sf_bool(u.deactivated is None),
                sf_dt(u.created),
                sf_dt(changed),
            ]
        )


def third_thursday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 14)


@dataclass(frozen=True, slots=True)
class CampaignSpec:
    name: str
    type: str
    source: str  # LeadSource of the leads it brings in; "" for the newsletter
    start: date
    end: date
    currency: str
    cost: int  # actual cost at the 3,000-lead scale, in the campaign currency
    event_at: datetime | None = None
    whitepaper: str | None = None


# fmt: off
HALF_YEARS = ((date(2025, 11, 1), date(2026, 4, 30), "H1"), (date(2026, 5, 1), date(2026, 10, 31), "H2"))  # noqa: E501
HALF_YEAR_CAMPAIGNS = (  # name template, type, source, currency, cost per half year
    ("Google Ads - Search FY26 {}", "Advertisement", "Google Ads", "EUR", 33_000),
    ("LinkedIn Ads - Decision Makers FY26 {}", "Advertisement", "LinkedIn", "USD", 27_000),
    ("Marktplaats - Listings FY26 {}", "Classifieds", "Marktplaats", "EUR", 7_500),
    ("AutoTrack - Listings FY26 {}", "Classifieds", "AutoTrack", "EUR", 6_500),
)
TRADE_SHOWS = (  # the November 2026 show is still being planned at export time
    ("Marketing Tech Expo Utrecht", date(2025, 11, 19), "EUR", 18_000),
    ("Revenue Summit London", date(2026, 3, 11), "GBP", 24_000),
    ("Sales Tech Amsterdam", date(2026, 6, 3), "EUR", 21_000),
    ("B2B Growth Forum New York", date(2026, 9, 23), "USD", 38_000),
    ("Marketing Tech Expo Utrecht", date(2026, 11, 18), "EUR", 19_000),
)
OTHER_CAMPAIGNS = (
    CampaignSpec("Importer Program FY26", "Partners", "Importer", date(2025, 10, 1), date(2026, 12, 31), "EUR", 35_000),  # noqa: E501
    CampaignSpec("Partner Referral Program FY26", "Partners", "Partner Referral", date(2025, 11, 1), date(2026, 10, 31), "EUR", 18_000),  # noqa: E501
    CampaignSpec("Newsletter FY26", "Email", "", date(2025, 11, 1), date(2026, 10, 31), "EUR", 3_000),  # noqa: E501
    CampaignSpec("Purchased List Outreach 2025-Q4", "Email", "Purchased List", date(2025, 11, 15), date(2026, 3, 31), "EUR", 5_500),  # noqa: E501
    CampaignSpec("Purchased List Outreach 2026", "Email", "Purchased List", date(2026, 5, 1), date(2026, 10, 31), "EUR", 4_500),  # noqa: E501
)
PURCHASED_LIST_IMPORTS = (
    datetime(2025, 11, 18, 9, 12), datetime(2026, 1, 20, 10, 5), datetime(2026, 3, 17, 8, 40),
    datetime(2026, 5, 12, 9, 30), datetime(2026, 7, 7, 13, 15), datetime(2026, 9, 8, 8, 45),
)
# fmt: on


def campaign_plan() -> list[CampaignSpec]:
    """About 30 campaigns: a webinar a month, half-year paid media, content, shows, partners."""
    plan = list(OTHER_CAMPAIGNS)
    for i, topic in enumerate(WEBINAR_TOPICS):
        year, month = (2025, 11 + i) if i < 2 else (2026, i - 1)
        day = third_thursday(year, month)
        name = f"Webinar - {topic} {year}-{month:02d}"
        at = datetime(day.year, day.month, day.day, 15, 0)
        registration_opens = day - timedelta(days=28)
        plan.append(
            CampaignSpec(name, "Webinar", "Webinar", registration_opens, day, "EUR", 4_000, at)
        )
    for start, end, half in HALF_YEARS:
        for template, ctype, source, currency, cost in HALF_YEAR_CAMPAIGNS:
            plan.append(
                CampaignSpec(template.format(half), ctype, source, start, end, currency, cost)
            )
    for title, released in WHITEPAPERS:
        name = f"Content Syndication - {title}"
        until = released + timedelta(days=182)
        plan.append(
            CampaignSpec(
                name,
                "Content Syndication",
                "Whitepaper",
                released,
                until,
                "EUR",
                11_000,
                whitepaper=title,
            )
        )
    for show, day, currency, cost in TRADE_SHOWS:
        name = f"Trade Show - {show} {day:%Y-%m}"
        at = datetime(day.year, day.month, day.day, 9, 0)
        until = day + timedelta(days=1)
        plan.append(CampaignSpec(name, "Trade Show", "Trade Show", day, until, currency, cost, at))
    return sorted(plan, key=lambda c: (c.start, c.name))


def build_campaigns(rng: Random, ids: IdFactory, n_leads: int) -> list[Campaign]:
    # cost scales with volume so cost per lead stays comparable across sample sizes
    scale = n_leads / 3_000
    campaigns = []
    program_id = 4001
    for spec in campaign_plan():
        actual = round(spec.cost * rng.uniform(0.8, 1.2) * scale, -1)
        budget = int(round(actual * rng.uniform(0.9, 1.15), -2))
        planned = spec.start >= SNAPSHOT.date()
        opened = datetime(spec.start.year, spec.start.month, spec.start.day, 9)
        created = opened - secs(rng.uniform(14, 45) * DAY)
        program = program_id if spec.type == "Webinar" else None
        program_id += program is not None
        campaigns.append(
            Campaign(
                ids.new("701"),
                spec.name,
                spec.type,
                spec.source,
                spec.start,
                spec.end,
                spec.currency,
                budget,
                None if planned else int(actual),
                created,
                spec.event_at,
                program,
                spec.whitepaper,
            )
        )
    return campaigns


def campaign_status(c: Campaign) -> str:
    if c.start >= SNAPSHOT.date():
        return "Planned"
    return "Completed" if c.end < SNAPSHOT.date() else "In Progress"


def write_campaigns(out: Output, rng: Random, campaigns: list[Campaign]) -> None:
    for c in campaigns:
        status = campaign_status(c)
        last_edit = datetime(c.end.year, c.end.month, c.end.day, 17) + secs(rng.uniform(0, 9 * DAY))
        # running campaigns were last touched some time before the export, not at its instant
        latest = LAST_MOMENT - secs(rng.uniform(HOUR, 20 * DAY))
        changed = max(c.created, min(last_edit, latest))
        out.campaign.row(
            [
                c.id,
                c.name,
                c.type,
                status,
                c.start.isoformat(),
                c.end.isoformat(),
                c.budget,
                c.actual,
                c.currency,
                sf_bool(status != "Completed"),
                sf_dt(c.created),
                "false",
                sf_dt(changed),
            ]
        )


def build_rates(rng: Random) -> dict[tuple[str, int, int], float]:
    months = [(2025, 10), (2025, 11), (2025, 12)] + [(2026, m) for m in range(1, 12)]
    rates: dict[tuple[str, int, int], float] = {}
    for year, month in months:
        rates["EUR", year, month] = 1.0
    for code, (value, step, low, high) in RATE_WALKS.items():
        for year, month in months:
            rates[code, year, month] = round(value, 6)
            value = min(high, max(low, value + rng.uniform(-step, step)))
    return rates


def write_rates(out: Output, ids: IdFactory, rates: dict[tuple[str, int, int], float]) -> None:
    keys = sorted(rates)
    for i, (code, year, month) in enumerate(keys):
        nxt = keys[i + 1] if i + 1 < len(keys) and keys[i + 1][0] == code else None
        next_start = f"{nxt[1]}-{nxt[2]:02d}-01" if nxt else "9999-12-31"
        out.rates.row(
            [
                ids.new("04w"),
                code,
                f"{rates[code, year, month]:.6f}",
                f"{year}-{month:02d}-01",
                next_start,
            ]
        )


def write_activity_types(out: Output) -> None:
    for row in ACTIVITY_TYPES:
        out.activity_types.row(row)


# --------------------------------------------------------------------------------------------
# Per-lead plans
# --------------------------------------------------------------------------------------------


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


class SampleGenerator:
    """Streams one consistent sample. The plan (users, campaigns, rates, accounts from before
    the sample year, and every lead's source and creation time) comes from `Random(seed)`; the
    leads are then made in shards (`plan_shards`, `for_shard`, `run_shard`). A single shard
    draws on from the plan's `rng`, and LeadHistory from `history_rng` (so that adding it
    changed no other file); shard k of several draws from streams seeded with (seed, k)."""

    def __init__(
        self, seed: int, volumes: Volumes, out: Output | None, keep_next_day: bool = False
    ) -> None:
        self.seed = seed
        rng = self.rng = Random(seed)
        self.history_rng = Random(seed + HISTORY_SEED_OFFSET)
        self.volumes = volumes
        n_leads = self.n_leads = volumes.leads
        self.out = out
        self.ids = IdFactory()
        self.emails = EmailBook()
        self.users = build_users(rng, self.ids, n_leads)
        self.sdrs = [u for u in self.users if u.department == "Inside Sales"]
        self.aes = [u for u in self.users if u.department == "Sales"]
        self.staying_aes = [u for u in self.aes if u.deactivated is None]
        self.marketers = [u for u in self.users if u.department == "Marketing"]
        self.campaigns = build_campaigns(rng, self.ids, n_leads)
        self.webinars = [c for c in self.campaigns if c.type == "Webinar"]
        # the webinars and trade shows held before the export, which leads of theirs come from
        self.held_events = {
            source: [
                c
                for c in self.campaigns
                if c.source == source
                and c.start < SNAPSHOT.date()
                and c.event_at
                and c.event_at < SNAPSHOT
            ]
            for source in ("Webinar", "Trade Show")
        }
        self.newsletter = next(c for c in self.campaigns if c.name.startswith("Newsletter"))
        self.rates = build_rates(rng)
        self.preexisting: list[tuple[str, User, Person]] = []
        self.cum_day_weights = self._cum_day_weights()
        self.keep_next_day = keep_next_day
        self._start_shard(0, 1)  # the plan is made as the start of a single shard

    def _start_shard(self, number: int, count: int) -> None:
        """Set what a shard's leads draw from and change as they stream: its random streams,
        its own id ranges, its counts."""
        if count > 1:
            self.rng = Random(f"{self.seed}/shard {number}")
            self.history_rng = Random(f"{self.seed}/shard {number}/history")
        self.ids = self.ids.shifted(number * SHARD_ID_ROOM)
        self.emails = self.emails.for_shard(number, count)
        self.next_person_id = FIRST_PERSON_ID + number * SHARD_ID_ROOM
        self.next_guid = FIRST_GUID + number * SHARD_ID_ROOM
        self.stats = Stats()
        self.debts: dict[str, float] = {}
        self.lead_opps = 0
        self.pending_broken_task = False
        self.pending_broken_activity: str | None = None
        self.leads_seen = 0
        self.next_day_leads: list[KnownLead] = []

    # ---- dimensions -------------------------------------------------------------------------

    def write_dimensions(self) -> None:
        write_users(self.out, self.rng, self.users)
        write_campaigns(self.out, self.rng, self.campaigns)
        write_rates(self.out, self.ids, self.rates)
        write_activity_types(self.out)
        self._write_preexisting_accounts()

    def _write_preexisting_accounts(self) -> None:
        # customers and prospects from before the sample year, for sales-sourced opportunities
        for _ in range(max(5, round(self.n_leads * 0.018))):
            person = self._draw_person(self._draw_country(), freemail=0.0)
            person.employees = max(10, int(self.rng.lognormvariate(math.log(120), 1.0)))
            owner = self.rng.choice(self.aes)
            created = datetime(2021, 6, 1) + secs(self.rng.uniform(0, 1_580) * DAY)
            account_id = self.ids.new("001")
            self.preexisting.append((account_id, owner, person))
            self._write_account(account_id, person, owner, created, person.employees, 400)

    def _write_account(
        self,
        account_id: str,
        p: Person,
        owner: User,
        created: datetime,
        employees: int | None,
        max_days: float,
    ) -> None:
        changed = modstamp(self.rng, created, max_days=max_days)
        self.out.account.row(
            [
                account_id,
                p.company,
                employees,
                p.industry,
                p.country.name,
                owner.id,
                sf_dt(created),
                "false",
                sf_dt(changed),
            ]
        )

    # ---- random building blocks -------------------------------------------------------------

    def _cum_day_weights(self) -> list[float]:
        weights, total = [], 0.0
        for offset in range((SNAPSHOT - PERIOD_START).days):
            day = PERIOD_START + timedelta(days=offset)
            total += MONTH_WEIGHTS[day.month] * (1.0 if day.weekday() < 5 else 0.28)
            weights.append(total)
        return weights

    def _random_moment(self, business_hours: bool) -> datetime:
        days = range(len(self.cum_day_weights))
        offset = self.rng.choices(days, cum_weights=self.cum_day_weights)[0]
        day = PERIOD_START + timedelta(days=offset)
        return day + self._time_of_day(business_hours)

    def _time_of_day(self, business_hours: bool) -> timedelta:
        if business_hours:
            hour = self.rng.uniform(7.5, 17.5)
        else:
            hour = self.rng.choices(range(24), cum_weights=WEB_HOUR_CUM_WEIGHTS)[0]
            hour += self.rng.random()
        return secs(hour * HOUR)

    def _draw_ip(self) -> str:
        r = self.rng
        return f"{r.randint(31, 217)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def _draw_country(self, hint: str | None = None) -> Country:
        if hint and self.rng.random() < 0.6:
            return COUNTRY_BY_NAME[hint]
        return self.rng.choices(COUNTRIES, cum_weights=COUNTRY_CUM_WEIGHTS)[0]

    def _draw_phone(self, country: Country) -> str:
        r = self.rng

        def d(k: int) -> str:
            return "".join(str(r.randint(0, 9)) for _ in range(k))

        formats = {
            "Netherlands": lambda: r.choice((f"+31 6 {d(8)}", f"06-{d(8)}", f"+31 20 {d(7)}")),
            "Germany": lambda: f"+49 151 {d(8)}",
            "Belgium": lambda: f"+32 4{d(2)} {d(2)} {d(2)} {d(2)}",
            "France": lambda: f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}",
            "Austria": lambda: f"+43 660 {d(7)}",
            "United Kingdom": lambda: f"+44 7{d(3)} {d(6)}",
            "United States": lambda: f"+1 ({r.randint(201, 989)}) {d(3)}-{d(4)}",
            "Sweden": lambda: f"+46 70 {d(3)} {d(2)} {d(2)}",
        }
        return "" if r.random() < 0.08 else formats[country.name]()

    def _draw_person(self, country: Country, freemail: float) -> Person:
        r = self.rng
        group = "be" if country.name == "Belgium" and r.random() < 0.6 else country.names
        group = "nl" if group == "be" and r.random() < 0.3 else group
        first = r.choice(FIRST_NAMES[group])
        last = r.choice(LAST_NAMES[group])
        root, word = r.choice(COMPANY_ROOTS), r.choice(COMPANY_WORDS)
        if r.random() < 0.15:
            company = f"{last} {r.choice(('& Zonen', 'Group', 'Holding', 'Partners'))}"
        else:
            company = f"{root} {word}"
        company = f"{company} {r.choice(country.legal)}"
        domain = f"{ascii_slug(company.rsplit(' ', 1)[0])}.{country.tld}"
        if r.random() < freemail:
            domain = r.choice(FREEMAIL)
        local = f"{ascii_slug(first)}.{ascii_slug(last)}"
        industry = r.choices(INDUSTRY_NAMES, cum_weights=INDUSTRY_CUM_WEIGHTS)[0]
        return Person(
            first,
            last,
            self.emails.address(local, domain),
            self._draw_phone(country),
            company,
            country,
            industry,
            r.choice(PRODUCT_KEYS),
        )

    # ---- lead seeds ------------------------------------------------------------------------

    def plan_seeds(self) -> list[LeadSeed]:
        names = [s.name for s in SOURCES]
        sources = self.rng.choices(names, weights=[s.weight for s in SOURCES], k=self.n_leads)
        seeds = [self._seed(source) for source in sources]
        seeds.sort(key=lambda s: s.created)
        return seeds

    def _seed(self, source: str) -> LeadSeed:
        r = self.rng
        if source == "Webinar":
            anchor = r.choice(self.held_events[source])
            assert anchor.event_at is not None
            created = anchor.event_at - secs(r.uniform(HOUR, 21 * DAY))
            if created < PERIOD_START:
                created = PERIOD_START + secs(
                    r.uniform(0, (anchor.event_at - PERIOD_START).total_seconds() - HOUR)
                )
            return LeadSeed(created, source, anchor)
        if source == "Trade Show":
            anchor = r.choice(self.held_events[source])
            # badge scans are imported in the days after the show
            day = datetime(anchor.end.year, anchor.end.month, anchor.end.day)
            at = day + timedelta(days=r.randint(1, 8)) + secs(r.uniform(8, 17) * HOUR)
            return LeadSeed(at, source, anchor)
        if source == "Purchased List":
            # bought lists arrive as bulk imports: many leads within half an hour
            batch = r.choice(PURCHASED_LIST_IMPORTS)
            return LeadSeed(batch + secs(r.uniform(0, 1_800)), source, None)
        business = SOURCE_BY_NAME[source].entry in ("sales", "import")
        return LeadSeed(self._random_moment(business), source, None)

    # ---- one lead ----------------------------------------------------------------------------

    def emit_lead(self, seed: LeadSeed, messy: str | None) -> None:
        r = self.rng
        profile = SOURCE_BY_NAME[seed.source]
        isolated = messy if messy in PLANTED_VALUES else None
        force_ready = messy == "head_of_sales"
        hint = None
        if seed.anchor and seed.anchor.currency == "GBP":
            hint = "United Kingdom"
        elif seed.anchor and seed.anchor.currency == "USD":
            hint = "United States"
        person = self._draw_person(self._draw_country(hint), profile.freemail)
        ready = force_ready or (
            not isolated and self._smoothed_chance(f"ready:{profile.name}", profile.ready)
        )
        has_intent = self._fill_qualification(person, profile, ready)
        if not isolated:
            self._cosmetic_mess(person, messy)
        deleted = not isolated and not force_ready and r.random() < 0.005
        convert_p = (0.30 if ready else 0.04) * profile.convert_boost * self.volumes.convert_factor
        will_convert = (
            not isolated
            and not deleted
            and self._smoothed_chance(f"convert:{profile.name}:{ready}", convert_p)
        )
        campaign = self._primary_campaign(seed, profile) if not isolated else None
        signups: list[WebinarSignup] = []
        activities = (
            []
            if isolated
            else self._timeline(seed, person, profile, has_intent, will_convert, campaign, signups)
        )
        sales = self._plan_sales(seed, person, profile, ready, will_convert, deleted, isolated)
        lead_id = self.ids.new("00Q")
        opp = None
        if sales.converted_at:
            opp = self._plan_opportunity(sales.converted_at, person, profile, ready)
        self._write_lead_bundle(
            seed,
            person,
            profile,
            lead_id,
            sales,
            opp,
            campaign,
            signups,
            activities,
            isolated,
            messy,
            ready,
        )

    def _smoothed_chance(self, key: str, chance: float, rng: Random | None = None) -> bool:
        """A coin flip that carries its shortfall forward, so small samples keep their rates."""
        debt = self.debts.get(key, 0.0) + chance
        hit = (rng or self.rng).random() < debt
        self.debts[key] = debt - hit
        return hit

    def _fill_qualification(self, p: Person, profile: SourceProfile, ready: bool) -> bool:
        """Set employees and title; return whether the lead gets an intent form in the window."""
        r = self.rng
        if ready:
            p.employees = 10 if r.random() < 0.03 else max(10, self._draw_size(profile))
            p.title = r.choice(AUTHORITY_TITLES)
            return True
        small = r.random() < profile.small
        p.employees = None if r.random() < profile.no_size else self._draw_size(profile, small)
        authority = r.random() < profile.authority
        p.title = r.choice(AUTHORITY_TITLES if authority else JUNIOR_TITLES)
        intent = r.random() < profile.intent
        if (p.employees or 0) >= 10 and has_budget_authority(p.title) and intent:
            # the lead must fail the definition, so force one realistic reason to fail
            weights = (profile.small, profile.no_size, 1 - profile.authority, 1 - profile.intent)
            reason = r.choices(("small", "no_size", "junior", "no_intent"), weights=weights)[0]
            if reason == "small":
                p.employees = 9 if r.random() < 0.1 else r.randint(1, 9)
            elif reason == "no_size":
                p.employees = None
            elif reason == "junior":
                p.title = r.choice(JUNIOR_TITLES)
            else:
                intent = False
        return intent

    def _draw_size(self, profile: SourceProfile, small: bool = False) -> int:
        if small:
            return self.rng.randint(1, 9)
        median = 25 if profile.small > 0.3 else 60
        return max(10, int(self.rng.lognormvariate(math.log(median), 1.1)))

    def _primary_campaign(self, seed: LeadSeed, profile: SourceProfile) -> Campaign | None:
        if self.rng.random() >= profile.member_rate:
            return None
        if seed.anchor:
            return seed.anchor
        day = seed.created.date()
        active = [c for c in self.campaigns if c.source == seed.source and c.start <= day <= c.end]
        return self.rng.choice(active) if active else None

    # ---- marketing timeline ------------------------------------------------------------------

    def _timeline(
        self,
        seed: LeadSeed,
        p: Person,
        profile: SourceProfile,
        has_intent: bool,
        will_convert: bool,
        campaign: Campaign | None,
        signups: list[WebinarSignup],
    ) -> list[Activity]:
        r, created, product = self.rng, seed.created, p.product
        ip = self._draw_ip()
        utm = {
            "Google Ads": "utm_source=google&utm_medium=cpc",
            "LinkedIn": "utm_source=linkedin&utm_medium=paid_social",
            "Marktplaats": "utm_source=marktplaats&utm_medium=classifieds",
            "AutoTrack": "utm_source=autotrack&utm_medium=classifieds",
        }.get(seed.source, "")
        acts: list[Activity] = []
        trigger = created - secs(r.uniform(20, 480))
        intent_form = self._pick_intent_form(will_convert) if has_intent else None
        entry = profile.entry
        if entry == "form" and seed.source in ("Marktplaats", "AutoTrack") and not intent_form:
            entry = "import"  # a classifieds reply without a form arrives through the integration
        if entry == "form":
            if intent_form and seed.source != "Whitepaper":
                acts.append(self._form(trigger, intent_form, product))
                intent_form = None
            elif seed.source == "Web":
                acts.append(self._form(trigger, "Newsletter Signup", product))
            else:
                acts.append(self._form(trigger, self._whitepaper_form(created, campaign), product))
            acts.append(
                self._visit(trigger - secs(r.uniform(30, 600)), self._landing(product), utm, ip)
            )
        elif entry == "webinar" and seed.anchor:
            signups.append(WebinarSignup(seed.anchor, trigger, r.random() < 0.58))
        if intent_form:
            acts.append(
                self._form(self._intent_moment(created, will_convert), intent_form, product)
            )
        if has_intent and r.random() < 0.15:
            extra = created + secs(r.uniform(2 * DAY, 25 * DAY))
            acts.append(self._form(extra, r.choice(SQL_FORMS), product))
        if not has_intent and r.random() < 0.2:
            # intent that falls clearly outside the 30-day window must not count
            offset = r.uniform(35, 100) * DAY if r.random() < 0.7 else -r.uniform(35, 58) * DAY
            acts.append(self._form(created + secs(offset), r.choice(INTENT_FORMS), product))
        acts += self._browsing(created, product, utm, ip, engaged=has_intent)
        acts += self._content(created, product, campaign)
        acts += self._email_clicks(created, created + timedelta(days=120))
        if entry != "webinar" and r.random() < (0.16 if has_intent else 0.08):
            self._maybe_webinar(created, signups)
        for s in signups:
            acts += self._webinar_activities(s)
        # Marketo exports the lead's activity from 60 days before to 120 days after creation
        first, last = created - timedelta(days=60), min(created + timedelta(days=120), LAST_MOMENT)
        return sorted((a for a in acts if first <= a.at <= last), key=lambda a: a.at)

    def _pick_intent_form(self, will_convert: bool) -> str:
        if will_convert:
            return self.rng.choices(SQL_FORMS, weights=(5, 2, 3))[0]
        return self.rng.choices(INTENT_FORMS, weights=(35, 30, 13, 22))[0]

    def _intent_moment(self, created: datetime, will_convert: bool) -> datetime:
        # converting leads asked before they were converted; others anywhere in +-29 days
        after = not will_convert and self.rng.random() < 0.6
        at = created + secs(self.rng.uniform(HOUR, 29 * DAY)) if after else None
        if at is None or at >= SNAPSHOT:
            at = created - secs(self.rng.uniform(HOUR, 29 * DAY))
        return at

    def _landing(self, product: str) -> str:
        return self.rng.choice((f"/products/{product}", "/pricing", f"/products/{product}"))

    def _whitepaper_form(self, at: datetime, campaign: Campaign | None) -> str:
        if campaign and campaign.whitepaper:
            return f"Whitepaper Download - {campaign.whitepaper}"
        released = [t for t, d in WHITEPAPERS if d <= at.date()] or [WHITEPAPERS[0][0]]
        return f"Whitepaper Download - {self.rng.choice(released)}"

    def _form(self, at: datetime, form: str, product: str) -> Activity:
        form_id = FORM_IDS[form]
        if form in ("Pricing Question", "Call Me Back"):
            page = "/pricing"
        elif form.startswith("Whitepaper"):
            page = ""
        elif form == "Newsletter Signup":
            page = BLOG_PAGES[form_id % len(BLOG_PAGES)]
        else:
            page = f"/products/{product}"
        page_id = PAGE_IDS[page] if page else 1200 + form_id % 10  # gated-content landing page
        return Activity(
            at,
            FORM,
            form,
            form_id,
            3000 + form_id,
            {"Webpage ID": page_id, "Form Fields": FORM_FIELDS},
        )

    def _visit(self, at: datetime, page: str, utm: str, ip: str) -> Activity:
        attrs = {"Webpage URL": f"{SITE}{page}", "Query Parameters": utm, "Client IP Address": ip}
        return Activity(at, VISIT, page, PAGE_IDS[page], None, attrs)

    def _browsing(self, created: datetime, product: str, utm: str, ip: str, engaged: bool):
        r = self.rng
        product_share = 0.55 if engaged else 0.3
        pages = [f"/products/{product}", "/pricing", *PRODUCT_PAGES]
        visits = []
        for _ in range(
            r.randint(0, self.volumes.visits_before)
        ):  # anonymous history merged when the person got known
            offset = -min(60 * DAY - HOUR, r.expovariate(1 / (12 * DAY)) + 60)
            page = r.choice(pages) if r.random() < product_share else r.choice(BLOG_PAGES)
            visits.append(
                self._visit(created + secs(offset), page, utm if r.random() < 0.5 else "", ip)
            )
        most_engaged, most_other = self.volumes.visits_after
        for _ in range(r.randint(4, most_engaged if engaged else most_other)):
            offset = min(120 * DAY - HOUR, r.expovariate(1 / (22 * DAY)) + 60)
            roll = r.random()
            if roll < product_share:
                page = r.choice(pages)
            elif roll < 0.93:
                page = r.choice(BLOG_PAGES)
            else:
                page = r.choice(OTHER_PAGES)
            visits.append(self._visit(created + secs(offset), page, "", ip))
        return visits

    def _content(self, created: datetime, product: str, campaign: Campaign | None):
        r, forms = self.rng, []
        for _ in range(r.choices((0, 1, 2), weights=(62, 30, 8))[0]):
            at = created + secs(r.uniform(-40 * DAY, 110 * DAY))
            forms.append(self._form(at, self._whitepaper_form(at, None), product))
        if r.random() < 0.08:
            forms.append(
                self._form(created + secs(r.uniform(DAY, 60 * DAY)), "Newsletter Signup", product)
            )
        return forms

    def _email_clicks(self, known_since: datetime, until: datetime) -> list[Activity]:
        r, clicks = self.rng, []
        year, month = known_since.year, known_since.month
        for _ in range(5):
            month += 1
            if month > 12:
                year, month = year + 1, 1
            send = newsletter_sent(year, month)
            clicked = send + secs(r.uniform(600, 3 * DAY))
            if clicked > until or r.random() > 0.3:
                continue
            name = f"Newsletter {year}-{month:02d}"
            mailing_id = 3000 + (year - 2025) * 12 + month
            link = f"{SITE}{r.choice(BLOG_PAGES)}?utm_source=newsletter&utm_medium=email"
            clicks.append(
                Activity(
                    clicked,
                    CLICK,
                    name,
                    mailing_id,
                    5100 + mailing_id % 100,
                    {"Link": link},
                )
            )
        return clicks

    def _maybe_webinar(self, known_since: datetime, signups: list[WebinarSignup]) -> None:
        r = self.rng
        options = [
            w
            for w in self.webinars
            if w.event_at
            and known_since + timedelta(days=2) < w.event_at < known_since + timedelta(days=100)
        ]
        if not options:
            return
        webinar = r.choice(options)
        assert webinar.event_at is not None
        earliest = max(known_since, webinar.event_at - timedelta(days=20))
        span = (webinar.event_at - earliest).total_seconds() - HOUR
        signups.append(
            WebinarSignup(webinar, earliest + secs(r.uniform(0, span)), r.random() < 0.5)
        )

    def _webinar_activities(self, s: WebinarSignup) -> list[Activity]:
        c = s.campaign
        assert c.event_at is not None and c.program_id is not None
        smart_campaign = 5200 + c.program_id % 100
        acts = [
            Activity(
                s.registered_at,
                PROGRAM,
                c.name,
                c.program_id,
                smart_campaign,
                {"New Status": "Registered", "Old Status": "Not in Program", "Minutes Attended": 0},
            )
        ]
        after = c.event_at + secs(self.rng.uniform(50, 80) * 60)
        minutes = self.rng.randint(8, 60) if s.attended else 0
        acts.append(
            Activity(
                after,
                PROGRAM,
                c.name,
                c.program_id,
                smart_campaign,
                {
                    "New Status": "Attended" if s.attended else "No Show",
                    "Old Status": "Registered",
                    "Minutes Attended": minutes,
                },
            )
        )
        return acts

    # ---- sales process -----------------------------------------------------------------------

    def _plan_sales(
        self,
        seed: LeadSeed,
        p: Person,
        profile: SourceProfile,
        ready: bool,
        will_convert: bool,
        deleted: bool,
        isolated: str | None,
    ) -> SalesPlan:
        r, created = self.rng, seed.created
        plan = SalesPlan(owner=self._lead_owner(profile, created))
        roll = r.random()
        if isolated or roll >= 0.95:
            self.stats.touch["never"] += 1
            return plan  # gathering dust: nobody ever called
        if roll < 0.85:
            first = created + secs(min(23.8 * HOUR, r.lognormvariate(math.log(90 * 60), 1.0)))
            morning = working_hours(r, first)
            # an evening lead is called next morning, unless that breaks the 24-hour promise
            first = morning if morning - created < timedelta(hours=23.9) else first
        else:
            first = working_hours(r, created + secs(r.uniform(1, 10) * DAY))
        if deleted:
            plan.deleted_at = min(first + secs(r.uniform(HOUR, 3 * DAY)), LAST_MOMENT)
            self._add_touches(plan, first, 1, fast=False, until=plan.deleted_at)
            plan.status = "Working - Contacted" if plan.touches else plan.status
            return plan
        if will_convert:
            outcome, attempts = "convert", r.randint(1, 4)
        else:
            outcome = r.choices(("disqualify", "nurture", "working"), weights=(51, 19, 30))[0]
            attempts = {
                "disqualify": r.choices(range(1, 7), weights=(15, 20, 25, 20, 12, 8))[0],
                "nurture": r.randint(2, 5),
                "working": r.randint(1, 4),
            }[outcome]
        attempts += self.volumes.extra_attempts
        last = self._add_touches(plan, first, attempts, fast=ready, until=LAST_MOMENT)
        if not plan.touches:
            self.stats.touch["not yet"] += 1
            return plan
        self.stats.touch["24h" if first - created <= timedelta(hours=24) else "later"] += 1
        plan.first_touch = plan.touches[0].at
        plan.status = "Working - Contacted"
        pause = {
            "convert": (HOUR, 3 * DAY),
            "disqualify": (0, 2 * DAY),
            "nurture": (DAY, 10 * DAY),
            "working": (0, 0),
        }[outcome]
        decided = working_hours(r, last + secs(r.uniform(*pause)))
        if outcome == "working" or decided >= SNAPSHOT:
            return plan
        plan.decided_at = decided
        if outcome == "convert":
            plan.status, plan.converted_at = "Closed - Converted", decided
        elif outcome == "disqualify":
            plan.status, plan.reason = "Closed - Not Converted", self._reason(p, profile, ready)
        else:
            plan.status = "Nurture"
            plan.owner = r.choice(self.marketers)
            self._add_nurture_emails(plan, decided)
        return plan

    def _lead_owner(self, profile: SourceProfile, at: datetime) -> User:
        if profile.team == "ae":
            return self._ae_at(at)
        return self.rng.choice(self.sdrs)

    def _ae_at(self, at: datetime) -> User:
        # leavers stop getting new work three months before they go
        leaving_soon = at >= datetime(2026, 4, 1)
        return self.rng.choice(self.staying_aes if leaving_soon else self.aes)

    def _add_touches(
        self, plan: SalesPlan, first: datetime, attempts: int, fast: bool, until: datetime
    ) -> datetime:
        r, at = self.rng, first
        owner = plan.owner
        assert owner is not None
        for i in range(attempts):
            if i:
                at = working_hours(r, at + secs(r.uniform(0.3, 2.5 if fast else 4.0) * DAY))
            if at > until:
                break
            plan.touches.append(self._touch(at, owner))
        return at

    def _touch(self, at: datetime, owner: User, follow_up: bool = False) -> Touch:
        r = self.rng
        if r.random() < 0.6:
            subjects = (
                ("Follow-up call", "Call")
                if follow_up
                else ("Call", "Left voicemail", "Intro call", "Call")
            )
            return Touch(at, owner, "Call", r.choice(subjects))
        subjects = (
            ("Email: Proposal follow-up", "Email: Next steps")
            if follow_up
            else ("Intro email", "Email: Re: your request", "Email: Checking in")
        )
        return Touch(at, owner, "Email", r.choice(subjects))

    def _add_nurture_emails(self, plan: SalesPlan, handed_over: datetime) -> None:
        at = handed_over
        assert plan.owner is not None
        # only some nurture leads get a logged personal email from marketing
        for _ in range(self.rng.choice((0, 0, 0, 1, 1, 2))):
            at = working_hours(self.rng, at + secs(self.rng.uniform(3, 30) * DAY))
            if at < SNAPSHOT:
                plan.touches.append(Touch(at, plan.owner, "Email", "Nurture email"))

    def _reason(self, p: Person, profile: SourceProfile, ready: bool) -> str:
        r = self.rng
        if not ready and (p.employees or 10) < 10 and r.random() < 0.4:
            return DISQUALIFY_REASONS[NO_BUDGET]
        if not ready and not has_budget_authority(p.title) and r.random() < 0.4:
            return DISQUALIFY_REASONS[NO_AUTHORITY]
        weights = list(profile.reasons)
        if ready:
            weights[NO_AUTHORITY] *= 0.3
        return r.choices(DISQUALIFY_REASONS, weights=weights)[0]

    # ---- opportunity -------------------------------------------------------------------------

    def _plan_opportunity(
        self, created: datetime, p: Person, profile: SourceProfile, ready: bool
    ) -> OppPlan:
        r = self.rng
        won = self._smoothed_chance("won", profile.win * (1.05 if ready else 0.8))
        last_open = 3 if won else r.choices(range(4), weights=(20, 35, 30, 15))[0]
        steps, at = [], created
        for i in range(last_open + 1):
            steps.append((at, STAGES[i]))
            at = working_hours(r, at + secs(r.uniform(*STAGE_DAYS[i]) * DAY))
        steps.append((at, "Closed Won" if won else "Closed Lost"))
        closes_at = at
        amount = self._amount(created, p)
        currency = p.country.currency
        forecast = month_end(closes_at.date() + timedelta(days=r.randint(0, 25)))
        history = []
        for at, stage in steps:
            if at >= SNAPSHOT:
                break
            if stage == "Proposal/Price Quote":
                amount = self._round_amount(amount * r.uniform(0.85, 1.15), currency)
                forecast = closes_at.date() + timedelta(days=r.randint(0, 10))
            closed = stage.startswith("Closed")
            history.append((at, stage, amount, at.date() if closed else forecast))
        return OppPlan(history, won)

    def _amount(self, created: datetime, p: Person) -> int:
        # bigger companies buy bigger deals, within the 5k-120k EUR price list
        size_factor = min(2.0, ((p.employees or 50) / 50) ** 0.2)
        eur = math.exp(self.rng.gauss(math.log(20_000), 0.7)) * size_factor
        eur = min(120_000, max(5_000, eur))
        currency = p.country.currency
        return self._round_amount(eur * self.rates[currency, created.year, created.month], currency)

    @staticmethod
    def _round_amount(value: float, currency: str) -> int:
        step = 1_000 if currency == "SEK" else 100
        return int(round(value / step) * step)

    # ---- writing one lead --------------------------------------------------------------------

    def _write_lead_bundle(
        self,
        seed: LeadSeed,
        p: Person,
        profile: SourceProfile,
        lead_id: str,
        sales: SalesPlan,
        opp: OppPlan | None,
        campaign: Campaign | None,
        signups: list[WebinarSignup],
        activities: list[Activity],
        isolated: str | None,
        messy: str | None,
        ready: bool,
    ) -> None:
        r, created = self.rng, seed.created
        converted = sales.converted_at
        contact_id = account_id = opp_id = ""
        ae = None
        if converted and opp:
            ae = sales.owner if is_account_executive(sales.owner) else self._ae_at(converted)
            assert ae is not None
            account_id, contact_id = self.ids.new("001"), self.ids.new("003")
            opp_id = self._write_opportunity(
                opp, account_id, p, seed.source, campaign, ae, converted
            )
            self._write_account_contact(p, seed.source, account_id, contact_id, ae, converted)
        last_change = max(created, sales.decided_at or created, sales.deleted_at or created)
        changed = sales.deleted_at or modstamp(r, last_change, max_days=2)
        row = lead_row(lead_id, p, seed.source, sales.status, sales.owner, created, changed)
        if converted:
            set_lead_fields(
                row,
                IsConverted="true",
                ConvertedDate=converted.date().isoformat(),
                ConvertedOpportunityId=opp_id,
                ConvertedContactId=contact_id,
                ConvertedAccountId=account_id,
            )
        set_lead_fields(
            row,
            IsDeleted=sf_bool(sales.deleted_at is not None),
            Disqualified_Reason__c=sales.reason,
        )
        self._write_lead_row(row, messy)
        if not isolated and not sales.deleted_at:
            self._write_lead_history(lead_id, created, profile, sales, changed)
        if not isolated:
            subscribed = next(
                (a.at for a in activities if a.value == "Newsletter Signup" and a.at >= created),
                None,
            )
            self._write_members(
                lead_id,
                contact_id,
                converted,
                created,
                campaign,
                signups,
                subscribed,
                sales.deleted_at,
            )
            reached_sql = any(
                a.type_id == FORM and a.value in SQL_FORMS and a.at < (sales.decided_at or SNAPSHOT)
                for a in activities
            )
            self._write_touches(sales, lead_id, contact_id, opp_id, opp, ae, reached_sql)
            person_row = self._write_person(p, lead_id, contact_id, created, converted, activities)
            self._remember_for_next_day(row, p, profile, ready, sales, person_row)
        self._record(seed, row, activities, sales, opp, ready, isolated)

    def _remember_for_next_day(
        self,
        row: list,
        p: Person,
        profile: SourceProfile,
        ready: bool,
        sales: SalesPlan,
        person_row: list,
    ) -> None:
        # every CHANGED_EVERY-th lead, a choice that draws no random number, so remembering
        # leads for the delta leaves the base export as it was
        self.leads_seen += 1
        if not self.keep_next_day or sales.deleted_at or self.leads_seen % CHANGED_EVERY:
            return
        assert sales.owner is not None
        self.next_day_leads.append(KnownLead(list(row), p, profile, ready, sales.owner, person_row))

    def _write_lead_history(
        self,
        lead_id: str,
        created: datetime,
        profile: SourceProfile,
        sales: SalesPlan,
        modified: datetime,
    ) -> None:
        """Status and Owner changes of one lead, in time order, matching its row and tasks."""
        owner = sales.owner
        assert owner is not None
        changes: list[tuple[datetime, str, str, str]] = []  # at, field, old, new
        handoff = self._handoff_moment(created, profile, sales, modified)
        if handoff:
            marketer = self.history_rng.choice(self.marketers)
            changes.append((handoff, "Owner", marketer.id, owner.id))
        if sales.status != "Open - Not Contacted":
            assert sales.first_touch is not None
            changes.append((sales.first_touch, "Status", "Open - Not Contacted", STATUS_WORKING))
        if sales.status not in ("Open - Not Contacted", STATUS_WORKING):
            assert sales.decided_at is not None
            changes.append((sales.decided_at, "Status", STATUS_WORKING, sales.status))
            if sales.status == "Nurture":
                # recycled: the rep who worked the lead hands it back to marketing
                worked_by = sales.touches[0].owner
                changes.append((sales.decided_at, "Owner", worked_by.id, owner.id))
                self.stats.history["recycled"] += 1
        for at, field_name, old, new in changes:
            assert created <= at < SNAPSHOT
            self._write_history_row(lead_id, at, field_name, old, new)
            self.stats.history[field_name] += 1

    def _write_history_row(
        self, lead_id: str, at: datetime, field_name: str, old: str, new: str
    ) -> None:
        self.out.lead_history.row(
            [self.ids.new("017"), lead_id, field_name, old, new, sf_dt(at), "false"]
        )

    def _handoff_moment(
        self, created: datetime, profile: SourceProfile, sales: SalesPlan, modified: datetime
    ) -> datetime | None:
        """When a lead marketing brought in left a marketer's queue for its sales owner, if so."""
        if sales.status == "Nurture" or profile.entry == "sales":
            return None  # owned by marketing now, or entered by sales itself
        # a few minutes to a few hours after creation, before the first sales touch, and no
        # later than the last modification Lead.csv shows
        latest = min(created + timedelta(hours=4), modified, LAST_MOMENT)
        if sales.first_touch:
            latest = min(latest, sales.first_touch - timedelta(minutes=1))
        earliest = created + timedelta(minutes=3)
        if latest <= earliest:
            return None
        self.stats.history["handoff_eligible"] += 1
        if not self._smoothed_chance("handoff", HANDOFF_SHARE, self.history_rng):
            return None
        low = math.log((earliest - created).total_seconds())
        high = math.log((latest - created).total_seconds())
        self.stats.history["handoff"] += 1
        return created + secs(math.exp(self.history_rng.uniform(low, high)))

    def _cosmetic_mess(self, p: Person, messy: str | None) -> None:
        """Valid-but-untidy values a CRM collects; contacts inherit them on conversion."""
        r = self.rng
        if r.random() < 0.02:
            local, domain = p.email.split("@")
            parts = [part[:1].upper() + part[1:] for part in local.split(".")]
            p.email = f"{'.'.join(parts)}@{domain.capitalize()}"
        if p.title and r.random() < 0.01:
            styles = (str.upper, str.lower, lambda t: f"  {t} ", lambda t: t.replace(" ", "  "))
            p.title = r.choice(styles)(p.title)
        if messy == "head_of_sales":
            p.title = "  head of SALES "

    def _write_lead_row(self, row: list, messy: str | None) -> None:
        column_name, value = PLANTED_VALUES.get(messy or "", ("Title", None))
        column = LEAD_COLUMN_INDEX[column_name]
        if value is not None:
            row[column] = value
        if messy == "extra_comma":
            # written by hand: the csv writer would quote the comma and repair the row
            cells = ["" if v is None else str(v) for v in row]
            assert not any(c in v for i, v in enumerate(cells) if i != column for c in ',"\n')
            line = self.out.lead.raw_line(",".join(cells))
        else:
            line = self.out.lead.row(row)
        if messy:
            detail = f"{column_name} {row[column]!r} ({messy}, Id {row[0]})"
            self.stats.messy.append(("salesforce/Lead.csv", line, detail))

    def _write_members(
        self,
        lead_id: str,
        contact_id: str,
        converted: datetime | None,
        created: datetime,
        campaign: Campaign | None,
        signups: list[WebinarSignup],
        subscribed: datetime | None,
        deleted_at: datetime | None,
    ) -> None:
        r = self.rng
        memberships: list[tuple[Campaign, datetime, str, bool]] = []
        if campaign:
            # the sync stamps the membership with the response time, at or just before creation
            at = created if r.random() < 0.75 else created - secs(r.uniform(60, 900))
            status, responded = self._member_status(campaign, signups)
            memberships.append((campaign, at, status, responded))
        for s in signups:
            if s.campaign == campaign or s.registered_at < created:
                continue
            status, responded = self._member_status(s.campaign, [s])
            memberships.append((s.campaign, s.registered_at, status, responded))
        if subscribed and self.newsletter.start <= subscribed.date() <= self.newsletter.end:
            memberships.append((self.newsletter, subscribed, "Responded", True))
        for campaign_, at, status, responded in memberships:
            if at >= SNAPSHOT or (deleted_at and at > deleted_at):
                continue
            # conversion adds the contact to existing memberships; later ones are contact-only
            after_conversion = converted is not None and at >= converted
            lead = "" if after_conversion else lead_id
            contact = contact_id if converted else ""
            changed = deleted_at or modstamp(r, max(at, converted or at))
            self.out.member.row(
                [
                    self.ids.new("00v"),
                    campaign_.id,
                    lead,
                    contact,
                    status,
                    sf_bool(responded),
                    sf_dt(at),
                    at.date().isoformat() if responded else "",
                    sf_bool(deleted_at is not None),
                    sf_dt(changed),
                ]
            )

    def _member_status(self, c: Campaign, signups: list[WebinarSignup]) -> tuple[str, bool]:
        if c.type == "Webinar":
            signup = next((s for s in signups if s.campaign == c), None)
            if c.event_at and c.event_at < SNAPSHOT and signup:
                return ("Attended" if signup.attended else "No Show"), True
            return "Registered", True
        if c.source == "Purchased List":
            return "Sent", False
        status = {
            "Content Syndication": "Downloaded",
            "Advertisement": "Clicked",
            "Classifieds": "Responded",
            "Partners": "Referred",
            "Trade Show": "Visited Booth",
        }.get(c.type, "Responded")
        return status, True

    def _write_touches(
        self,
        sales: SalesPlan,
        lead_id: str,
        contact_id: str,
        opp_id: str,
        opp: OppPlan | None,
        ae: User | None,
        reached_sql: bool,
    ) -> None:
        r = self.rng
        deleted = sales.deleted_at
        for t in sales.touches:
            self._write_task(t, lead_id, "", deleted)
            if not deleted and r.random() < 0.003:
                # logged twice by accident and the copy was deleted
                copy = Touch(t.at + secs(r.uniform(30, 180)), t.owner, t.kind, t.subject)
                self._write_task(copy, lead_id, "", copy.at + secs(r.uniform(60, 3_600)))
        sales_touches = [t for t in sales.touches if t.subject != "Nurture email"]
        if sales_touches and not deleted and self.pending_broken_task:
            self._write_broken_task(sales_touches, lead_id)
        if reached_sql and self.rng.random() < 0.7:
            self._write_discovery_call(sales, lead_id)
        if opp and ae and sales.converted_at:
            self._write_opp_follow_up(opp, ae, sales.converted_at, contact_id, opp_id)

    def _write_task(self, t: Touch, who: str, what: str, deleted_at: datetime | None) -> None:
        r = self.rng
        if t.kind == "Call":
            duration = 0 if r.random() < 0.3 else r.randint(25, 1_500)
            duration = r.randint(15, 60) if t.subject == "Left voicemail" else duration
        else:
            duration = None
        changed = deleted_at or modstamp(r, t.at, max_days=0.01)
        self.out.task.row(
            [
                self.ids.new("00T"),
                who,
                what,
                t.owner.id,
                t.subject,
                t.kind,
                t.kind,
                "Completed",
                sf_dt(t.at),
                t.at.date().isoformat(),
                duration,
                sf_bool(deleted_at is not None),
                sf_dt(changed),
            ]
        )

    def _write_broken_task(self, touches: list[Touch], lead_id: str) -> None:
        if len(touches) < 2 or touches[-1].at.date() >= date(2026, 10, 30):
            return
        last = touches[-1]
        day = last.at.date() + timedelta(days=1)
        line = self.out.task.row(
            [
                self.ids.new("00T"),
                lead_id,
                "",
                last.owner.id,
                "Follow-up call",
                "Call",
                "Call",
                "Completed",
                "2026-04-31T09:00:00.000Z",
                day.isoformat(),
                0,
                "false",
                sf_dt(datetime(day.year, day.month, day.day, 9, 5)),
            ]
        )
        self.pending_broken_task = False
        detail = f"CreatedDate '2026-04-31T09:00:00.000Z' (WhoId {lead_id})"
        self.stats.messy.append(("salesforce/Task.csv", line, detail))

    def _write_discovery_call(self, sales: SalesPlan, lead_id: str) -> None:
        if not sales.first_touch:
            return
        booked = sales.first_touch
        start = meeting_slot(self.rng, booked.date() + timedelta(days=self.rng.randint(1, 5)))
        if sales.decided_at and start >= sales.decided_at:
            return  # decided before a meeting could take place
        owner = sales.touches[0].owner  # the rep who qualified it, even if marketing owns it now
        self._write_event(lead_id, "", owner, "Discovery call", booked, start, 30)

    def _write_event(
        self,
        who: str,
        what: str,
        owner: User,
        subject: str,
        booked: datetime,
        start: datetime,
        minutes: int,
    ) -> None:
        end = start + timedelta(minutes=minutes)
        # a meeting still ahead at export time was last edited when it was booked
        changed = max(booked, end) if end < SNAPSHOT else modstamp(self.rng, booked, max_days=1)
        self.out.event.row(
            [
                self.ids.new("00U"),
                who,
                what,
                owner.id,
                subject,
                "Meeting",
                sf_dt(start),
                sf_dt(end),
                sf_dt(booked),
                "false",
                sf_dt(changed),
            ]
        )

    def _write_opp_follow_up(
        self, opp: OppPlan, ae: User, converted: datetime, contact_id: str, opp_id: str
    ) -> None:
        r = self.rng
        end = opp.history[-1][0] if opp.history[-1][1].startswith("Closed") else LAST_MOMENT
        at = converted
        for _ in range(r.randint(2, self.volumes.opp_follow_ups)):
            at = working_hours(r, at + secs(r.uniform(2, 15) * DAY))
            if at >= end:
                break
            self._write_task(self._touch(at, ae, follow_up=True), contact_id, opp_id, None)
        if r.random() < 0.8:
            booked = converted + secs(r.uniform(0, DAY))
            if booked < SNAPSHOT:
                start = meeting_slot(r, booked.date() + timedelta(days=r.randint(2, 14)))
                self._write_event(contact_id, opp_id, ae, "Demo", booked, start, 60)

    def _write_opportunity(
        self,
        opp: OppPlan,
        account_id: str,
        p: Person,
        source: str,
        campaign: Campaign | None,
        owner: User,
        created: datetime,
    ) -> str:
        opp_id = self.ids.new("006")
        for at, stage, amount, close_day in opp.history:
            self.out.opp_history.row(
                [
                    self.ids.new("008"),
                    opp_id,
                    sf_dt(at),
                    stage,
                    amount,
                    close_day.isoformat(),
                    PROBABILITY[stage],
                    "false",
                    sf_dt(at),
                ]
            )
        at, stage, amount, close_day = opp.history[-1]
        closed = stage.startswith("Closed")
        currency = p.country.currency
        product = PRODUCTS[p.product]
        self.out.opp.row(
            [
                opp_id,
                account_id,
                f"{p.company} - {product}",
                amount,
                currency,
                stage,
                PROBABILITY[stage],
                sf_dt(created),
                close_day.isoformat(),
                sf_bool(closed),
                sf_bool(stage == "Closed Won"),
                source,
                campaign.id if campaign else "",
                owner.id,
                "false",
                sf_dt(modstamp(self.rng, at, max_days=2)),
            ]
        )
        self.stats.opps["total"] += 1
        self.stats.opps["closed"] += closed
        self.stats.opps["won"] += stage == "Closed Won"
        self.stats.opps[currency] += 1
        return opp_id

    def _write_account_contact(
        self, p: Person, source: str, account_id: str, contact_id: str, owner: User, at: datetime
    ) -> None:
        # sales often fills in the company size on conversion
        employees = p.employees or self.rng.choice((None, 25, 50, 100))
        self._write_account(account_id, p, owner, at, employees, 60)
        self.out.contact.row(
            [
                contact_id,
                account_id,
                p.first,
                p.last,
                p.email,
                p.phone,
                p.title,
                source,
                owner.id,
                sf_dt(at),
                "false",
                sf_dt(modstamp(self.rng, at, max_days=20)),
            ]
        )

    # ---- Marketo -----------------------------------------------------------------------------

    def _write_person(
        self,
        p: Person,
        lead_id: str,
        contact_id: str,
        created: datetime,
        converted: datetime | None,
        activities: list[Activity],
    ) -> list:
        r = self.rng
        person_id = self.next_person_id
        self.next_person_id += 1
        roll = r.random()
        sfdc_lead, sfdc_contact = "", ""
        if converted and roll < 0.05:
            sfdc_contact = contact_id  # Marketo synced the contact but lost the lead link
        elif roll < 0.85:
            sfdc_lead, sfdc_contact = lead_id, contact_id
        # Marketo knows the person from their first form or registration, else from the sync
        known = [a.at for a in activities if a.type_id in (FORM, PROGRAM)]
        created_at = min([created + secs(r.uniform(60, 900)), *known])
        updated = max([created_at, converted or created_at, *(a.at for a in activities)])
        updated = modstamp(r, updated, max_days=1 / 24)
        row = [
            person_id,
            p.email.lower(),
            sfdc_lead,
            sfdc_contact,
            p.first,
            p.last,
            p.company,
            mk_dt(created_at),
            mk_dt(updated),
        ]
        self.out.mkto_lead.row(row)
        self._write_activities(person_id, activities)
        self.stats.sf_activities += len(activities)
        self.stats.sf_persons += 1
        if self.pending_broken_activity and activities:
            self._write_broken_activity(person_id)
        return row

    def _write_activities(self, person_id: int, activities: list[Activity]) -> None:
        for a in activities:
            self._write_activity(person_id, a, mk_dt(a.at))

    def _write_activity(self, person_id: int, a: Activity, when: str) -> int:
        guid = self.next_guid
        self.next_guid += 1
        attrs = _compact_json(a.attributes)
        return self.out.activity.row(
            [guid, person_id, when, a.type_id, a.campaign_id, a.value_id, a.value, attrs]
        )

    def _write_broken_activity(self, person_id: int) -> None:
        when = self.pending_broken_activity or ""
        page = BLOG_PAGES[1]
        visit = Activity(
            SNAPSHOT,
            VISIT,
            page,
            PAGE_IDS[page],
            None,
            {
                "Webpage URL": f"{SITE}{page}",
                "Query Parameters": "",
                "Client IP Address": "203.0.113.7",
            },
        )
        line = self._write_activity(person_id, visit, when)
        self.pending_broken_activity = None
        detail = f"activityDate {when!r} (leadId {person_id})"
        self.stats.messy.append(("marketing/activities.csv", line, detail))

    def emit_nurture_person(self, created_at: datetime) -> None:
        """A Marketo-only person (newsletter/whitepaper audience) never synced to Salesforce."""
        r = self.rng
        p = self._draw_person(self._draw_country(), freemail=0.25)
        product = p.product
        first_form = (
            "Newsletter Signup" if r.random() < 0.5 else self._whitepaper_form(created_at, None)
        )
        acts = [self._form(created_at, first_form, product)]
        ip = self._draw_ip()
        for _ in range(r.randint(0, 4)):
            at = created_at + secs(r.uniform(0, 150 * DAY))
            acts.append(self._visit(at, r.choice(BLOG_PAGES + OTHER_PAGES + ("/pricing",)), "", ip))
        acts += self._email_clicks(created_at, LAST_MOMENT)
        if r.random() < 0.05:
            signups: list[WebinarSignup] = []
            self._maybe_webinar(created_at, signups)
            for s in signups:
                acts += self._webinar_activities(s)
        acts = sorted((a for a in acts if a.at < SNAPSHOT), key=lambda a: a.at)
        person_id = self.next_person_id
        self.next_person_id += 1
        updated = modstamp(r, acts[-1].at, max_days=1 / 24)
        self.out.mkto_lead.row(
            [
                person_id,
                p.email.lower(),
                "",
                "",
                p.first,
                p.last,
                p.company,
                mk_dt(created_at),
                mk_dt(updated),
            ]
        )
        self._write_activities(person_id, acts)

    # ---- sales-sourced opportunities ---------------------------------------------------------

    def emit_sales_sourced_opportunities(self) -> None:
        r = self.rng
        count = round(self.lead_opps * 0.15 / 0.85)
        for _ in range(count):
            account_id, owner, person = r.choice(self.preexisting)
            created = self._random_moment(business_hours=True)
            if owner.deactivated and created >= datetime(2026, 4, 1):
                owner = self._ae_at(created)
            source = r.choice(("Cold Call", "Referral"))
            plan = self._plan_opportunity(created, person, SOURCE_BY_NAME[source], ready=True)
            opp_id = self._write_opportunity(plan, account_id, person, source, None, owner, created)
            at = created
            for _ in range(r.randint(1, 4)):
                at = working_hours(r, at + secs(r.uniform(1, 12) * DAY))
                if at < SNAPSHOT:
                    self._write_task(self._touch(at, owner, follow_up=True), "", opp_id, None)

    # ---- the next day's incremental export ---------------------------------------------------

    def emit_next_day(self, out: Output, new_leads: int) -> None:
        """The day after the export instant: that day's new leads, and a changed version of
        each lead remembered while streaming the base, with the tasks, history, opportunities
        and Marketo rows that go with each change. Runs after the base, so its random draws
        cannot disturb the base files."""
        self.out = out  # every writer below now appends to the next day's files
        for created in sorted(self._next_day_moment(False) for _ in range(new_leads)):
            self._emit_new_lead(created)
        for known in self.next_day_leads:
            self._emit_change(known, self._next_day_moment(True))

    def _next_day_moment(self, business_hours: bool) -> datetime:
        return SNAPSHOT + self._time_of_day(business_hours)

    def _emit_new_lead(self, created: datetime) -> None:
        r = self.rng
        profile = r.choices(SOURCES, weights=[s.weight for s in SOURCES])[0]
        p = self._draw_person(self._draw_country(), profile.freemail)
        has_intent = self._fill_qualification(p, profile, ready=r.random() < profile.ready)
        owner = self._lead_owner(profile, created)
        lead_id = self.ids.new("00Q")
        trigger = created - secs(r.uniform(20, 480))
        form = self._pick_intent_form(will_convert=False) if has_intent else "Newsletter Signup"
        landing = self._visit(
            trigger - secs(r.uniform(30, 600)), self._landing(p.product), "", self._draw_ip()
        )
        status, changed = STATUS_OPEN, created
        first_touch = created + secs(r.lognormvariate(math.log(90 * 60), 1.0))
        if first_touch < NEXT_DAY_END:
            self._write_task(self._touch(first_touch, owner), lead_id, "", None)
            self._write_history_row(lead_id, first_touch, "Status", STATUS_OPEN, STATUS_WORKING)
            status, changed = STATUS_WORKING, first_touch
        self.out.lead.row(lead_row(lead_id, p, profile.name, status, owner, created, changed))
        self._write_person(
            p, lead_id, "", created, None, [landing, self._form(trigger, form, p.product)]
        )

    def _emit_change(self, known: KnownLead, at: datetime) -> None:
        """Work on the lead moves it one step; a lead already decided only gets edited."""
        r, row = self.rng, known.row
        lead_id = str(lead_field(row, "Id"))
        status = lead_field(row, "Status")
        changed = at
        if status == STATUS_OPEN:
            self._write_task(self._touch(at, known.owner), lead_id, "", None)
            self._write_history_row(lead_id, at, "Status", STATUS_OPEN, STATUS_WORKING)
            set_lead_fields(row, Status=STATUS_WORKING)
        elif status == STATUS_WORKING:
            self._write_task(self._touch(at, known.owner), lead_id, "", None)
            changed = min(at + secs(r.uniform(60, 2 * HOUR)), NEXT_DAY_END - timedelta(seconds=1))
            outcome = r.choices(("convert", "disqualify", "working"), weights=(25, 45, 30))[0]
            if outcome == "convert":
                self._convert_next_day(known, changed)
            elif outcome == "disqualify":
                reason = self._reason(known.person, known.profile, known.ready)
                set_lead_fields(row, Status=STATUS_DISQUALIFIED, Disqualified_Reason__c=reason)
                self._write_history_row(
                    lead_id, changed, "Status", STATUS_WORKING, STATUS_DISQUALIFIED
                )
        set_lead_fields(row, SystemModstamp=sf_dt(changed))
        self.out.lead.row(row)
        visits = sorted(
            (
                self._visit(
                    at + secs(r.uniform(0, 4 * HOUR)),
                    r.choice(PRODUCT_PAGES + BLOG_PAGES),
                    "",
                    self._draw_ip(),
                )
                for _ in range(r.randint(0, 3))
            ),
            key=lambda a: a.at,
        )
        self._write_activities(int(known.person_row[0]), visits)

    def _convert_next_day(self, known: KnownLead, at: datetime) -> None:
        """Convert into a new account, contact and opportunity; Marketo syncs the contact."""
        r, row, p = self.rng, known.row, known.person
        lead_id, source = str(lead_field(row, "Id")), known.profile.name
        ae = known.owner if is_account_executive(known.owner) else self._ae_at(at)
        account_id, contact_id = self.ids.new("001"), self.ids.new("003")
        close = month_end(at.date() + timedelta(days=r.randint(30, 90)))
        plan = OppPlan([(at, STAGES[0], self._amount(at, p), close)], won=False)
        opp_id = self._write_opportunity(plan, account_id, p, source, None, ae, at)
        self._write_account_contact(p, source, account_id, contact_id, ae, at)
        set_lead_fields(
            row,
            Status=STATUS_CONVERTED,
            IsConverted="true",
            ConvertedDate=at.date().isoformat(),
            ConvertedOpportunityId=opp_id,
            ConvertedContactId=contact_id,
            ConvertedAccountId=account_id,
        )
        self._write_history_row(lead_id, at, "Status", STATUS_WORKING, STATUS_CONVERTED)
        person = dict(zip(MARKETO_LEAD_COLUMNS, known.person_row, strict=True))
        if person["sfdcLeadId"]:
            self.out.mkto_lead.row(
                list((person | {"sfdcContactId": contact_id, "updatedAt": mk_dt(at)}).values())
            )

    # ---- statistics --------------------------------------------------------------------------

    def _record(
        self,
        seed: LeadSeed,
        row: list,
        activities: list[Activity],
        sales: SalesPlan,
        opp: OppPlan | None,
        ready: bool,
        isolated: str | None,
    ) -> None:
        s = self.stats
        if sales.converted_at:
            self.lead_opps += 1
        if sales.deleted_at or (isolated or "").startswith("date"):
            return
        created = seed.created
        intents = [a.at for a in activities if a.type_id == FORM and a.value in INTENT_FORMS]
        employees = lead_field(row, "NumberOfEmployees")
        title = lead_field(row, "Title")
        meets = meets_lead_definition(str(employees or ""), title, created, intents)
        month = f"{created.year}-{created.month:02d}"
        s.month_leads[month] += 1
        s.month_ready[month] += meets
        s.owners["sales" if sales.status != "Nurture" else "marketing"] += 1
        s.source[seed.source, "leads"] += 1
        s.source[seed.source, "meets"] += meets
        s.source[seed.source, "converted"] += bool(sales.converted_at)
        if meets != ready and not isolated:
            s.old["latent_mismatch"] += 1
        if created < OLD_COHORT_END:
            group = "ready" if meets else "other"
            s.old[group] += 1
            s.old[group, "converted"] += bool(sales.converted_at)
            s.old[group, "won"] += bool(opp and opp.won and opp.history[-1][1] == "Closed Won")
            s.status_old[sales.status] += 1

    # ---- driver ------------------------------------------------------------------------------

    def plan_shards(self, count: int) -> list[Shard]:
        """Write the dimensions, plan every lead and split the leads, in creation order, into
        `count` shards of consecutive leads, each with the Marketo-only persons created among
        them."""
        self.write_dimensions()
        seeds = self.plan_seeds()
        created = [s.created for s in seeds]
        taken: set[int] = set()
        plants = Plants(
            {index_on_or_after(created, when, taken): kind for kind, when in PLANTED_LEADS},
            {
                index_on_or_after(created, when, taken): value
                for when, value in PLANTED_ACTIVITY_DATES
            },
            index_on_or_after(created, PLANTED_TASK_AFTER, taken),
        )
        # Marketo-only persons are interleaved by creation time so Marketo ids follow time
        nurture_times = sorted(
            datetime(2025, 9, 1) + secs(self.rng.uniform(0, 425 * DAY))
            for _ in range(round(self.n_leads * self.volumes.nurture_share))
        )
        bounds = [len(seeds) * k // count for k in range(count + 1)]
        # a shard's persons are those created after the previous shard's last lead
        cuts = [bisect.bisect_right(nurture_times, created[b - 1]) for b in bounds[1:-1]]
        cuts = [0, *cuts, len(nurture_times)]
        return [
            Shard(
                k,
                count,
                bounds[k],
                seeds[bounds[k] : bounds[k + 1]],
                nurture_times[cuts[k] : cuts[k + 1]],
                plants,
            )
            for k in range(count)
        ]

    def for_shard(self, shard: Shard) -> SampleGenerator:
        """A copy of this planned generator, ready to make `shard`."""
        generator = copy.copy(self)
        generator._start_shard(shard.number, shard.count)
        return generator

    def run_shard(self, shard: Shard, out: Output, next_day: Output | None) -> None:
        """The shard's leads and Marketo-only persons in creation order, the sales-sourced
        opportunities of as many leads, then (to `next_day`) the next day's share of them."""
        self.out = out
        plants, nurture_times, next_nurture = shard.plants, shard.nurture_times, 0
        for i, seed in enumerate(shard.seeds, start=shard.start):
            while next_nurture < len(nurture_times) and nurture_times[next_nurture] <= seed.created:
                self.emit_nurture_person(nurture_times[next_nurture])
                next_nurture += 1
            if i in plants.broken_activities:
                self.pending_broken_activity = plants.broken_activities[i]
            if i == plants.broken_task:
                self.pending_broken_task = True
            self.emit_lead(seed, plants.messy.get(i))
        for at in nurture_times[next_nurture:]:
            self.emit_nurture_person(at)
        self.emit_sales_sourced_opportunities()
        if next_day is not None:
            self.emit_next_day(next_day, new_leads=max(1, round(len(shard.seeds) / 365)))
        limit = (shard.number + 1) * SHARD_ID_ROOM  # each shard keeps to its id ranges
        assert self.ids.highest() - _ID_START < limit
        assert max(self.next_person_id - FIRST_PERSON_ID, self.next_guid - FIRST_GUID) < limit


def index_on_or_after(created: list[datetime], when: datetime, taken: set[int]) -> int:
    """Index of the first lead created at or after `when` that no other plant uses yet."""
    index = bisect.bisect_left(created, when)
    index = min(index, len(created) - 1)
    while index in taken:
        index = (index + 1) % len(created)
    taken.add(index)
    return index


# --------------------------------------------------------------------------------------------
# Shards: made in parallel, concatenated in order
# --------------------------------------------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of an export file, with its header line."""

    path: Path
    lines: int
    rows: int


def parts_of(out: Output) -> dict[str, Part]:
    return {name: Part(sink.path, sink.lines, sink.rows) for name, sink in out.sinks.items()}


# The plan and its shards, in each process. Workers get them once, when they start (forked
# processes share the parent's memory), so a shard's task is only its number.
_plan: tuple[SampleGenerator, list[Shard]] | None = None


def _set_plan(generator: SampleGenerator, shards: list[Shard]) -> None:
    global _plan
    _plan = generator, shards


def make_shard(
    number: int, parts: Path, next_day: bool
) -> tuple[dict[str, Part], dict[str, Part], Stats]:
    """Write one shard's part files under `parts`: its full export's, its next day's."""
    assert _plan is not None
    planned, shards = _plan
    shard = shards[number]
    generator = planned.for_shard(shard)
    out = Output(parts / f"{number:05d}")
    delta = Output(parts / f"{number:05d}-next-day") if next_day else None
    try:
        generator.run_shard(shard, out, delta)
    finally:
        for output in (out, delta):
            if output is not None:
                output.close()
    return parts_of(out), parts_of(delta) if delta else {}, generator.stats


def made_shards(
    generator: SampleGenerator, shards: list[Shard], parts: Path, next_day: bool, workers: int
) -> Iterator[tuple[dict[str, Part], dict[str, Part], Stats]]:
    """Each shard's parts and stats, in shard order, made by up to `workers` processes."""
    make = functools.partial(make_shard, parts=parts, next_day=next_day)
    if min(workers, len(shards)) == 1:
        _set_plan(generator, shards)
        yield from map(make, range(len(shards)))
        return
    with ProcessPoolExecutor(workers, initializer=_set_plan, initargs=(generator, shards)) as pool:
        yield from pool.map(make, range(len(shards)))


class ExportFile:
    """An export file put together from parts: the first whole, the others without header."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines = self.rows = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = path.open("wb")

    def append(self, part: Part) -> int:
        """Move `part` to the end of the file; return what to add to its line numbers."""
        offset = max(0, self.lines - 1)
        with part.path.open("rb") as src:
            if self.lines:
                src.readline()
            shutil.copyfileobj(src, self._fh, 1 << 20)
        part.path.unlink()
        self.lines += part.lines - 1 if self.lines else part.lines
        self.rows += part.rows
        return offset

    def close(self) -> None:
        self._fh.close()


SHIPPED_SAMPLE = Path(__file__).resolve().parent / "sample"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="sample")
    parser.add_argument("--out", type=Path, help="default: seeds/sample for --size sample")
    parser.add_argument("--seed", type=int, default=20261031)
    parser.add_argument("--leads", type=int, help="override the size's lead count")
    delta = parser.add_mutually_exclusive_group()
    delta.add_argument(
        "--delta-out", type=Path, help="write the next day's delta here (default: --out)"
    )
    delta.add_argument("--no-delta", action="store_true", help="write no next-day delta")
    parser.add_argument(
        "--leads-per-shard",
        type=int,
        default=LEADS_PER_SHARD,
        help="leads made as one shard (the data depends on it; the shipped sample is one shard)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes making shards (default: one per core; the data does not depend on it)",
    )
    args = parser.parse_args(argv)
    if args.out is None and args.size != "sample":
        parser.error(f"--out is required with --size {args.size}")
    args.out = args.out or SHIPPED_SAMPLE
    args.leads = args.leads or SIZES[args.size].leads
    if args.leads < 100:
        parser.error("--leads must be at least 100 so the planted messy rows stay distinct")
    if args.leads_per_shard < 1 or args.workers < 1:
        parser.error("--leads-per-shard and --workers must be at least 1")
    return args


def delta_root(args: argparse.Namespace) -> Path | None:
    """The shipped sample has no delta unless asked for, so `make sample` stays as it was."""
    if args.no_delta:
        return None
    return args.delta_out or (None if args.size == "sample" else args.out)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    files, next_day, stats = generate(args)
    print_report(args.out, files, stats, time.perf_counter() - started)
    next_day_root = delta_root(args)
    if next_day_root is not None:
        print_file_sizes(next_day_root, next_day)


def generate(args: argparse.Namespace) -> tuple[dict, dict, Stats]:
    """Plan, make the shards, and append each shard's parts to the export files as it is done;
    return the full export's files, the next day's (if any) and the stats."""
    volumes = replace(SIZES[args.size], leads=args.leads)
    next_day_root = delta_root(args)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".parts-", dir=args.out) as tmp:
        parts = Path(tmp)
        plan_out = Output(parts / "plan")
        generator = SampleGenerator(args.seed, volumes, plan_out, next_day_root is not None)
        try:
            shards = generator.plan_shards(max(1, round(args.leads / args.leads_per_shard)))
        finally:
            plan_out.close()
        generator.out = None  # the workers get the plan, not its open files
        files = {name: ExportFile(export_path(args.out, name, None)) for name in HEADERS}
        next_day = {}
        if next_day_root is not None:
            day = SNAPSHOT.date()
            next_day = {name: ExportFile(export_path(next_day_root, name, day)) for name in HEADERS}
        stats = Stats()
        for name, part in parts_of(plan_out).items():
            files[name].append(part)
        made = made_shards(generator, shards, parts, next_day_root is not None, args.workers)
        for shard_parts, next_day_parts, shard_stats in made:
            stats.add(shard_stats, {name: files[name].append(p) for name, p in shard_parts.items()})
            for name, part in next_day_parts.items():
                next_day[name].append(part)
        for file in (*files.values(), *next_day.values()):
            file.close()
    return files, next_day, stats


def print_file_sizes(
    root: Path, files: dict[str, ExportFile], seconds: float | None = None
) -> None:
    total = 0
    print(f"wrote {root}")
    for file in files.values():
        size = file.path.stat().st_size
        total += size
        print(f"  {file.path.relative_to(root)!s:38} {file.rows:>8} rows {size / 1e6:7.2f} MB")
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    print(f"  {'total':38} {'':>8}      {total / 1e6:7.2f} MB{took}")


def print_report(root: Path, files: dict[str, ExportFile], stats: Stats, seconds: float) -> None:
    print_file_sizes(root, files, seconds)
    print("leads meeting the lead definition per month (evaluated on the written data):")
    for month in sorted(stats.month_leads):
        leads, ready = stats.month_leads[month], stats.month_ready[month]
        print(f"  {month}: {ready:>5} of {leads:>6} = {ready / leads:6.1%}")
    old = stats.old
    for group in ("ready", "other"):
        n = max(1, old[group])
        print(
            f"{group:>5} leads created before {OLD_COHORT_END:%Y-%m-%d}: {old[group]}, converted "
            f"{old[group, 'converted'] / n:.1%}, won {old[group, 'won'] / n:.1%}"
        )
    print(f"latent/evaluated definition mismatches: {old['latent_mismatch']}")
    n_old = max(1, sum(stats.status_old.values()))
    print(
        "status of leads created before the cohort end: "
        + ", ".join(f"{k} {v / n_old:.0%}" for k, v in stats.status_old.most_common())
    )
    n_touch = max(1, sum(stats.touch.values()))
    print("first touch: " + ", ".join(f"{k} {v / n_touch:.0%}" for k, v in stats.touch.items()))
    n_own = max(1, sum(stats.owners.values()))
    print("owners: " + ", ".join(f"{k} {v / n_own:.0%}" for k, v in stats.owners.items()))
    h = stats.history
    print(
        f"lead history: Status {h['Status']}, Owner {h['Owner']} rows; recycled to marketing "
        f"{h['recycled']}, marketing-to-sales hand-offs {h['handoff']} "
        f"({h['handoff'] / max(1, stats.owners['sales']):.1%} of sales-owned leads)"
    )
    o = stats.opps
    print(
        f"opportunities {o['total']}: closed {o['closed']}, won {o['won']} "
        f"({o['won'] / max(1, o['closed']):.0%} of closed), EUR {o['EUR'] / o['total']:.0%}"
    )
    print(f"marketo activities per Salesforce lead: {stats.sf_activities / stats.sf_persons:.1f}")
    print("by source (leads, meets definition, converted):")
    for s in SOURCES:
        leads = max(1, stats.source[s.name, "leads"])
        print(
            f"  {s.name or '(empty)':17} {stats.source[s.name, 'leads']:>6} "
            f"{stats.source[s.name, 'meets'] / leads:6.1%} "
            f"{stats.source[s.name, 'converted'] / leads:6.1%}"
        )
    print("planted messy rows:")
    for name, line, detail in sorted(stats.messy):
        print(f"  {name} line {line}: {detail}")


if __name__ == "__main__":
    main()
