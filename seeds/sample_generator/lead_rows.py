"""Writing one lead: its Lead row, LeadHistory and campaign memberships."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sample_generator.dimensions import Campaign, is_account_executive
from sample_generator.formats import modstamp, secs, sf_bool, sf_dt
from sample_generator.output import LEAD_COLUMN_INDEX
from sample_generator.plans import (
    Activity,
    KnownLead,
    LeadSeed,
    OppPlan,
    Person,
    SalesPlan,
    WebinarSignup,
    lead_row,
    set_lead_fields,
)
from sample_generator.reference import (
    CHANGED_EVERY,
    FORM,
    HANDOFF_SHARE,
    LAST_MOMENT,
    PLANTED_VALUES,
    SNAPSHOT,
    SQL_FORMS,
    STATUS_WORKING,
    SourceProfile,
)


class LeadRows:
    """The Salesforce rows of a planned lead."""

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
