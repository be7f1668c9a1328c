"""A CRM system the landing folder does not hold: an org on Salesforce has no hubspot/,
a HubSpot portal no salesforce/ (nor marketing/).

Such a system has no export assets in the code location (its exports are not steps of
the runs, nor do they carry checks), yet its raw tables must exist for dbt's staging
models, empty. They are loaded as exports without files right before dbt builds, with
the bookkeeping every load keeps, so the run's coverage report names the missing
system in one line. The volume guard still applies: a folder that held data at the last
accepted load and is gone now stops the run unless the shrink is expected.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from orchestration.ingest.bookkeeping import accept_volume, accepted_volume
from orchestration.ingest.contract import CRM_SYSTEMS
from orchestration.ingest.coverage import absent_system_note
from orchestration.ingest.csv_loader import load_export
from orchestration.ingest.exports import EXPORTS, ExportSpec, OrgFields
from orchestration.ingest.load_checks import shrink_problem
from orchestration.ingest.privacy import PrivacyRules


class MissingSystemError(RuntimeError):
    """A CRM system's folder vanished from the landing folder while its data did not."""


def absent_systems(landing_dir: Path) -> tuple[str, ...]:
    """The CRM systems whose folder is missing. With neither folder there, none counts
    as absent: the required exports then fail, naming the landing folder."""
    present = [system for system in CRM_SYSTEMS if (landing_dir / system).is_dir()]
    return tuple(system for system in CRM_SYSTEMS if present and system not in present)


def exports_of_absent_systems(landing_dir: Path) -> list[ExportSpec]:
    absent = absent_systems(landing_dir)
    return [spec for spec in EXPORTS if spec.system in absent]


def load_absent_systems(
    connection: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    privacy: PrivacyRules,
    max_shrink_share: float,
    shrink_expected: Callable[[list[str]], bool],
) -> list[str]:
    """Load every export of the absent systems as an empty table; returns one line per
    absent system. `shrink_expected` says whether the run was told an export (by its
    asset key path) may shrink."""
    for spec in exports_of_absent_systems(landing_dir):
        result = load_export(connection, spec, [], OrgFields(), privacy)
        accepted = accepted_volume(connection, spec)
        problem = shrink_problem(accepted, result.rows_loaded, max_shrink_share)
        if problem and not shrink_expected(spec.asset_key_path):
            raise MissingSystemError(
                f"{landing_dir / spec.system}/ is missing, so {spec.relative_path} loads "
                f"empty: {problem}. If that is real, run once with "
                f"EXPECT_SHRINK={'/'.join(spec.asset_key_path)} (or all)."
            )
        accept_volume(connection, spec, result.rows_loaded)
    return [absent_system_note(system) for system in absent_systems(landing_dir)]
