"""A lead's marketing timeline: forms, page visits, content, email clicks and webinars."""

from __future__ import annotations

from datetime import datetime, timedelta

from sample_generator.dimensions import Campaign
from sample_generator.formats import newsletter_sent, secs
from sample_generator.plans import Activity, LeadSeed, Person, WebinarSignup
from sample_generator.reference import (
    BLOG_PAGES,
    CLICK,
    DAY,
    FORM,
    FORM_FIELDS,
    FORM_IDS,
    HOUR,
    INTENT_FORMS,
    LAST_MOMENT,
    OTHER_PAGES,
    PAGE_IDS,
    PRODUCT_PAGES,
    PROGRAM,
    SITE,
    SNAPSHOT,
    SQL_FORMS,
    VISIT,
    WHITEPAPERS,
    SourceProfile,
)


class MarketingTimeline:
    """The Marketo activities of a lead, drawn from the generator's random streams."""

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
