"""The next day's incremental export: new leads and changes to one in a hundred known leads."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sample_generator.dimensions import is_account_executive
from sample_generator.formats import mk_dt, month_end, secs, sf_dt
from sample_generator.output import MARKETO_LEAD_COLUMNS, Output
from sample_generator.plans import (
    Activity,
    KnownLead,
    LeadSeed,
    OppPlan,
    SalesPlan,
    lead_field,
    lead_row,
    set_lead_fields,
)
from sample_generator.reference import (
    BLOG_PAGES,
    FORM,
    HOUR,
    INTENT_FORMS,
    NEXT_DAY_END,
    OLD_COHORT_END,
    PRODUCT_PAGES,
    SNAPSHOT,
    SOURCES,
    STAGES,
    STATUS_CONVERTED,
    STATUS_DISQUALIFIED,
    STATUS_OPEN,
    STATUS_WORKING,
    meets_lead_definition,
)


class NextDay:
    """The rows of the day after the snapshot."""

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
