"""The story the sample tells: its period, lead sources, countries, people, planted rows
and volumes, and the agreed lead definition it is made to satisfy.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from itertools import accumulate

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
