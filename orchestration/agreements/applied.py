"""The versions a warehouse has applied, and the promise that they never change.

A signed version is applied from the first run that reads it. The warehouse keeps a
fingerprint of its rules, key by key, in `applied_agreements.json` in the warehouse
directory (beside the erasure list, so it outlives a rebuild of the build database).
A run whose definitions change the rules under an applied version number, withdraw a
signature or drop the version fails before anything is built, and says what changed:
a change to a signed agreement is a new version.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from orchestration.agreements.documents import ConfigurationError
from orchestration.agreements.fingerprints import changed_keys, fingerprint
from orchestration.agreements.history import AgreementHistory
from orchestration.json_files import replace_json

APPLIED_FILE = "applied_agreements.json"


class AppliedVersionChanged(ConfigurationError):
    """The definitions differ from a version the warehouse has already applied."""


@dataclass(frozen=True)
class AppliedVersion:
    version: str
    file_name: str
    first_applied_at: str
    rule_digests: dict[str, str]


def read_applied(warehouse_dir: Path) -> dict[str, AppliedVersion]:
    path = warehouse_dir / APPLIED_FILE
    if not path.exists():
        return {}
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))["versions"]
        return {
            version: AppliedVersion(
                version, entry["file"], entry["first_applied_at"], entry["rules"]
            )
            for version, entry in recorded.items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ConfigurationError(
            f"{path}: not a record of applied versions ({type(error).__name__}); restore it "
            "from a backup: without it, applied versions could change unnoticed"
        ) from error


def drift(history: AgreementHistory, applied: dict[str, AppliedVersion]) -> list[str]:
    """What in `history` breaks an applied version, one sentence per version."""
    current = {version.version: version for version in history.versions}
    problems = []
    for version, record in sorted(applied.items()):
        since = f"applied since {record.first_applied_at[:10]}"
        definitions = current.get(version)
        if definitions is None:
            problems.append(
                f"{history.source}: version {version} ({since}, file {record.file_name}) is "
                "missing; restore its file: a signed version is replaced by a new version, "
                "never withdrawn"
            )
        elif not definitions.is_signed:
            problems.append(
                f"{definitions.path} at 'sign_off': version {version} ({since}) is no longer "
                "signed by both marketing and sales; restore the signatures"
            )
        elif keys := changed_keys(record.rule_digests, definitions.rule_digests):
            problems.append(
                f"{definitions.path}: the rules of version {version} ({since}) changed at "
                f"{', '.join(repr(key) for key in keys)}; a signed version never changes: "
                "restore it and put the change in a new version, with its own "
                "effective_date and sign-off"
            )
    return problems


def verify_and_record(
    history: AgreementHistory, warehouse_dir: Path, now: dt.datetime
) -> list[str]:
    """Fail on any drift from an applied version, then record the signed versions
    applied for the first time; returns their version numbers."""
    applied = read_applied(warehouse_dir)
    if problems := drift(history, applied):
        raise AppliedVersionChanged("\n".join(problems))
    new = [version for version in history.signed if version.version not in applied]
    if new:
        for version in new:
            applied[version.version] = AppliedVersion(
                version.version, version.path.name, now.isoformat(), dict(version.rule_digests)
            )
        _write(warehouse_dir, applied)
    return [version.version for version in new]


def _write(warehouse_dir: Path, applied: dict[str, AppliedVersion]) -> None:
    """Replaced atomically: a crash mid-write must not lose what was applied."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    document = {
        "versions": {
            record.version: {
                "file": record.file_name,
                "first_applied_at": record.first_applied_at,
                "fingerprint": fingerprint(record.rule_digests),
                "rules": record.rule_digests,
            }
            for record in applied.values()
        }
    }
    replace_json(warehouse_dir / APPLIED_FILE, document)
