"""The two configuration documents: the agreed definitions and the source mapping.

Both are parsed into typed, validated objects. A mistake in either file fails with
the file name and the key at fault, never with a KeyError deep inside a run.
"""

from __future__ import annotations

import datetime as dt
import functools
import urllib.parse
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from orchestration.agreements.fingerprints import rule_digests
from orchestration.agreements.hubspot_mapping import HubSpotMapping, read_hubspot_section
from orchestration.agreements.patterns import any_of, dialect_problem
from orchestration.agreements.plain_yaml import load_plain_yaml

FUNNEL_STAGES = ("open", "working", "nurture", "converted", "disqualified")
USER_TEAMS = ("sales", "marketing")
COMMITMENT_OWNERS = ("marketing", "sales", "shared")
# The commitments the marts compute an actual for; the file must give each a target.
SLA_COMMITMENTS = (
    "sales_ready_leads",
    "sales_ready_to_opportunity_rate",
    "picked_up_within_window_share",
    "marketing_pipeline_eur",
    "lead_to_won_rate_floor",
)
RATE_COMMITMENTS = frozenset(
    {"sales_ready_to_opportunity_rate", "picked_up_within_window_share", "lead_to_won_rate_floor"}
)
LIFECYCLE_STAGES = ("mql", "sql")
# The teams whose signatures put a version in force.
SIGNING_TEAMS = ("marketing", "sales")
# The evidence alignment_maturity weighs at each stage, with the default threshold of
# each: shares between 0 and 1 (the source-mix shift in share points, 0.05 = 5 points).
MATURITY_CRITERIA = {
    "aligned": {
        "disqualification_reasons_given": 0.95,
        "leads_picked_up_in_time": 0.80,
        "weekly_review_every_week": 1.0,
    },
    "integrated": {
        "shared_kpis_met": 1.0,
        "both_teams_commitments_met": 0.80,
        "feedback_loop_changes_source_mix": 0.05,
    },
}
DEFAULT_MAX_SHRINK_SHARE = 0.2
OPPORTUNITY_OUTCOMES = ("open", "won", "lost")


class ConfigurationError(ValueError):
    """A configuration document is missing a key or holds a value that makes no sense."""


class _Reader:
    """Reads keys out of a parsed YAML mapping, naming file and key path on error."""

    def __init__(self, path: Path, data: Any, where: str = "") -> None:
        self.path = path
        self.data = data
        self.where = where

    def fail(self, message: str) -> ConfigurationError:
        location = f" at '{self.where}'" if self.where else ""
        return ConfigurationError(f"{self.path}{location}: {message}")

    def child(self, key: str) -> _Reader:
        if not isinstance(self.data, Mapping):
            raise self.fail("expected a mapping")
        if key not in self.data:
            raise self.fail(f"missing required key '{key}'")
        where = f"{self.where}.{key}" if self.where else key
        return _Reader(self.path, self.data[key], where)

    def optional_child(self, key: str, default: Any) -> _Reader:
        if isinstance(self.data, Mapping) and key in self.data:
            return self.child(key)
        return _Reader(self.path, default, f"{self.where}.{key}" if self.where else key)

    def items(self) -> list[tuple[str, _Reader]]:
        if not isinstance(self.data, Mapping) or not self.data:
            raise self.fail("expected a non-empty mapping")
        return [(str(key), self.child(key)) for key in self.data]

    def entries(self) -> list[_Reader]:
        if not isinstance(self.data, list):
            raise self.fail("expected a list")
        return [_Reader(self.path, item, f"{self.where}[{i}]") for i, item in enumerate(self.data)]

    def text(self) -> str:
        if not isinstance(self.data, str | int | float) or isinstance(self.data, bool):
            raise self.fail(f"expected text, got {self.data!r}")
        value = str(self.data).strip()
        if not value:
            raise self.fail("must not be empty")
        return value

    def optional_text(self) -> str | None:
        return None if self.data is None else self.text()

    def scalar_text(self) -> str:
        """Text, a number or true/false as the text an export holds (`true`, `42`)."""
        if isinstance(self.data, bool):
            return str(self.data).lower()
        return self.text()

    def texts(self) -> tuple[str, ...]:
        return tuple(entry.text() for entry in self.entries())

    def number(self, minimum: float = 0.0, maximum: float | None = None) -> float:
        if not isinstance(self.data, int | float) or isinstance(self.data, bool):
            raise self.fail(f"expected a number, got {self.data!r}")
        if self.data < minimum or (maximum is not None and self.data > maximum):
            upper = f" and at most {maximum}" if maximum is not None else ""
            raise self.fail(f"must be at least {minimum}{upper}, got {self.data}")
        return float(self.data)

    def whole_number(self, minimum: int = 0) -> int:
        if not isinstance(self.data, int) or isinstance(self.data, bool):
            raise self.fail(f"expected a whole number, got {self.data!r}")
        if self.data < minimum:
            raise self.fail(f"must be at least {minimum}, got {self.data}")
        return self.data

    def boolean(self) -> bool:
        if not isinstance(self.data, bool):
            raise self.fail(f"expected true or false, got {self.data!r}")
        return self.data

    def date(self) -> dt.date:
        if isinstance(self.data, dt.date):
            return self.data
        try:
            return dt.date.fromisoformat(str(self.data))
        except ValueError as error:
            raise self.fail(f"expected a date (YYYY-MM-DD), got {self.data!r}") from error

    def https_url(self) -> str:
        """An https address without query or fragment: record ids are appended to it."""
        value = self.text().rstrip("/")
        parts = urllib.parse.urlsplit(value)
        if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
            raise self.fail("expected an https address such as https://example.my.salesforce.com")
        if any(character.isspace() or character in "\"'<>()" for character in value):
            raise self.fail("the address must not contain spaces, quotes, brackets or parentheses")
        return value

    def regex(self) -> str:
        pattern = self.text()
        if problem := dialect_problem(pattern):
            raise self.fail(
                f"invalid regular expression {pattern!r}: {problem}; agreed patterns use "
                "only the syntax DuckDB (RE2) and Python both accept"
            )
        return pattern

    def choice(self, allowed: tuple[str, ...]) -> str:
        value = self.text()
        if value not in allowed:
            raise self.fail(f"must be one of {', '.join(allowed)}, got {value!r}")
        return value


# The configuration files are a page or two: a bound far above that keeps a wrong or
# hostile file from being read into memory whole.
MAX_DOCUMENT_BYTES = 1_000_000


def _document_text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except FileNotFoundError as error:
        raise ConfigurationError(f"{path}: file not found") from error
    if size > MAX_DOCUMENT_BYTES:
        raise ConfigurationError(
            f"{path}: {size:,} bytes, more than the {MAX_DOCUMENT_BYTES:,} a configuration "
            "file may have"
        )
    return path.read_text(encoding="utf-8")


def _parse_yaml(path: Path, text: str) -> _Reader:
    try:
        data = load_plain_yaml(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigurationError(f"{path}{where}: not valid YAML: {error.problem}") from error
    except yaml.YAMLError as error:
        raise ConfigurationError(f"{path}: not valid YAML: {error}") from error
    return _Reader(path, data)


@dataclass(frozen=True)
class SignOff:
    team: str
    name: str
    role: str
    # None: named as a signer, not signed yet.
    signed_on: dt.date | None


@dataclass(frozen=True)
class MaturityThreshold:
    stage: str
    criterion: str
    threshold: float


@dataclass(frozen=True)
class StageRule:
    stage: str
    signal: str
    min_count: int


@dataclass(frozen=True)
class Channel:
    name: str
    marketing_sourced: bool
    lead_sources: tuple[str, ...]
    campaign_types: tuple[str, ...]


@dataclass(frozen=True)
class SlaTarget:
    commitment: str
    owner: str
    target: float
    description: str


@dataclass(frozen=True)
class AgreedDefinitions:
    path: Path
    version: str
    effective_date: dt.date
    sign_off: tuple[SignOff, ...]
    time_zone: str
    currency: str
    min_employees: int
    budget_title_include: tuple[str, ...]
    budget_title_exclude: tuple[str, ...]
    intent_window_days: int
    intent_signals: tuple[str, ...]
    stage_rules: tuple[StageRule, ...]
    follow_up_window_hours: float
    min_contact_attempts: int
    disqualification_reasons: tuple[str, ...]
    channels: tuple[Channel, ...]
    sla_targets: tuple[SlaTarget, ...]
    sales_cycle_days: int
    freshness_max_age_hours: float
    maturity_thresholds: tuple[MaturityThreshold, ...]
    # Digest per key of the signed rules (fingerprints.rule_digests): what must not
    # change once the version has been applied.
    rule_digests: Mapping[str, str]

    @property
    def is_signed(self) -> bool:
        """Both teams signed it (the loader refuses a signature after the effective
        date), so it is in force from its effective date; otherwise it is a draft."""
        signed = {s.team for s in self.sign_off if s.signed_on is not None}
        return signed.issuperset(SIGNING_TEAMS)

    def sla_target(self, commitment: str) -> SlaTarget:
        return next(t for t in self.sla_targets if t.commitment == commitment)

    def is_budget_authority(self, title: str | None) -> bool:
        """The agreed title rule, evaluated in Python so checks do not reuse the SQL."""
        return bool(title) and self._budget_authority_of_title(title)

    @functools.cached_property
    def _budget_authority_of_title(self) -> Callable[[str], bool]:
        """The rule, decided once per distinct title: checks test every sales-ready lead,
        and titles repeat (matching each of a million leads' took seconds). Each list is
        compiled once into one pattern."""
        include, exclude = any_of(self.budget_title_include), any_of(self.budget_title_exclude)

        @functools.cache
        def decided(title: str) -> bool:
            return bool(
                include and include.search(title) and not (exclude and exclude.search(title))
            )

        return decided


# Every asset and check of a run reads the two documents, and parsing one (YAML, then
# each pattern's dialect check) costs tens of milliseconds: a second of every run, read
# afresh. The parsed objects are frozen and no caller changes them (their dicts
# included), so each text is parsed once per process; keyed by the text, an edited
# file is parsed again.
PARSED_DOCUMENTS_KEPT = 64


def load_agreed_definitions(path: Path) -> AgreedDefinitions:
    return _agreed_definitions_in(path, _document_text(path))


@functools.lru_cache(maxsize=PARSED_DOCUMENTS_KEPT)
def _agreed_definitions_in(path: Path, text: str) -> AgreedDefinitions:
    root = _parse_yaml(path, text)
    lead = root.child("lead_definition")
    titles = lead.child("budget_authority_titles")
    intent = lead.child("active_intent")
    follow_up = root.child("follow_up")
    reporting = root.child("reporting")

    time_zone = reporting.child("time_zone").text()
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise reporting.child("time_zone").fail(f"unknown time zone {time_zone!r}") from error

    stage_rules = tuple(
        StageRule(
            stage=stage,
            signal=rule.child("signal").text(),
            min_count=rule.optional_child("min_count", 1).whole_number(minimum=1),
        )
        for stage, rules in root.child("lifecycle_stages").items()
        for rule in rules.entries()
    )
    for rule in stage_rules:
        if rule.stage not in LIFECYCLE_STAGES:
            raise root.child("lifecycle_stages").fail(
                f"unknown stage {rule.stage!r}; expected {', '.join(LIFECYCLE_STAGES)}"
            )

    channels = tuple(
        Channel(
            name=name,
            marketing_sourced=channel.child("marketing_sourced").boolean(),
            lead_sources=channel.optional_child("lead_sources", []).texts(),
            campaign_types=channel.optional_child("campaign_types", []).texts(),
        )
        for name, channel in root.child("channels").items()
    )
    _reject_duplicates(
        root.child("channels"), "lead source", [s for c in channels for s in c.lead_sources]
    )
    _reject_duplicates(
        root.child("channels"), "campaign type", [t for c in channels for t in c.campaign_types]
    )

    reasons = root.child("disqualification_reasons").texts()
    _reject_duplicates(root.child("disqualification_reasons"), "reason", list(reasons))

    effective_date = root.child("effective_date").date()
    return AgreedDefinitions(
        path=path,
        version=root.child("version").text(),
        effective_date=effective_date,
        sign_off=_sign_off(root.child("sign_off"), effective_date),
        time_zone=time_zone,
        currency=reporting.child("currency").text(),
        min_employees=lead.child("min_employees").whole_number(),
        budget_title_include=tuple(e.regex() for e in titles.child("include").entries()),
        budget_title_exclude=tuple(
            e.regex() for e in titles.optional_child("exclude", []).entries()
        ),
        intent_window_days=intent.child("window_days").whole_number(),
        intent_signals=intent.child("signals").texts(),
        stage_rules=stage_rules,
        follow_up_window_hours=follow_up.child("window_hours").number(minimum=0),
        min_contact_attempts=follow_up.child("min_contact_attempts").whole_number(minimum=1),
        disqualification_reasons=reasons,
        channels=channels,
        sla_targets=_sla_targets(root.child("sla_targets")),
        sales_cycle_days=root.child("sales_cycle").child("days").whole_number(minimum=1),
        freshness_max_age_hours=root.child("freshness").child("max_age_hours").number(minimum=1),
        maturity_thresholds=_maturity_thresholds(root.optional_child("alignment_maturity", {})),
        rule_digests=rule_digests(
            {key: value for key, value in root.data.items() if key not in UNFINGERPRINTED_KEYS}
        ),
    )


# The version's name and its signatures are not rules: the name is how a version is
# known, and a signature added to a draft is how it comes into force.
UNFINGERPRINTED_KEYS = frozenset({"version", "sign_off"})


def _sign_off(reader: _Reader, effective_date: dt.date) -> tuple[SignOff, ...]:
    """Who signed, and when. A version applies only from a day both teams had signed
    it by: a later signature would change days already reported under another one."""
    sign_off = []
    for entry in reader.entries():
        signed_on = entry.optional_child("signed_on", None)
        signature = SignOff(
            team=entry.child("team").text(),
            name=entry.child("name").text(),
            role=entry.child("role").text(),
            signed_on=None if signed_on.data is None else signed_on.date(),
        )
        if signature.signed_on is not None and signature.signed_on > effective_date:
            raise signed_on.fail(
                f"signed on {signature.signed_on}, after the effective_date {effective_date}; "
                "a version applies only from a day both teams had signed it by, so move "
                "effective_date to the last signature's day or later"
            )
        sign_off.append(signature)
    return tuple(sign_off)


def _maturity_thresholds(reader: _Reader) -> tuple[MaturityThreshold, ...]:
    """The thresholds of alignment_maturity: the defaults, overridden per criterion."""
    _reject_unknown_keys(reader, "stage", MATURITY_CRITERIA)
    thresholds = []
    for stage, defaults in MATURITY_CRITERIA.items():
        stage_reader = reader.optional_child(stage, {})
        _reject_unknown_keys(stage_reader, f"{stage} criterion", defaults)
        thresholds += [
            MaturityThreshold(
                stage,
                criterion,
                stage_reader.optional_child(criterion, default).number(maximum=1),
            )
            for criterion, default in defaults.items()
        ]
    return tuple(thresholds)


def _sla_targets(reader: _Reader) -> tuple[SlaTarget, ...]:
    targets = tuple(
        SlaTarget(
            commitment=commitment,
            owner=entry.child("owner").choice(COMMITMENT_OWNERS),
            target=entry.child("target").number(
                maximum=1 if commitment in RATE_COMMITMENTS else None
            ),
            description=entry.child("description").text(),
        )
        for commitment, entry in reader.items()
    )
    given = {t.commitment for t in targets}
    if missing := [c for c in SLA_COMMITMENTS if c not in given]:
        raise reader.fail(f"missing target(s) for {', '.join(missing)}")
    if unknown := sorted(given - set(SLA_COMMITMENTS)):
        raise reader.fail(
            f"unknown commitment(s) {', '.join(unknown)}; the warehouse measures "
            f"{', '.join(SLA_COMMITMENTS)}"
        )
    return targets


def _reject_unknown_keys(reader: _Reader, what: str, known: Mapping[str, Any]) -> None:
    if reader.data is None:
        return
    if not isinstance(reader.data, Mapping):
        raise reader.fail("expected a mapping")
    if unknown := sorted(str(key) for key in set(reader.data) - set(known)):
        raise reader.fail(f"unknown {what}(s) {', '.join(unknown)}; expected {', '.join(known)}")


def _reject_duplicates(reader: _Reader, what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise reader.fail(f"{what} {value!r} is listed more than once")
        seen.add(value)


@dataclass(frozen=True)
class SignalRule:
    signal: str
    activity_type_id: int
    primary_attribute_like: str
    new_status: str | None


# How a content rule names the asset from an activity's primary attribute: the whole
# value (a program name), the text after the pattern's fixed start (a form named
# "Whitepaper Download - <title>"), or a page address's first path segment (/products).
CONTENT_ASSETS = ("whole_value", "after_prefix", "first_path_segment")


@dataclass(frozen=True)
class ContentRule:
    """A Marketo activity that is a lead consuming content (lead_content_consumed)."""

    content_type: str
    activity_type_id: int
    primary_attribute_like: str
    asset: str

    @property
    def prefix(self) -> str:
        """The fixed start of the pattern, which `after_prefix` strips."""
        return self.primary_attribute_like.removesuffix("%")


# EUR amounts are published as DECIMAL(18, 2): a bound above this would let through
# values the marts cannot hold.
LARGEST_AMOUNT_BOUND_EUR = 10**15


@dataclass(frozen=True)
class DataQuality:
    """What counts as a bad record, and how many a check sets aside before it blocks.
    The defaults apply to a mapping without `data_quality`."""

    max_opportunity_amount_eur: float = 100_000_000
    set_aside_max_records: int = 5
    set_aside_max_share: float = 0.001

    def records_set_aside_at_most(self, records_checked: int) -> int:
        """A handful is a slip in data entry; more than this is systematic breakage."""
        return max(self.set_aside_max_records, int(self.set_aside_max_share * records_checked))


@dataclass(frozen=True)
class OpportunityStage:
    stage: str
    outcome: str
    # Position in the sales order, from 1: a higher number is further along.
    order: int


@dataclass(frozen=True)
class CampaignResponseRule:
    """A campaign response in the CRM that is a funnel signal (how Pardot and
    HubSpot-for-Salesforce orgs surface form fills and webinar attendance)."""

    signal: str
    campaign_type: str | None
    campaign_name_like: str | None
    member_status: str | None
    responded_only: bool


@dataclass(frozen=True)
class LeadFieldRule:
    """A lead field holding a value that is a funnel signal (`Rating = Hot`, a
    `Demo_Requested__c` checkbox), at the lead's creation."""

    signal: str
    field: str
    equals: str


@dataclass(frozen=True)
class LeadSourceRule:
    """A lead source that is a funnel signal (a Web-to-Lead form), at the lead's creation."""

    signal: str
    lead_source: str


@dataclass(frozen=True)
class CrmSignalRules:
    campaign_responses: tuple[CampaignResponseRule, ...] = ()
    lead_fields: tuple[LeadFieldRule, ...] = ()
    lead_sources: tuple[LeadSourceRule, ...] = ()

    @property
    def all(self) -> tuple[CampaignResponseRule | LeadFieldRule | LeadSourceRule, ...]:
        return (*self.campaign_responses, *self.lead_fields, *self.lead_sources)


@dataclass(frozen=True)
class OrgCurrency:
    """The currency of amounts exported without one (single-currency orgs have no
    CurrencyIsoCode column). None: the corporate currency of the agreed definitions."""

    currency: str | None = None
    # Units of `currency` per one unit of the corporate currency, when they differ.
    units_per_corporate_unit: float | None = None


@dataclass(frozen=True)
class SourceMapping:
    path: Path
    # The Salesforce section's settings; None and empty without a `salesforce:` section.
    instance_url: str | None
    custom_fields: Mapping[str, Mapping[str, str]]
    user_teams: Mapping[str, str]
    lead_statuses: Mapping[str, str]
    opportunity_stages: tuple[OpportunityStage, ...]
    signal_rules: tuple[SignalRule, ...]
    content_rules: tuple[ContentRule, ...] = ()
    crm_signal_rules: CrmSignalRules = CrmSignalRules()
    org_currency: OrgCurrency = OrgCurrency()
    # A load keeping fewer rows than the last accepted one, by more than this share,
    # stops the run unless the shrink is expected.
    max_shrink_share: float = DEFAULT_MAX_SHRINK_SHARE
    data_quality: DataQuality = DataQuality()
    hubspot: HubSpotMapping = field(default_factory=HubSpotMapping)

    @property
    def systems(self) -> tuple[str, ...]:
        """The CRM systems the mapping has a section for."""
        return tuple(
            system
            for system, configured in (
                ("salesforce", self.instance_url is not None),
                ("hubspot", self.hubspot.is_configured),
            )
            if configured
        )

    @property
    def record_link_base(self) -> str:
        """Where the weekly review links a lead's record: the Salesforce address, or a
        HubSpot-only portal's contact pages."""
        return self.instance_url or f"{self.hubspot.portal_url}/record/0-1"

    def custom_fields_for(self, sobject: str) -> Mapping[str, str]:
        """Warehouse field -> export column for one Salesforce object."""
        return self.custom_fields.get(sobject, {})

    @property
    def lead_signal_fields(self) -> tuple[str, ...]:
        """The Lead columns the CRM signal rules read."""
        return tuple(sorted({rule.field for rule in self.crm_signal_rules.lead_fields}))

    def check_currency_against(self, definitions: AgreedDefinitions) -> None:
        """Amounts without a currency must be convertible to the corporate currency."""
        self._check_org_currency(self.org_currency, "salesforce.currency", definitions)
        if self.hubspot.currency:
            self._check_org_currency(self.hubspot.currency, "hubspot.currency", definitions)

    def _check_org_currency(
        self, org_currency: OrgCurrency, key: str, definitions: AgreedDefinitions
    ) -> None:
        currency, rate = org_currency.currency, org_currency.units_per_corporate_unit
        where = f"{self.path} at '{key}'"
        if currency not in (None, definitions.currency) and rate is None:
            raise ConfigurationError(
                f"{where}: the org currency {currency} is not the corporate currency "
                f"{definitions.currency} of the agreed definitions; declare "
                f"units_per_corporate_unit (units of {currency} per 1 {definitions.currency})"
            )
        if rate is not None and currency in (None, definitions.currency):
            raise ConfigurationError(
                f"{where}: units_per_corporate_unit applies only to an org_currency other "
                f"than the corporate currency {definitions.currency}"
            )


def unproduced_signals(definitions: AgreedDefinitions, mapping: SourceMapping) -> list[str]:
    """Signals the agreed definitions rely on that no rule of the mapping produces,
    usually a typo on one side: a lead can then never meet that rule."""
    used = {rule.signal for rule in definitions.stage_rules} | set(definitions.intent_signals)
    produced = {
        rule.signal
        for rule in (
            *mapping.signal_rules,
            *mapping.crm_signal_rules.all,
            *mapping.hubspot.signal_rules,
        )
    }
    return sorted(used - produced)


def load_source_mapping(path: Path) -> SourceMapping:
    return _source_mapping_in(path, _document_text(path))


@functools.lru_cache(maxsize=PARSED_DOCUMENTS_KEPT)
def _source_mapping_in(path: Path, text: str) -> SourceMapping:
    root = _parse_yaml(path, text)
    if not isinstance(root.data, Mapping) or not ({"salesforce", "hubspot"} & set(root.data)):
        raise root.fail("expected a 'salesforce' or a 'hubspot' section (or both)")
    return SourceMapping(
        path=path,
        signal_rules=tuple(
            SignalRule(
                signal=rule.child("signal").text(),
                activity_type_id=rule.child("activity_type_id").whole_number(minimum=1),
                primary_attribute_like=rule.child("primary_attribute_like").text(),
                new_status=rule.optional_child("new_status", None).optional_text(),
            )
            for rule in root.optional_child("marketo", {})
            .optional_child("signal_rules", [])
            .entries()
        ),
        content_rules=_content_rules(
            root.optional_child("marketo", {}).optional_child("content_rules", [])
        ),
        max_shrink_share=root.optional_child("volume_guard", {})
        .optional_child("max_shrink_share", DEFAULT_MAX_SHRINK_SHARE)
        .number(minimum=0, maximum=1),
        data_quality=_data_quality(root.optional_child("data_quality", {})),
        hubspot=_hubspot_section(root.child("hubspot"))
        if "hubspot" in root.data
        else HubSpotMapping(),
        **(
            _salesforce_section(root.child("salesforce"))
            if "salesforce" in root.data
            else NO_SALESFORCE_SECTION
        ),
    )


# A HubSpot portal's mapping has no Salesforce settings.
NO_SALESFORCE_SECTION: dict[str, Any] = {
    "instance_url": None,
    "custom_fields": {},
    "user_teams": {},
    "lead_statuses": {},
    "opportunity_stages": (),
}


def _salesforce_section(salesforce: _Reader) -> dict[str, Any]:
    """The SourceMapping fields the `salesforce:` section gives."""
    stages = salesforce.child("opportunity_stages")
    opportunity_stages = tuple(
        OpportunityStage(
            stage=entry.child("stage").text(),
            outcome=entry.child("outcome").choice(OPPORTUNITY_OUTCOMES),
            order=position,
        )
        for position, entry in enumerate(stages.entries(), start=1)
    )
    _reject_duplicates(stages, "stage", [s.stage for s in opportunity_stages])
    custom_fields = {
        sobject: {field: column.text() for field, column in fields.items()}
        for sobject, fields in salesforce.child("custom_fields").items()
    }
    if "team_attribute" not in custom_fields.get("User", {}):
        raise salesforce.child("custom_fields").fail(
            "User.team_attribute is required: the User column that says who is sales and "
            "who is marketing"
        )
    return {
        "instance_url": salesforce.child("instance_url").https_url(),
        "custom_fields": custom_fields,
        "user_teams": {
            value: team.choice(USER_TEAMS) for value, team in salesforce.child("user_teams").items()
        },
        "lead_statuses": {
            status: stage.choice(FUNNEL_STAGES)
            for status, stage in salesforce.child("lead_statuses").items()
        },
        "opportunity_stages": opportunity_stages,
        "crm_signal_rules": _crm_signal_rules(salesforce.optional_child("signal_rules", {})),
        "org_currency": _org_currency(salesforce.optional_child("currency", {})),
    }


def _hubspot_section(hubspot: _Reader) -> HubSpotMapping:
    return read_hubspot_section(
        hubspot, FUNNEL_STAGES, USER_TEAMS, _org_currency(hubspot.optional_child("currency", {}))
    )


def _content_rules(reader: _Reader) -> tuple[ContentRule, ...]:
    rules = []
    for entry in reader.entries():
        rule = ContentRule(
            content_type=entry.child("content_type").text(),
            activity_type_id=entry.child("activity_type_id").whole_number(minimum=1),
            primary_attribute_like=entry.child("primary_attribute_like").text(),
            asset=entry.child("asset").choice(CONTENT_ASSETS),
        )
        if rule.asset == "after_prefix" and (
            not rule.primary_attribute_like.endswith("%") or any(c in rule.prefix for c in "%_")
        ):
            raise entry.child("primary_attribute_like").fail(
                "asset after_prefix needs a pattern of a fixed start and a final %"
            )
        rules.append(rule)
    return tuple(rules)


def _crm_signal_rules(reader: _Reader) -> CrmSignalRules:
    campaign_responses = []
    for rule in reader.optional_child("campaign_responses", []).entries():
        campaign_type = rule.optional_child("campaign_type", None).optional_text()
        name_like = rule.optional_child("campaign_name_like", None).optional_text()
        if campaign_type is None and name_like is None:
            raise rule.fail("give campaign_type or campaign_name_like (or both)")
        campaign_responses.append(
            CampaignResponseRule(
                signal=rule.child("signal").text(),
                campaign_type=campaign_type,
                campaign_name_like=name_like,
                member_status=rule.optional_child("member_status", None).optional_text(),
                responded_only=rule.optional_child("responded_only", True).boolean(),
            )
        )
    return CrmSignalRules(
        campaign_responses=tuple(campaign_responses),
        lead_fields=tuple(
            LeadFieldRule(
                signal=rule.child("signal").text(),
                field=rule.child("field").text(),
                equals=rule.child("equals").scalar_text(),
            )
            for rule in reader.optional_child("lead_fields", []).entries()
        ),
        lead_sources=tuple(
            LeadSourceRule(
                signal=rule.child("signal").text(), lead_source=rule.child("lead_source").text()
            )
            for rule in reader.optional_child("lead_sources", []).entries()
        ),
    )


def _data_quality(reader: _Reader) -> DataQuality:
    default = DataQuality()
    set_aside = reader.optional_child("set_aside", {})
    return DataQuality(
        max_opportunity_amount_eur=reader.optional_child(
            "max_opportunity_amount_eur", default.max_opportunity_amount_eur
        ).number(minimum=1, maximum=LARGEST_AMOUNT_BOUND_EUR),
        set_aside_max_records=set_aside.optional_child(
            "max_records", default.set_aside_max_records
        ).whole_number(),
        set_aside_max_share=set_aside.optional_child(
            "max_share", default.set_aside_max_share
        ).number(maximum=1),
    )


def _org_currency(reader: _Reader) -> OrgCurrency:
    rate = reader.optional_child("units_per_corporate_unit", None)
    return OrgCurrency(
        currency=reader.optional_child("org_currency", None).optional_text(),
        units_per_corporate_unit=None if rate.data is None else rate.number(minimum=1e-9),
    )
