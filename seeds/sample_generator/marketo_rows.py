"""Writing Marketo people and their activities, including the planted broken ones and
Marketo-only nurture people.
"""

from __future__ import annotations

from datetime import datetime

from sample_generator.formats import compact_json, mk_dt, modstamp, secs
from sample_generator.plans import Activity, Person, WebinarSignup
from sample_generator.reference import (
    BLOG_PAGES,
    DAY,
    FORM,
    LAST_MOMENT,
    OTHER_PAGES,
    PAGE_IDS,
    PROGRAM,
    SITE,
    SNAPSHOT,
    VISIT,
)


class MarketoRows:
    """The Marketo rows of a lead or a Marketo-only person."""

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
        attrs = compact_json(a.attributes)
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
