"""The agreement over time: every version both teams signed, and the drafts.

A version is in force from its effective date until the next signed version's. The
first signed version also judges what came before its effective date: there was no
agreement before it, and the warehouse's history starts with it. A version that
marketing or sales has not signed is a draft: it judges nothing and shows only in
the what-if comparison (definition_impact).

The reporting time zone and currency are the warehouse's, not a version's: months
and amounts must mean the same under every version to be compared side by side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from orchestration.agreements.documents import (
    AgreedDefinitions,
    ConfigurationError,
    load_agreed_definitions,
)

VERSION_FILE_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class AgreementHistory:
    # The directory of version files, or the one file of a one-version history.
    source: Path
    # Signed versions by effective date.
    signed: tuple[AgreedDefinitions, ...]
    drafts: tuple[AgreedDefinitions, ...]

    @property
    def versions(self) -> tuple[AgreedDefinitions, ...]:
        return (*self.signed, *self.drafts)

    @property
    def latest(self) -> AgreedDefinitions:
        """The signed version with the latest effective date: the warehouse's settings
        that are not judged per period (source freshness)."""
        return self.signed[-1]

    @property
    def time_zone(self) -> str:
        return self.latest.time_zone

    @property
    def currency(self) -> str:
        return self.latest.currency

    def in_force_window(self, version: AgreedDefinitions) -> tuple[dt.date | None, dt.date | None]:
        """The days `version` judges, [from, until); None is open-ended. A draft judges
        no day and has no window."""
        if version not in self.signed:
            return None, None
        position = self.signed.index(version)
        starts = position > 0
        ends = position < len(self.signed) - 1
        return (
            version.effective_date if starts else None,
            self.signed[position + 1].effective_date if ends else None,
        )

    def in_force_on(self, day: dt.date) -> AgreedDefinitions:
        """The version that judges what happened on `day`."""
        started = [version for version in self.signed if version.effective_date <= day]
        return started[-1] if started else self.signed[0]


def definition_files(location: Path) -> list[Path]:
    """The version files at `location`: a directory of them, or one file."""
    if not location.is_dir():
        return [location]
    files = sorted(
        path
        for path in location.iterdir()
        if path.is_file() and path.suffix in VERSION_FILE_SUFFIXES
    )
    if not files:
        raise ConfigurationError(f"{location}: no version files (*.yml) in the directory")
    return files


def load_agreement_history(location: Path) -> AgreementHistory:
    versions = [load_agreed_definitions(path) for path in definition_files(location)]
    _reject_repeated(versions, "version", lambda v: v.version)
    _reject_differing(versions, "reporting.time_zone", lambda v: v.time_zone)
    _reject_differing(versions, "reporting.currency", lambda v: v.currency)
    signed = sorted((v for v in versions if v.is_signed), key=lambda v: v.effective_date)
    if not signed:
        raise ConfigurationError(
            f"{location}: no version is signed by both marketing and sales (each with a "
            "signed_on date in sign_off), so no agreement is in force"
        )
    _reject_repeated(signed, "effective_date", lambda v: v.effective_date)
    drafts = sorted((v for v in versions if not v.is_signed), key=lambda v: v.effective_date)
    return AgreementHistory(location, tuple(signed), tuple(drafts))


def _reject_repeated(
    versions: list[AgreedDefinitions], key: str, value: Callable[[AgreedDefinitions], object]
) -> None:
    seen: dict[object, AgreedDefinitions] = {}
    for version in versions:
        if (earlier := seen.setdefault(value(version), version)) is not version:
            raise ConfigurationError(
                f"{version.path} at '{key}': {value(version)} is also the {key} of "
                f"{earlier.path}; "
                + (
                    "every version has a file of its own"
                    if key == "version"
                    else "two signed versions cannot take effect on the same day"
                )
            )


def _reject_differing(
    versions: list[AgreedDefinitions], key: str, value: Callable[[AgreedDefinitions], object]
) -> None:
    first = versions[0]
    for version in versions[1:]:
        if value(version) != value(first):
            raise ConfigurationError(
                f"{version.path} at '{key}': {value(version)} differs from {value(first)} in "
                f"{first.path}; the reporting time zone and currency are the same in every "
                "version, so that months and amounts compare across versions"
            )
