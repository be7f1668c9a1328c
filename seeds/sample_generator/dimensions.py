"""The static dimensions: users, campaigns, dated currency rates and Marketo activity types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from random import Random

from sample_generator.formats import IdFactory, ascii_slug, modstamp, secs, sf_bool, sf_dt
from sample_generator.output import Output
from sample_generator.reference import (
    ACTIVITY_TYPES,
    DAY,
    FIRST_NAMES,
    HOUR,
    LAST_MOMENT,
    LAST_NAMES,
    RATE_WALKS,
    SNAPSHOT,
    WEBINAR_TOPICS,
    WHITEPAPERS,
)


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
