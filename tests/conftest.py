"""Shared fixtures: one full nightly run per landing directory per test session.

A dbt build plus a Dagster run cost tens of seconds of start-up, so each landing
directory is materialised once and every KPI test reads the published result.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from orchestration.definitions import build_definitions
from orchestration.nightly import run_nightly_refresh
from orchestration.resources import WarehouseResource
from orchestration.settings import (
    DEFAULT_DEFINITIONS_DIR,
    DEFAULT_LANDING_DIR,
    DEFAULT_SOURCE_MAPPING_FILE,
    PROJECT_ROOT,
)

FIXTURE_LANDING = Path(__file__).parent / "fixtures" / "landing"
SALES_LED_ORG = Path(__file__).parent / "fixtures" / "sales_led_org"
HUBSPOT_PORTAL = Path(__file__).parent / "fixtures" / "hubspot_portal"
PROJECT_DBT_DIR = PROJECT_ROOT / "dbt_project"
MARTS_DIR = PROJECT_DBT_DIR / "models" / "marts"
# The one version the project ships.
SHIPPED_DEFINITIONS = DEFAULT_DEFINITIONS_DIR / "2026.1.yml"


@dataclass
class WarehouseRun:
    warehouse: WarehouseResource
    result: dg.ExecuteInProcessResult

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse.paths.analytics_database), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def failed_checks(self, severity: dg.AssetCheckSeverity) -> set[str]:
        return {
            evaluation.check_name
            for evaluation in self.result.get_asset_check_evaluations()
            if not evaluation.passed and evaluation.severity == severity
        }


def write_version(
    directory: Path,
    version: str,
    effective_date: str,
    edit: Callable[[dict], None] = lambda document: None,
    signed_by: tuple[str, ...] = ("marketing", "sales"),
) -> Path:
    """A version file in `directory`: the shipped rules under another version number and
    effective date, changed by `edit`, signed on its effective date by `signed_by`."""
    document = yaml.safe_load(SHIPPED_DEFINITIONS.read_text())
    document["version"] = version
    document["effective_date"] = dt.date.fromisoformat(effective_date)
    document["sign_off"] = [
        {
            "team": team,
            "name": f"{team} lead",
            "role": "Head",
            "signed_on": dt.date.fromisoformat(effective_date),
        }
        for team in signed_by
    ]
    edit(document)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{version}.yml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def make_warehouse(landing_dir: Path, warehouse_dir: Path, **overrides: str) -> WarehouseResource:
    return WarehouseResource(
        landing_dir=str(landing_dir),
        warehouse_dir=str(warehouse_dir),
        definitions_dir=overrides.get("definitions_dir", str(DEFAULT_DEFINITIONS_DIR)),
        source_mapping_file=overrides.get("source_mapping_file", str(DEFAULT_SOURCE_MAPPING_FILE)),
    )


def run_warehouse(warehouse: WarehouseResource) -> WarehouseRun:
    result = run_nightly_refresh(build_definitions(warehouse), dg.DagsterInstance.ephemeral())
    return WarehouseRun(warehouse, result)


def run_org(tmp_path_factory: pytest.TempPathFactory, org: Path, name: str) -> WarehouseRun:
    """One run of an org's fixture: `org`/landing with `org`/source_mapping.yml."""
    run = run_warehouse(
        make_warehouse(
            org / "landing",
            tmp_path_factory.mktemp(org.name),
            source_mapping_file=str(org / "source_mapping.yml"),
        )
    )
    assert run.result.success, f"the nightly job failed on the {name}"
    return run


def dbt_results(warehouse: WarehouseResource) -> dict[str, str]:
    """Each dbt node the warehouse's last build ran, by unique id, with its status."""
    run_results = json.loads((warehouse.paths.dbt_target_dir / "run_results.json").read_text())
    return {result["unique_id"]: result["status"] for result in run_results["results"]}


def mart_rows(database: Path) -> dict[str, list[tuple]]:
    """Every mart's rows, in an order independent of how they were written."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return {
            path.stem: sorted(connection.execute(f"select * from {path.stem}").fetchall(), key=repr)
            for path in MARTS_DIR.glob("*.sql")
        }


def copy_landing(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


@dataclass(frozen=True)
class PortalNights:
    """Nights of the HubSpot portal fixture on a landing folder of its own, to which
    each later night adds one export."""

    root: Path
    landing: Path
    nightly: WarehouseResource
    instance: dg.DagsterInstance

    def next_night(self, folder: str, day: str, records: list[dict]) -> None:
        """A night whose only news is `records`, in hubspot/`folder`/`day`.jsonl."""
        (self.landing / "hubspot" / folder).mkdir(exist_ok=True)
        (self.landing / "hubspot" / folder / f"{day}.jsonl").write_text(
            "".join(json.dumps(record) + "\n" for record in records)
        )
        assert run_nightly_refresh(build_definitions(self.nightly), self.instance).success

    def full_refresh(self) -> WarehouseResource:
        """A warehouse built in full from every export the nights have seen."""
        full = make_warehouse(
            self.landing, self.root / "full", source_mapping_file=self.nightly.source_mapping_file
        )
        assert run_nightly_refresh(
            build_definitions(full), self.instance, full_refresh=True
        ).success
        return full


def first_portal_night(root: Path) -> PortalNights:
    landing = copy_landing(HUBSPOT_PORTAL / "landing", root / "landing")
    nightly = make_warehouse(
        landing, root / "nightly", source_mapping_file=str(HUBSPOT_PORTAL / "source_mapping.yml")
    )
    instance = dg.DagsterInstance.ephemeral()
    assert run_nightly_refresh(build_definitions(nightly), instance).success
    return PortalNights(root, landing, nightly, instance)


@contextmanager
def running_python(
    script: str, *arguments: str, ready: str, **options
) -> Iterator[subprocess.Popen]:
    """`script` in a Python process of its own, once it has printed `ready`; killed
    when done with, whatever state it is in."""
    process = subprocess.Popen(
        [sys.executable, "-c", script, *arguments],
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
        **options,
    )
    try:
        assert process.stdout.readline().strip() == ready
        yield process
    finally:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def fixture_run(tmp_path_factory: pytest.TempPathFactory) -> WarehouseRun:
    run = run_warehouse(make_warehouse(FIXTURE_LANDING, tmp_path_factory.mktemp("fixture_wh")))
    assert run.result.success, "the nightly job failed on the hand-made fixture"
    return run


def render_report(
    run: WarehouseRun, week_start: str | None = None
) -> tuple[str, str, dg.AssetMaterialization]:
    """The Monday review of one week from a run's BI file: Markdown, HTML, materialization."""
    from orchestration.reports.assets import weekly_pipeline_review_report

    result = dg.materialize(
        [weekly_pipeline_review_report],
        resources={"warehouse": run.warehouse},
        run_config={
            "ops": {"reports__weekly_pipeline_review": {"config": {"week_start": week_start}}}
        },
    )
    (materialization,) = result.asset_materializations_for_node("reports__weekly_pipeline_review")
    markdown = Path(materialization.metadata["report"].value).read_text(encoding="utf-8")
    html = Path(materialization.metadata["html_report"].value).read_text(encoding="utf-8")
    return markdown, html, materialization


@pytest.fixture(scope="session")
def fixture_review(fixture_run) -> tuple[str, str, dg.AssetMaterialization]:
    """The review of the fixture's week of 12 January 2026, rendered once per session."""
    return render_report(fixture_run, "2026-01-12")


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    run = run_warehouse(make_warehouse(DEFAULT_LANDING_DIR, tmp_path_factory.mktemp("sample_wh")))
    assert run.result.success, "the nightly job failed on the shipped sample"
    return run


@pytest.fixture(scope="session")
def sales_led_run(tmp_path_factory) -> WarehouseRun:
    """A Salesforce-only org: no marketing/, no LeadHistory, one currency, minimal
    columns, CRM facts as signals (tests/test_sales_led_org.py derives its numbers)."""
    return run_org(tmp_path_factory, SALES_LED_ORG, "sales-led org")


@pytest.fixture(scope="session")
def hubspot_run(tmp_path_factory) -> WarehouseRun:
    """A HubSpot-only portal: no salesforce/ or marketing/ folder, its own source
    mapping (tests/test_hubspot_portal.py derives its numbers)."""
    return run_org(tmp_path_factory, HUBSPOT_PORTAL, "HubSpot portal")
