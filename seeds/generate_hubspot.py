"""Generate a deterministic HubSpot portal for the revenue warehouse.

Usage::

    python seeds/generate_hubspot.py [--out DIR] [--seed 20261101] [--contacts 1800]

Writes ``<out>/hubspot/<object>.jsonl``, one API object per line as HubSpot's APIs
return them (the landing format the README describes), plus one later extract,
``<out>/hubspot/contacts/2026-10-31.jsonl``. The shipped sample is ``seeds/sample_hubspot``
(``make sample``); its source mapping, ``seeds/sample_hubspot/source_mapping.yml``, is
kept by hand beside it::

    REVENUE_LANDING_DIR=seeds/sample_hubspot \\
    REVENUE_SOURCE_MAPPING_FILE=seeds/sample_hubspot/source_mapping.yml make run

The story is the Salesforce sample's, told by a HubSpot portal: contacts come in over a
year (2025-11-01 to 2026-10-31, UTC) from several original sources (organic and paid
search, LinkedIn, referrals, trade shows, email) that differ in volume and quality. A
form creates each contact; intent forms (Request a Demo, Contact Us, Call Me Back,
Pricing Question) make about a fifth of them sales-ready under the agreed definition
(>= 10 employees at the primary company, a budget-authority job title, intent within 30
days). Sales owners call, email and meet them, mostly within a day; some contacts book
a meeting themselves through a meetings link. Sales-ready contacts become deals more
often (in EUR, USD or GBP, converted at monthly dated rates); deals are won, lost or
still open; other contacts are disqualified with a reason, recycled to marketing for
nurturing (status BAD_TIMING, owner back to marketing), or still worked. Lead status
and owner history come as propertiesWithHistory, newest first. Marketing emails are
sent, opened and clicked; contacts view product pages.

Deliberately messy lines, so the quarantine and upsert are exercised:

- contacts.jsonl: a line cut short (not JSON), a contact without ``id``, and a contact
  whose MQL date is not a date;
- calls.jsonl: an error page an extract tool wrote instead of a record;
- contacts/2026-10-31.jsonl: newer versions of some contacts (one of them archived)
  and older versions of others, which the newer ones in contacts.jsonl supersede;
- deals.jsonl: one archived deal.

The same arguments always give byte-identical files: every random choice comes from one
``random.Random(seed)`` consumed in a fixed order, and times never come from the clock.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

START = datetime(2025, 11, 1, tzinfo=UTC)
SNAPSHOT = datetime(2026, 11, 1, tzinfo=UTC)
DELTA_FILE = "contacts/2026-10-31.jsonl"
DEFAULT_OUT = Path(__file__).parent / "sample_hubspot"

# (owner id, first name, last name, primary team)
OWNERS = (
    ("1001", "Sam", "Rep", "Sales"),
    ("1002", "Sid", "Dev", "Inside Sales"),
    ("1003", "Sara", "Closer", "Sales"),
    ("1004", "Stan", "Caller", "Inside Sales"),
    ("1005", "Mia", "Marketer", "Marketing"),
    ("1006", "Max", "Nurture", "Marketing"),
    ("1007", "Ops", "Admin", None),
)
SALES_OWNERS = ("1001", "1002", "1003", "1004")
MARKETING_OWNERS = ("1005", "1006")

# (hs_analytics_source, share of contacts, chance of an intent form, chance a
# sales-ready contact becomes a deal)
SOURCES = (
    ("ORGANIC_SEARCH", 0.26, 0.30, 0.32),
    ("PAID_SEARCH", 0.22, 0.35, 0.30),
    ("PAID_SOCIAL", 0.12, 0.20, 0.20),
    ("REFERRALS", 0.10, 0.45, 0.45),
    ("OFFLINE", 0.10, 0.30, 0.35),
    ("DIRECT_TRAFFIC", 0.10, 0.25, 0.30),
    ("EMAIL_MARKETING", 0.10, 0.15, 0.25),
)
BUDGET_TITLES = (
    "CEO", "CFO", "COO", "Director of Operations", "Head of Sales", "VP Marketing",
    "Owner", "Founder", "Procurement Manager",
)  # fmt: skip
OTHER_TITLES = (
    "Marketing Assistant", "Sales Intern", "Student", "Engineer", "Analyst",
    "Consultant", "Office Manager", "Account Manager",
)  # fmt: skip
FIRST_NAMES = ("Anna", "Bram", "Chris", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Ivo", "Julia")
LAST_NAMES = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos")
COMPANY_PARTS = ("Noord", "Zuid", "Delta", "Polder", "Rijn", "Maas", "Tulp", "Molen", "Dijk")
COMPANY_KINDS = ("Logistics", "Motors", "Foods", "Systems", "Bouw", "Retail", "Health")

# (form id, name, signal the sample's mapping makes of it, or None)
FORMS = (
    ("0b1c2d3e-0001-4000-8000-000000000001", "Newsletter Signup", None),
    ("0b1c2d3e-0002-4000-8000-000000000002", "Whitepaper Download - Sales Alignment", "paper"),
    ("0b1c2d3e-0003-4000-8000-000000000003", "Contact Us", "intent"),
    ("0b1c2d3e-0004-4000-8000-000000000004", "Request a Demo", "intent"),
    ("0b1c2d3e-0005-4000-8000-000000000005", "Call Me Back", "intent"),
    ("0b1c2d3e-0006-4000-8000-000000000006", "Pricing Question", "intent"),
)
PAGES = ("/products/forecasting", "/products/pipeline", "/pricing", "/blog/alignment", "/")
REASONS = (
    ("No budget", 0.35),
    ("Wrong timing", 0.2),
    ("Just looking", 0.2),
    ("No decision authority", 0.1),
    ("Competitor chosen", 0.08),
    ("Unreachable", 0.07),
)
# (currency, share of deals, EUR per unit at the start of the year)
CURRENCIES = (("EUR", 0.75, 1.0), ("USD", 0.15, 0.92), ("GBP", 0.10, 1.17))
STAGES = (
    ("appointmentscheduled", "Appointment scheduled", False, "0.2"),
    ("qualifiedtobuy", "Qualified to buy", False, "0.4"),
    ("presentationscheduled", "Presentation scheduled", False, "0.6"),
    ("decisionmakerboughtin", "Decision maker bought-in", False, "0.8"),
    ("contractsent", "Contract sent", False, "0.9"),
    ("closedwon", "Closed won", True, "1.0"),
    ("closedlost", "Closed lost", True, "0.0"),
)


def hs_time(at: datetime) -> str:
    """A time as HubSpot's v3 APIs write it: ISO 8601 in UTC with milliseconds."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def epoch_ms(at: datetime) -> int:
    """A time as HubSpot's older APIs (forms, email events) write it."""
    return int(at.timestamp() * 1000)


def month_start(month: int) -> datetime:
    """The first of the sample year's `month`, counting from November 2025 as 0."""
    return datetime(2025 + (10 + month) // 12, (10 + month) % 12 + 1, 1, tzinfo=UTC)


def weighted(rng: Random, options: Sequence[tuple]) -> tuple:
    """One of `options`, each chosen by its second item as weight."""
    return rng.choices(options, weights=[option[1] for option in options])[0]


def has_budget_authority(title: str) -> bool:
    """The agreed title rule (config/agreed_definitions.yml), for the story's odds."""
    including = r"\b(ceo|cfo|coo|chief|director|head of|vp|owner|founder|procurement)"
    excluding = r"\b(assistant|intern|student|trainee)\b"
    return bool(re.search(including, title, re.I)) and not re.search(excluding, title, re.I)


@dataclass
class Portal:
    """Everything the generator writes, object by object, in the order written."""

    objects: dict[str, list[dict | str]] = field(default_factory=dict)

    def add(self, name: str, record: dict | str) -> None:
        self.objects.setdefault(name, []).append(record)


def engagement(
    engagement_id: str,
    at: datetime,
    owner: str,
    contact_id: str,
    logged: datetime | None = None,
    **properties: str,
) -> dict:
    logged = logged or at
    return {
        "id": engagement_id,
        "properties": {"hs_timestamp": hs_time(at), "hubspot_owner_id": owner, **properties},
        "createdAt": hs_time(logged),
        "updatedAt": hs_time(logged),
        "archived": False,
        "associations": {"contacts": {"results": [{"id": contact_id, "type": "to_contact"}]}},
    }


def history(*entries: tuple[str, datetime]) -> list[dict]:
    """Property history as propertiesWithHistory holds it: newest first."""
    ordered = sorted(entries, key=lambda entry: entry[1], reverse=True)
    return [
        {"value": value, "timestamp": hs_time(at), "sourceType": "CRM_UI"} for value, at in ordered
    ]


class Generator:
    def __init__(self, seed: int, contacts: int) -> None:
        self.rng = Random(seed)
        self.n_contacts = contacts
        self.portal = Portal()
        self.next_id = {"contact": 300_001, "engagement": 700_001, "deal": 900_001}
        self.delta: list[dict] = []

    def new_id(self, kind: str) -> str:
        value = self.next_id[kind]
        self.next_id[kind] += 1
        return str(value)

    def generate(self) -> Portal:
        self.write_reference_data()
        companies = self.write_companies()
        for number in range(self.n_contacts):
            self.write_contact(number, companies)
        self.write_campaigns()
        return self.portal

    def write_reference_data(self) -> None:
        created = hs_time(START - timedelta(days=400))
        for owner_id, first, last, team in OWNERS:
            self.portal.add(
                "owners",
                {
                    "id": owner_id,
                    "email": f"{first.lower()}.{last.lower()}@seller.example",
                    "type": "PERSON",
                    "firstName": first,
                    "lastName": last,
                    "userId": int(owner_id) + 8000,
                    "createdAt": created,
                    "updatedAt": created,
                    "archived": False,
                    "teams": [{"id": f"t-{team}", "name": team, "primary": True}] if team else [],
                },
            )
        self.portal.add(
            "deal_pipelines",
            {
                "id": "default",
                "label": "Sales Pipeline",
                "displayOrder": 0,
                "archived": False,
                "createdAt": created,
                "updatedAt": created,
                "stages": [
                    {
                        "id": stage_id,
                        "label": label,
                        "displayOrder": order,
                        "metadata": {"isClosed": str(closed).lower(), "probability": probability},
                        "archived": False,
                    }
                    for order, (stage_id, label, closed, probability) in enumerate(STAGES)
                ],
            },
        )
        for form_id, name, _ in FORMS:
            self.portal.add(
                "forms",
                {
                    "id": form_id,
                    "name": name,
                    "formType": "hubspot",
                    "createdAt": created,
                    "updatedAt": created,
                    "archived": False,
                },
            )
        for currency, _, start_rate in CURRENCIES[1:]:
            rate = start_rate
            for month in range(12):
                effective = month_start(month)
                rate = round(rate * (1 + self.rng.uniform(-0.02, 0.02)), 6)
                self.portal.add(
                    "exchange_rates",
                    {
                        "id": f"{currency}-{effective:%Y%m}",
                        "fromCurrencyCode": currency,
                        "toCurrencyCode": "EUR",
                        "conversionRate": rate,
                        "effectiveAt": hs_time(effective),
                        "visibleInUI": True,
                        "createdAt": hs_time(effective),
                        "updatedAt": hs_time(effective),
                    },
                )

    def write_companies(self) -> list[tuple[str, str, int]]:
        companies = []
        for number in range(self.n_contacts // 3):
            company_id = str(500_001 + number)
            name = f"{self.rng.choice(COMPANY_PARTS)} {self.rng.choice(COMPANY_KINDS)} {number}"
            employees = (
                self.rng.randint(1, 9) if self.rng.random() < 0.3 else self.rng.randint(10, 2000)
            )
            created = hs_time(START - timedelta(days=self.rng.randint(30, 900)))
            self.portal.add(
                "companies",
                {
                    "id": company_id,
                    "properties": {"name": name, "numberofemployees": str(employees)},
                    "createdAt": created,
                    "updatedAt": created,
                    "archived": False,
                },
            )
            domain = re.sub(r"[^a-z]", "", name.lower()) + ".example"
            companies.append((company_id, domain, employees))
        return companies

    def contact_created(self) -> datetime:
        day = START + timedelta(days=self.rng.randrange(365))
        # Mostly office hours (UTC); a few late in the evening, near local midnight.
        hour = self.rng.choice((7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 19, 22))
        return day + timedelta(hours=hour, minutes=self.rng.randrange(60))

    def write_contact(self, number: int, companies: list[tuple[str, str, int]]) -> None:
        rng = self.rng
        contact_id = self.new_id("contact")
        created = self.contact_created()
        source, _, intent_chance, deal_chance = weighted(rng, SOURCES)
        company_id, domain, employees = rng.choice(companies)
        title = rng.choice(BUDGET_TITLES if rng.random() < 0.45 else OTHER_TITLES)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{first.lower()}.{re.sub(r'[^a-z]', '', last.lower())}{number}@{domain}"
        intent = rng.random() < intent_chance
        forms = [(created, rng.choice(FORMS[3:] if intent else FORMS[:2]))]
        if not intent and rng.random() < 0.15:
            forms.append((created + timedelta(days=rng.uniform(1, 40)), rng.choice(FORMS[2:])))
        for at, (form_id, _, _) in forms:
            if at < SNAPSHOT:
                self.write_submission(form_id, at, email)
        intent_in_window = any(
            kind == "intent" and at - created <= timedelta(days=30) for at, (_, _, kind) in forms
        )
        ready = employees >= 10 and has_budget_authority(title) and intent_in_window
        self.write_browsing(contact_id, created)
        self.write_email_events(email, created)

        marketing_owned = rng.random() < 0.12
        owner = rng.choice(MARKETING_OWNERS if marketing_owned else SALES_OWNERS)
        statuses = [("NEW", created)]
        owners = [(owner, created)]
        properties = {
            "email": email,
            "firstname": first,
            "lastname": last,
            "phone": f"+31 6 {rng.randrange(10_000_000, 99_999_999)}",
            "jobtitle": title,
            "company": domain.removesuffix(".example"),
            "associatedcompanyid": company_id,
            "hs_analytics_source": source,
            "lifecyclestage": "lead",
        }
        if intent:
            properties["hs_lifecyclestage_salesqualifiedlead_date"] = hs_time(forms[0][0])
        elif len(forms) > 1:
            properties["hs_lifecyclestage_marketingqualifiedlead_date"] = hs_time(forms[1][0])
        updated = created
        if not marketing_owned:
            updated = self.work_contact(
                contact_id, created, owner, (ready, deal_chance), properties, statuses, owners
            )
        properties["hs_lead_status"] = statuses[-1][0]
        properties["hubspot_owner_id"] = owners[-1][0]
        record = {
            "id": contact_id,
            "properties": {"createdate": hs_time(created), **properties},
            "createdAt": hs_time(created),
            "updatedAt": hs_time(updated),
            "archived": False,
            "propertiesWithHistory": {
                "hs_lead_status": history(*statuses),
                "hubspot_owner_id": history(*owners),
            },
        }
        self.portal.add("contacts", record)
        self.messy_contact_lines(number, record)

    def work_contact(
        self,
        contact_id: str,
        created: datetime,
        owner: str,
        readiness: tuple[bool, float],
        properties: dict,
        statuses: list[tuple[str, datetime]],
        owners: list[tuple[str, datetime]],
    ) -> datetime:
        """The sales owner's follow-up and where it ends; returns the last change.
        `readiness`: whether the contact is sales-ready, and its source's deal chance."""
        rng = self.rng
        ready, deal_chance = readiness
        if rng.random() < 0.04 and ready:
            # Booked a meeting through the owner's meetings link right after the form.
            booked = created + timedelta(minutes=rng.randint(2, 30))
            self.portal.add(
                "meetings",
                engagement(
                    self.new_id("engagement"),
                    booked + timedelta(days=rng.randint(1, 4)),
                    owner,
                    contact_id,
                    logged=booked,
                    hs_meeting_source="MEETINGS_PUBLIC",
                    hs_meeting_outcome="SCHEDULED",
                ),
            )
        delay = rng.choices(
            (rng.uniform(0.5, 23.5), rng.uniform(24.5, 96), None), weights=(0.66, 0.24, 0.10)
        )[0]
        if delay is None or created + timedelta(hours=delay) >= SNAPSHOT:
            return created
        touched = created + timedelta(hours=delay)
        statuses.append(("IN_PROGRESS", touched))
        attempts = rng.randint(1, 5)
        at = touched
        for _ in range(attempts):
            if at >= SNAPSHOT:
                break
            self.write_touch(contact_id, owner, at)
            at += timedelta(hours=rng.uniform(20, 80))
        decided = min(at, SNAPSHOT - timedelta(hours=1))
        outcome = rng.random()
        if outcome < (deal_chance if ready else 0.04):
            statuses.append(("OPEN_DEAL", decided))
            properties["lifecyclestage"] = "opportunity"
            self.write_deal(contact_id, properties, owner, decided)
        elif outcome < 0.55 and SNAPSHOT - decided > timedelta(days=7):
            statuses.append(("UNQUALIFIED", decided))
            properties["disqualification_reason"] = weighted(rng, REASONS)[0]
        elif outcome < 0.65:
            statuses.append(("BAD_TIMING", decided))
            owners.append((rng.choice(MARKETING_OWNERS), decided))
        return decided

    def write_touch(self, contact_id: str, owner: str, at: datetime) -> None:
        kind = self.rng.choices(("calls", "emails", "meetings", "tasks"), (0.55, 0.25, 0.1, 0.1))[0]
        extra = {
            "calls": {"hs_call_direction": "OUTBOUND", "hs_call_body": "Left a voicemail"},
            "emails": {"hs_email_direction": "EMAIL", "hs_email_subject": "Following up"},
            "meetings": {"hs_meeting_source": "CRM_UI", "hs_meeting_outcome": "COMPLETED"},
            "tasks": {"hs_task_type": "CALL", "hs_task_status": "COMPLETED"},
        }[kind]
        self.portal.add(kind, engagement(self.new_id("engagement"), at, owner, contact_id, **extra))
        if kind == "emails" and self.rng.random() < 0.3:
            reply = at + timedelta(hours=self.rng.uniform(1, 30))
            if reply < SNAPSHOT:
                self.portal.add(
                    "emails",
                    engagement(
                        self.new_id("engagement"),
                        reply,
                        owner,
                        contact_id,
                        hs_email_direction="INCOMING_EMAIL",
                        hs_email_subject="Re: Following up",
                    ),
                )

    def write_deal(self, contact_id: str, contact: dict, owner: str, created: datetime) -> None:
        rng = self.rng
        currency = weighted(rng, CURRENCIES)[0]
        amount = rng.randrange(4_000, 80_000, 500)
        close = created + timedelta(days=rng.randint(20, 90))
        if close < SNAPSHOT:
            stage = "closedwon" if rng.random() < 0.45 else "closedlost"
        else:
            stage = rng.choice(STAGES[:5])[0]
        deal_id = self.new_id("deal")
        company_id = contact["associatedcompanyid"]
        self.portal.add(
            "deals",
            {
                "id": deal_id,
                "properties": {
                    "dealname": f"Deal {deal_id}",
                    "amount": f"{amount}.00",
                    "deal_currency_code": currency,
                    "pipeline": "default",
                    "dealstage": stage,
                    "closedate": hs_time(close.replace(hour=0, minute=0, second=0, microsecond=0)),
                    "hs_analytics_source": contact["hs_analytics_source"],
                    "hubspot_owner_id": owner,
                },
                "createdAt": hs_time(created),
                "updatedAt": hs_time(min(close, SNAPSHOT - timedelta(minutes=5))),
                "archived": deal_id == "900013",
                "associations": {
                    "contacts": {"results": [{"id": contact_id, "type": "deal_to_contact"}]},
                    "companies": {"results": [{"id": company_id, "type": "deal_to_company"}]},
                },
            },
        )

    def write_submission(self, form_id: str, at: datetime, email: str) -> None:
        number = len(self.portal.objects.get("form_submissions", [])) + 1
        self.portal.add(
            "form_submissions",
            {
                "conversionId": f"c0a1b2c3-{number:04d}-4000-9000-{number:012d}",
                "formId": form_id,
                "submittedAt": epoch_ms(at),
                "values": [
                    {"name": "email", "value": email},
                    {"name": "firstname", "value": email.split(".")[0].title()},
                ],
                "pageUrl": "https://www.seller.example/contact",
            },
        )

    def write_browsing(self, contact_id: str, created: datetime) -> None:
        for _ in range(self.rng.choice((0, 0, 1, 2, 3, 4, 6))):
            at = created + timedelta(hours=self.rng.uniform(-240, 480))
            if at >= SNAPSHOT:
                continue
            number = len(self.portal.objects.get("page_views", [])) + 1
            self.portal.add(
                "page_views",
                {
                    "objectType": "CONTACT",
                    "objectId": contact_id,
                    "eventType": "e_visited_page",
                    "occurredAt": hs_time(at),
                    "id": f"pv-{number:06d}",
                    "properties": {
                        "hs_url": f"https://www.seller.example{self.rng.choice(PAGES)}",
                        "hs_city": "amsterdam",
                        "hs_country": "nl",
                    },
                },
            )

    def write_email_events(self, email: str, created: datetime) -> None:
        if self.rng.random() > 0.4:
            return
        sent = created + timedelta(days=self.rng.uniform(1, 60))
        campaign = 770_000 + sent.month
        steps = ["SENT", "DELIVERED"] + ["OPEN"] * (self.rng.random() < 0.5)
        steps += ["CLICK"] * (len(steps) == 3 and self.rng.random() < 0.4)
        for offset, kind in enumerate(steps):
            at = sent + timedelta(minutes=offset * 37)
            if at >= SNAPSHOT:
                return
            number = len(self.portal.objects.get("email_events", [])) + 1
            self.portal.add(
                "email_events",
                {
                    "id": f"ev-{number:06d}",
                    "created": epoch_ms(at),
                    "type": kind,
                    "recipient": email,
                    "emailCampaignId": campaign,
                    "portalId": 4242,
                },
            )

    def write_campaigns(self) -> None:
        for month in range(12):
            start = month_start(month) + timedelta(days=2)
            currency = "USD" if month in (3, 8) else "EUR"
            self.portal.add(
                "campaigns",
                {
                    "id": f"5c0ffee0-{month:04d}-4000-8000-000000000000",
                    "properties": {
                        "hs_name": f"{start:%B %Y} demand generation",
                        "hs_start_date": f"{start:%Y-%m-%d}",
                        "hs_spend_items_sum_amount": str(self.rng.randrange(2_000, 12_000, 100)),
                        "hs_currency_code": currency,
                        "hs_campaign_status": "completed" if month < 11 else "active",
                    },
                    "createdAt": hs_time(start - timedelta(days=10)),
                    "updatedAt": hs_time(start + timedelta(days=40)),
                },
            )

    def messy_contact_lines(self, number: int, record: dict) -> None:
        """The sample's deliberately messy contact lines, at fixed positions."""
        if number == 40:
            self.portal.add("contacts", json.dumps(record)[:180])
        elif number == 80:
            self.portal.add("contacts", {k: v for k, v in record.items() if k != "id"})
        elif number == 120:
            broken = json.loads(json.dumps(record))
            broken["id"] = str(int(record["id"]) + 500_000)
            broken["properties"]["hs_lifecyclestage_marketingqualifiedlead_date"] = "not a date"
            self.portal.add("contacts", broken)
        elif number == 160:
            self.portal.add("calls", "<html><body>502 Bad Gateway</body></html>")
        if number % 300 == 7 and record["updatedAt"] > record["createdAt"]:
            older = json.loads(json.dumps(record))
            older["updatedAt"] = record["createdAt"]
            older["properties"]["hs_lead_status"] = "NEW"
            self.delta.append(older)
        elif number % 300 == 11:
            newer = json.loads(json.dumps(record))
            newer["updatedAt"] = hs_time(SNAPSHOT - timedelta(hours=3))
            newer["properties"]["jobtitle"] = f"{record['properties']['jobtitle']} (updated)"
            newer["archived"] = number == 11
            self.delta.append(newer)


def write_jsonl(path: Path, records: Iterable[dict | str]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        record if isinstance(record, str) else json.dumps(record, separators=(",", ":"))
        for record in records
    ]
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return len(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=20261101)
    parser.add_argument("--contacts", type=int, default=1800)
    args = parser.parse_args(argv)
    generator = Generator(args.seed, args.contacts)
    portal = generator.generate()
    folder = args.out / "hubspot"
    for stale in folder.glob("**/*.jsonl"):
        stale.unlink()
    for name, records in portal.objects.items():
        print(f"hubspot/{name}.jsonl: {write_jsonl(folder / f'{name}.jsonl', records)} lines")
    print(f"hubspot/{DELTA_FILE}: {write_jsonl(folder / DELTA_FILE, generator.delta)} lines")


if __name__ == "__main__":
    main()
