"""Where the warehouse reads from and writes to, resolved from the environment.

Paths are read when called, not at import, so tests and `make run` can point the
same code at another landing or warehouse directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LANDING_DIR = PROJECT_ROOT / "seeds" / "sample"
DEFAULT_WAREHOUSE_DIR = PROJECT_ROOT / "data"
# One file per signed version (and per draft); see orchestration/agreements/history.py.
DEFAULT_DEFINITIONS_DIR = PROJECT_ROOT / "config" / "agreed_definitions"
DEFAULT_SOURCE_MAPPING_FILE = PROJECT_ROOT / "config" / "source_mapping.yml"


@dataclass(frozen=True)
class WarehousePaths:
    landing_dir: Path
    warehouse_dir: Path
    # The versions of the agreed definitions: a directory of them, or one file (a
    # history of one version).
    definitions_dir: Path
    source_mapping_file: Path

    @property
    def build_database(self) -> Path:
        """Internal database that ingestion and dbt write; BI tools never read it."""
        return self.warehouse_dir / "build.duckdb"

    @property
    def analytics_database(self) -> Path:
        """The published, checked file BI tools connect to."""
        return self.warehouse_dir / "analytics.duckdb"

    @property
    def dbt_target_dir(self) -> Path:
        """dbt's artifacts and logs for this warehouse's builds. One folder per warehouse
        keeps dbt's partial-parse state valid from night to night: dbt discards it
        whenever the profile (which names the build database) differs."""
        return self.warehouse_dir / "dbt_target"


def _path_from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else default


def warehouse_paths() -> WarehousePaths:
    return WarehousePaths(
        landing_dir=_path_from_env("REVENUE_LANDING_DIR", DEFAULT_LANDING_DIR),
        warehouse_dir=_path_from_env("REVENUE_WAREHOUSE_DIR", DEFAULT_WAREHOUSE_DIR),
        # REVENUE_DEFINITIONS_FILE, from before versions had files of their own, still
        # names a one-version history.
        definitions_dir=_path_from_env(
            "REVENUE_DEFINITIONS_DIR",
            _path_from_env("REVENUE_DEFINITIONS_FILE", DEFAULT_DEFINITIONS_DIR),
        ),
        source_mapping_file=_path_from_env(
            "REVENUE_SOURCE_MAPPING_FILE", DEFAULT_SOURCE_MAPPING_FILE
        ),
    )
