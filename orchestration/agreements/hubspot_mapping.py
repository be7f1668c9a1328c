"""The `hubspot:` section of the source mapping: how a HubSpot portal maps onto the
warehouse. Parsed by documents.py (`load_source_mapping`), written as tables by
tables.py (`hubspot_mapping_tables`).

Everything has a default where one makes sense: HubSpot's standard lead statuses,
analytics sources taken as the lead sources they are, email clicks as `email_click`.
The portal's address and which owner teams are sales or marketing have none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orchestration.agreements.documents import OrgCurrency

# HubSpot's standard `hs_lead_status` values and the funnel stage each is.
STANDARD_LEAD_STATUSES = {
    "NEW": "open",
    "OPEN": "open",
    "IN_PROGRESS": "working",
    "ATTEMPTED_TO_CONTACT": "working",
    "CONNECTED": "working",
    "BAD_TIMING": "nurture",
    "OPEN_DEAL": "converted",
    "UNQUALIFIED": "disqualified",
}
# HubSpot's lifecycle stages that have a date property of their own.
LIFECYCLE_STAGES = ("marketingqualifiedlead", "salesqualifiedlead")
# The facts of a portal a signal rule can match.
SIGNAL_FACTS = ("form_submission", "page_view", "email_event", "meeting_booked", "lifecycle_stage")
DEFAULT_EMAIL_EVENT_RULES = ({"signal": "email_click", "event_type": "CLICK"},)


@dataclass(frozen=True)
class HubSpotSignalRule:
    """A fact of the portal that is a funnel signal: a form submission (by form id
    and/or name, ILIKE), a page view (by URL, ILIKE), an email event (by type), a
    meeting the contact booked through a meetings link, or HubSpot's own date of a
    lifecycle stage."""

    signal: str
    fact: str
    form_id: str | None = None
    form_name_like: str | None = None
    url_like: str | None = None
    event_type: str | None = None
    lifecycle_stage: str | None = None


@dataclass(frozen=True)
class HubSpotMapping:
    # The portal's CRM address: a contact's page is `{portal_url}/record/0-1/{id}`, a
    # deal's `{portal_url}/record/0-3/{id}`. None: the mapping has no `hubspot:` section.
    portal_url: str | None = None
    # The contact property holding the reason a contact was disqualified.
    disqualification_reason_property: str | None = None
    # Owner team name -> sales or marketing.
    owner_teams: Mapping[str, str] = field(default_factory=dict)
    # `hs_lead_status` value -> funnel stage.
    lead_statuses: Mapping[str, str] = field(default_factory=dict)
    # `hs_analytics_source` value -> the lead source the agreed channels list.
    analytics_sources: Mapping[str, str] = field(default_factory=dict)
    signal_rules: tuple[HubSpotSignalRule, ...] = ()
    currency: OrgCurrency | None = None

    @property
    def is_configured(self) -> bool:
        return self.portal_url is not None

    def properties_for(self, hubspot_object: str) -> Mapping[str, str]:
        """Warehouse field -> the property holding it, for one HubSpot object."""
        if hubspot_object == "contacts" and self.disqualification_reason_property:
            return {"disqualification_reason": self.disqualification_reason_property}
        return {}


def read_hubspot_section(
    reader: Any,
    funnel_stages: tuple[str, ...],
    user_teams: tuple[str, ...],
    currency: OrgCurrency,
) -> HubSpotMapping:
    """The `hubspot:` section from its reader (documents._Reader), given the funnel
    stages and teams the warehouse knows and the section's `currency:`, read as the
    Salesforce section's is."""
    rules = reader.optional_child("signal_rules", {})
    return HubSpotMapping(
        portal_url=reader.child("portal_url").https_url(),
        disqualification_reason_property=reader.optional_child(
            "disqualification_reason_property", None
        ).optional_text(),
        owner_teams={
            team: side.choice(user_teams) for team, side in reader.child("owner_teams").items()
        },
        lead_statuses={
            status: stage.choice(funnel_stages)
            for status, stage in reader.optional_child(
                "lead_statuses", STANDARD_LEAD_STATUSES
            ).items()
        },
        analytics_sources={
            source: lead_source.text()
            for source, lead_source in _optional_items(
                reader.optional_child("analytics_sources", {})
            )
        },
        signal_rules=(
            *(_form_rule(rule) for rule in rules.optional_child("forms", []).entries()),
            *(
                HubSpotSignalRule(
                    rule.child("signal").text(), "page_view", url_like=rule.child("url_like").text()
                )
                for rule in rules.optional_child("page_views", []).entries()
            ),
            *(
                HubSpotSignalRule(
                    rule.child("signal").text(),
                    "email_event",
                    event_type=rule.child("event_type").text(),
                )
                for rule in rules.optional_child(
                    "email_events", list(DEFAULT_EMAIL_EVENT_RULES)
                ).entries()
            ),
            *(
                HubSpotSignalRule(signal.text(), "meeting_booked")
                for signal in [rules.optional_child("meetings_booked_by_contact", None)]
                if signal.data is not None
            ),
            *(
                HubSpotSignalRule(
                    rule.child("signal").text(),
                    "lifecycle_stage",
                    lifecycle_stage=rule.child("lifecycle_stage").choice(LIFECYCLE_STAGES),
                )
                for rule in rules.optional_child("lifecycle_stages", []).entries()
            ),
        ),
        currency=currency,
    )


def _optional_items(reader: Any) -> list[tuple[str, Any]]:
    """A mapping's items; an empty mapping is fine where the key is optional."""
    return reader.items() if reader.data else []


def _form_rule(rule: Any) -> HubSpotSignalRule:
    form_id = rule.optional_child("form_id", None).optional_text()
    name_like = rule.optional_child("form_name_like", None).optional_text()
    if form_id is None and name_like is None:
        raise rule.fail("give form_id or form_name_like (or both)")
    return HubSpotSignalRule(
        rule.child("signal").text(), "form_submission", form_id=form_id, form_name_like=name_like
    )
