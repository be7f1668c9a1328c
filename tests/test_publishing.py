"""Changing the signed definitions changes the numbers; a failed check blocks publishing."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import dagster as dg
import pytest
import yaml

from tests.conftest import (
    FIXTURE_LANDING,
    SHIPPED_DEFINITIONS,
    copy_landing,
    make_warehouse,
    run_warehouse,
)

MONTHLY_SALES_READY = (
    "select month, sales_ready_leads, definition_version from shared_kpis_monthly order by 1"
)


def stricter_definitions(path: Path) -> Path:
    document = yaml.safe_load(SHIPPED_DEFINITIONS.read_text())
    document["version"] = "2026.2-strict"
    document["lead_definition"]["min_employees"] = 100
    path.write_text(yaml.safe_dump(document))
    return path


def give_lead_an_unagreed_reason(landing: Path, lead_suffix: str, reason: str) -> None:
    lead_file = landing / "salesforce" / "Lead.csv"
    with lead_file.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0])
    for row in rows:
        if row["Id"].endswith(lead_suffix):
            row["Disqualified_Reason__c"] = reason
    with lead_file.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def strict_then_broken(tmp_path_factory):
    """Publish under stricter definitions, then run again on data that breaks a check."""
    root = tmp_path_factory.mktemp("publishing")
    landing = copy_landing(FIXTURE_LANDING, root / "landing")
    warehouse = make_warehouse(
        landing, root / "warehouse", definitions_dir=str(stricter_definitions(root / "defs.yml"))
    )
    strict = run_warehouse(warehouse)
    published = strict.query(MONTHLY_SALES_READY)
    give_lead_an_unagreed_reason(landing, "L3", "Other")
    broken = run_warehouse(warehouse)
    return strict, published, broken


def test_changed_definition_changes_numbers_and_version(strict_then_broken):
    strict, published, _ = strict_then_broken
    assert strict.result.success
    # With 100 FTE as the floor, January keeps only L6 (100 FTE) and February only
    # L2 (200 FTE); L1 (50) and L8 (12) drop out. March's L10 never was sales-ready.
    assert published == [
        (dt.date(2026, 1, 1), 1, "2026.2-strict"),
        (dt.date(2026, 2, 1), 1, "2026.2-strict"),
        (dt.date(2026, 3, 1), 0, "2026.2-strict"),
    ]


def test_failed_blocking_check_keeps_the_previous_bi_file(strict_then_broken):
    _, published, broken = strict_then_broken
    assert "disqualified_leads_have_agreed_reason" in broken.failed_checks(
        dg.AssetCheckSeverity.ERROR
    )
    publish_step = broken.result.get_step_success_events()
    assert not any(event.step_key == "bi__analytics_duckdb" for event in publish_step)
    assert broken.query(MONTHLY_SALES_READY) == published
