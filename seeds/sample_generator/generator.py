"""The generator: its plan, random streams and shards, and the making of each lead."""

from __future__ import annotations

import bisect
import copy
import math
from datetime import datetime, timedelta
from random import Random

from sample_generator.dimensions import (
    PURCHASED_LIST_IMPORTS,
    Campaign,
    User,
    build_campaigns,
    build_rates,
    build_users,
    write_activity_types,
    write_campaigns,
    write_rates,
    write_users,
)
from sample_generator.formats import (
    ID_START,
    EmailBook,
    IdFactory,
    ascii_slug,
    modstamp,
    secs,
    sf_dt,
    working_hours,
)
from sample_generator.lead_rows import LeadRows
from sample_generator.marketing_timeline import MarketingTimeline
from sample_generator.marketo_rows import MarketoRows
from sample_generator.next_day import NextDay
from sample_generator.output import Output
from sample_generator.plans import KnownLead, LeadSeed, Person, Plants, Shard, Stats, WebinarSignup
from sample_generator.reference import (
    AUTHORITY_TITLES,
    COMPANY_ROOTS,
    COMPANY_WORDS,
    COUNTRIES,
    COUNTRY_BY_NAME,
    COUNTRY_CUM_WEIGHTS,
    DAY,
    FIRST_GUID,
    FIRST_NAMES,
    FIRST_PERSON_ID,
    FREEMAIL,
    HISTORY_SEED_OFFSET,
    HOUR,
    INDUSTRY_CUM_WEIGHTS,
    INDUSTRY_NAMES,
    JUNIOR_TITLES,
    LAST_NAMES,
    MONTH_WEIGHTS,
    PERIOD_START,
    PLANTED_ACTIVITY_DATES,
    PLANTED_LEADS,
    PLANTED_TASK_AFTER,
    PLANTED_VALUES,
    PRODUCT_KEYS,
    SHARD_ID_ROOM,
    SNAPSHOT,
    SOURCE_BY_NAME,
    SOURCES,
    WEB_HOUR_CUM_WEIGHTS,
    Country,
    SourceProfile,
    Volumes,
    has_budget_authority,
)
from sample_generator.sales_process import SalesProcess
from sample_generator.sales_rows import SalesRows


class SampleGenerator(MarketingTimeline, SalesProcess, LeadRows, SalesRows, MarketoRows, NextDay):
    """Streams one consistent sample. The plan (users, campaigns, rates, accounts from before
    the sample year, and every lead's source and creation time) comes from `Random(seed)`; the
    leads are then made in shards (`plan_shards`, `for_shard`, `run_shard`). A single shard
    draws on from the plan's `rng`, and LeadHistory from `history_rng` (so that adding it
    changed no other file); shard k of several draws from streams seeded with (seed, k).

    Each part of making a lead is a base class in its own module (its marketing timeline,
    its sales process, and the rows each system gets); they share this class's state: the
    random streams, the output files, the ids and the stats."""

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
        assert self.ids.highest() - ID_START < limit
        assert max(self.next_person_id - FIRST_PERSON_ID, self.next_guid - FIRST_GUID) < limit


def index_on_or_after(created: list[datetime], when: datetime, taken: set[int]) -> int:
    """Index of the first lead created at or after `when` that no other plant uses yet."""
    index = bisect.bisect_left(created, when)
    index = min(index, len(created) - 1)
    while index in taken:
        index = (index + 1) % len(created)
    taken.add(index)
    return index
