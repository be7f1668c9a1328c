"""The agreed definitions, re-evaluated in Python over what the marts publish.

Deliberately not a translation of the dbt SQL: each rule reads the published columns
and the signed YAML and says which rows break the agreement, so a bug in a model
cannot hide behind the same bug in its check. Each lead is judged by the version the
YAML puts in force on its creation day, not by the version the mart says it used.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from orchestration.agreements.documents import SLA_COMMITMENTS
from orchestration.agreements.history import AgreementHistory

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Violation:
    record_id: str
    problem: str

    def __str__(self) -> str:
        return f"{self.record_id}: {self.problem}"


def utc_bounds(local: dt.datetime, time_zone: str) -> tuple[dt.datetime, dt.datetime]:
    """The earliest and latest instant a wall-clock time of the marts can stand for.

    Marts hold wall-clock time in the reporting zone. In the hour repeated when the
    clocks go back, one reading is two instants (02:30 CEST and 02:30 CET), so a touch
    at 02:32 can follow a creation at 02:48: rules judge only what is certain.
    """
    zone = zoneinfo.ZoneInfo(time_zone)
    instants = [local.replace(tzinfo=zone, fold=fold).astimezone(dt.UTC) for fold in (0, 1)]
    return min(instants), max(instants)


def surely_before(first: dt.datetime, second: dt.datetime, time_zone: str) -> bool:
    """Whether wall-clock time `first` is before `second` however either is read.

    A reading that is not earlier cannot be surely earlier, which spares the time-zone
    arithmetic for nearly every row (a million leads at size M).
    """
    return first < second and utc_bounds(first, time_zone)[1] < utc_bounds(second, time_zone)[0]


def shortest_distance(first: dt.datetime, second: dt.datetime, time_zone: str) -> dt.timedelta:
    """The least time that can lie between two wall-clock times."""
    first_earliest, first_latest = utc_bounds(first, time_zone)
    second_earliest, second_latest = utc_bounds(second, time_zone)
    return max(second_earliest - first_latest, first_earliest - second_latest, dt.timedelta(0))


# No time zone's UTC offset has ever moved by more than a day.
LARGEST_OFFSET_CHANGE = dt.timedelta(days=1)


def surely_farther_apart(
    first: dt.datetime, second: dt.datetime, limit: dt.timedelta, time_zone: str
) -> bool:
    """Whether wall-clock times `first` and `second` lie more than `limit` apart however
    either is read.

    Readings at least a day inside the limit are inside it however they are read,
    which spares the time-zone arithmetic for nearly every row.
    """
    if abs(first - second) <= limit - LARGEST_OFFSET_CHANGE:
        return False
    return shortest_distance(first, second, time_zone) > limit


def sales_ready_violations(leads: Iterable[Row], history: AgreementHistory) -> list[Violation]:
    """Every lead published as sales-ready satisfies every criterion of the definition
    in force when it was created."""
    violations = []
    for lead in leads:
        if not lead["meets_definition"]:
            continue
        definitions = history.in_force_on(lead["created_at"].date())
        version = definitions.version
        window = dt.timedelta(days=definitions.intent_window_days)
        problems = []
        employees = lead["number_of_employees"]
        if employees is None or employees < definitions.min_employees:
            problems.append(
                f"{employees} employees, minimum {definitions.min_employees} in {version}"
            )
        if not definitions.is_budget_authority(lead["title"]):
            problems.append(f"title {lead['title']!r} is not a budget-authority role in {version}")
        signal, signal_at = lead["active_intent_signal"], lead["active_intent_at"]
        if signal not in definitions.intent_signals or signal_at is None:
            problems.append(f"{signal!r} is not an active-intent signal in {version}")
        elif surely_farther_apart(signal_at, lead["created_at"], window, definitions.time_zone):
            distance = shortest_distance(signal_at, lead["created_at"], definitions.time_zone)
            problems.append(
                f"intent signal {distance} from creation, beyond the {window.days} days of "
                f"{version}"
            )
        violations.extend(Violation(lead["lead_id"], problem) for problem in problems)
    return violations


def disqualification_reason_violations(
    leads: Iterable[Row], history: AgreementHistory
) -> list[Violation]:
    """Every lead sales disqualified carries one of the reasons agreed when it was created."""
    violations = []
    for lead in leads:
        if not lead["is_disqualified"]:
            continue
        definitions = history.in_force_on(lead["created_at"].date())
        reason = lead["disqualification_reason"]
        if reason is None:
            violations.append(Violation(lead["lead_id"], "disqualified without a reason"))
        elif reason not in definitions.disqualification_reasons:
            violations.append(
                Violation(
                    lead["lead_id"],
                    f"reason {reason!r} is not on the agreed list of {definitions.version}",
                )
            )
    return violations


def definition_version_violations(
    leads: Iterable[Row], history: AgreementHistory
) -> list[Violation]:
    """Every lead is published under the version in force on its creation day."""
    violations = []
    for lead in leads:
        expected = history.in_force_on(lead["created_at"].date()).version
        if lead["definition_version"] != expected:
            violations.append(
                Violation(
                    lead["lead_id"],
                    f"judged under {lead['definition_version']!r}, but {expected} was in "
                    f"force on {lead['created_at'].date()}",
                )
            )
    return violations


FUNNEL_ORDER = ("created_at", "mql_at", "sql_at")


def funnel_order_violations(leads: Iterable[Row], time_zone: str) -> list[Violation]:
    """Created, MQL and SQL happen in that order; no sales touch precedes creation."""
    violations = []
    for lead in leads:
        reached = [(stage, lead[stage]) for stage in FUNNEL_ORDER if lead[stage] is not None]
        violations.extend(
            Violation(lead["lead_id"], f"{later} {later_at} is before {earlier} {earlier_at}")
            for (earlier, earlier_at), (later, later_at) in itertools.pairwise(reached)
            if surely_before(later_at, earlier_at, time_zone)
        )
        touched_at = lead["first_sales_touch_at"]
        if touched_at is not None and surely_before(touched_at, lead["created_at"], time_zone):
            violations.append(
                Violation(
                    lead["lead_id"],
                    f"first_sales_touch_at {touched_at} is before created_at {lead['created_at']}",
                )
            )
    return violations


def converted_opportunity_violations(
    leads: Iterable[Row], opportunity_ids: set[str]
) -> list[Violation]:
    """Every converted lead points at an opportunity that is published."""
    return [
        Violation(
            lead["lead_id"],
            "converted without an opportunity"
            if lead["converted_opportunity_id"] is None
            else f"opportunity {lead['converted_opportunity_id']} does not exist",
        )
        for lead in leads
        if lead["is_converted"] and lead["converted_opportunity_id"] not in opportunity_ids
    ]


def implausible_amount(opportunity: Row, max_amount_eur: float) -> str | None:
    """Why an opportunity's amount is no real deal's (an entry or export error), or None.

    An amount without a rate in force can only be judged by its sign.
    """
    amount, units_per_eur = opportunity["amount"], opportunity["units_per_eur"]
    if amount is None:
        return None
    if amount < 0:
        return "amount below zero"
    if units_per_eur is not None and amount / units_per_eur > Decimal(str(max_amount_eur)):
        return f"amount above the plausible maximum of EUR {max_amount_eur:,.0f}"
    return None


def implausible_amount_violations(
    opportunities: Iterable[Row], max_amount_eur: float
) -> list[Violation]:
    """Amounts below zero or above the plausible maximum, named by record."""
    return [
        Violation(opportunity["opportunity_id"], problem)
        for opportunity in opportunities
        if (problem := implausible_amount(opportunity, max_amount_eur))
    ]


def eur_amount_violations(opportunities: Iterable[Row], max_amount_eur: float) -> list[Violation]:
    """Every plausible amount has a EUR value: a missing dated rate is an error, not a
    zero. (An implausible amount has none on purpose, and its own check.)"""
    return [
        Violation(
            opportunity["opportunity_id"],
            f"{opportunity['currency_iso_code']} amount closing {opportunity['close_date']} "
            "has no EUR value (no dated rate in force)",
        )
        for opportunity in opportunities
        if opportunity["amount"] is not None
        and opportunity["amount_eur"] is None
        and implausible_amount(opportunity, max_amount_eur) is None
    ]


def unmapped_lead_statuses(
    status_counts: Mapping[str | None, int], mapped_statuses: Iterable[str], system: str
) -> list[Violation]:
    """Lead status values (Salesforce's Lead.Status, HubSpot's hs_lead_status) the
    source mapping's `system` section does not map to a funnel stage, with the number
    of leads holding each, the most frequent first."""
    mapped = set(mapped_statuses)
    return [
        Violation(
            "no status" if status is None else f"status {status!r}",
            f"{count} lead(s); not in {system}.lead_statuses of the source mapping, so "
            "in no funnel stage",
        )
        for status, count in sorted(
            status_counts.items(), key=lambda item: (-item[1], str(item[0]))
        )
        if status not in mapped
    ]


@dataclass(frozen=True)
class TargetResult:
    commitment: str
    target: float
    actual: float | None

    @property
    def met(self) -> bool:
        return self.actual is not None and self.actual >= self.target


# Where `shared_kpis_monthly` holds the actual for each agreed commitment.
ACTUAL_COLUMNS = {
    "sales_ready_leads": "sales_ready_leads",
    "sales_ready_to_opportunity_rate": "lead_to_opportunity_rate",
    "picked_up_within_window_share": "picked_up_within_window_share",
    "marketing_pipeline_eur": "marketing_pipeline_eur",
    "lead_to_won_rate_floor": "lead_to_won_rate",
}


def month_target(history: AgreementHistory, commitment: str, month: dt.date) -> float:
    """A month's target: each day holds the target of the version in force that day, so
    a version taking effect mid-month sets the target for the days from then on."""
    days = [month + dt.timedelta(days=n) for n in range((_next_month(month) - month).days)]
    return sum(history.in_force_on(day).sla_target(commitment).target for day in days) / len(days)


def monthly_target_results(month: Row, history: AgreementHistory) -> list[TargetResult]:
    """One month of `shared_kpis_monthly` against every SLA target in force in it."""
    results = []
    for commitment in SLA_COMMITMENTS:
        actual = month[ACTUAL_COLUMNS[commitment]]
        results.append(
            TargetResult(
                commitment,
                month_target(history, commitment, month["month"]),
                None if actual is None else float(actual),
            )
        )
    return results


def last_complete_month(months: Iterable[Row]) -> Row | None:
    """The latest month that has ended in the data: the current one is still filling."""
    ordered = sorted(months, key=lambda row: row["month"])
    return ordered[-2] if len(ordered) >= 2 else None


# Judged only on cohorts that have had the agreed sales cycle to close: a month's
# leads cannot all be won yet a few weeks after it ended.
COHORT_COMMITMENTS = frozenset({"lead_to_won_rate_floor"})


def matured_month(months: Iterable[Row], as_of: dt.date, history: AgreementHistory) -> Row | None:
    """The latest month whose every lead has had the agreed sales cycle by `as_of`: the
    cycle of the version in force on the month's last day, that of its youngest leads."""
    matured = [
        row
        for row in months
        if _next_month(row["month"]) + dt.timedelta(days=_cycle_days(history, row["month"]) - 1)
        <= as_of
    ]
    return max(matured, key=lambda row: row["month"], default=None)


def _cycle_days(history: AgreementHistory, month: dt.date) -> int:
    return history.in_force_on(_next_month(month) - dt.timedelta(days=1)).sales_cycle_days


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def sla_results(
    months: list[Row], history: AgreementHistory, as_of: dt.date
) -> list[tuple[dt.date, TargetResult]]:
    """Each commitment judged on its month: the last complete one, and for the cohort
    commitments the latest month matured past the sales cycle (none: not judged yet)."""
    complete = last_complete_month(months)
    matured = matured_month(months, as_of, history)
    judged = []
    for month in (complete, matured):
        if month is None:
            continue
        cohort = month is matured
        judged += [
            (month["month"], result)
            for result in monthly_target_results(month, history)
            if (result.commitment in COHORT_COMMITMENTS) == cohort
        ]
    return judged


def follow_up_breaches(weeks: Iterable[Row], history: AgreementHistory) -> list[Violation]:
    """Owners who let leads gather dust or disqualified leads after too few attempts."""
    breaches = []
    for week in weeks:
        owner = f"{week['owner_name'] or week['owner_id']} (week of {week['week_start']})"
        if week["leads_never_touched"]:
            breaches.append(
                Violation(owner, f"{week['leads_never_touched']} lead(s) never touched")
            )
        if week["leads_disqualified_below_min_attempts"]:
            min_attempts = history.in_force_on(week["week_start"]).min_contact_attempts
            breaches.append(
                Violation(
                    owner,
                    f"{week['leads_disqualified_below_min_attempts']} lead(s) disqualified "
                    f"after fewer than {min_attempts} attempts",
                )
            )
    return breaches
