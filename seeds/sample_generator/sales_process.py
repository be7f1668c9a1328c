"""A lead's sales process: owner, contact attempts, the decision, and the opportunity if it
converts.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sample_generator.dimensions import User
from sample_generator.formats import month_end, secs, working_hours
from sample_generator.plans import LeadSeed, OppPlan, Person, SalesPlan, Touch
from sample_generator.reference import (
    DAY,
    DISQUALIFY_REASONS,
    HOUR,
    LAST_MOMENT,
    NO_AUTHORITY,
    NO_BUDGET,
    SNAPSHOT,
    STAGE_DAYS,
    STAGES,
    SourceProfile,
    has_budget_authority,
)


class SalesProcess:
    """How sales works a lead, drawn from the generator's random streams."""

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
