"""Writing one lead's sales work: tasks, events, the opportunity, its account and contact."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sample_generator.dimensions import Campaign, User
from sample_generator.formats import meeting_slot, modstamp, secs, sf_bool, sf_dt, working_hours
from sample_generator.plans import OppPlan, Person, SalesPlan, Touch
from sample_generator.reference import DAY, LAST_MOMENT, PROBABILITY, PRODUCTS, SNAPSHOT


class SalesRows:
    """The Salesforce rows of a lead's sales plan."""

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
