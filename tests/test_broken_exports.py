"""A broken export never replaces a good BI file: fault trials, run end to end.

The hand-made fixture publishes first; then its Lead.csv is broken the ways real
exports break, and every later run must stop before publishing, leaving the good
file, or (a UTF-16 file) read it whole.
"""

from __future__ import annotations

import shutil

import dagster as dg
import pytest

from orchestration.ingest.load_checks import RECONCILIATION_CHECK, VOLUME_CHECK
from tests.conftest import FIXTURE_LANDING, WarehouseRun, make_warehouse, run_warehouse

# The fixture's leads minus the deleted L7 and the quarantined L9 (test_kpis_on_fixture).
PUBLISHED_LEADS = 8


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    root = tmp_path_factory.mktemp("broken_exports")
    shutil.copytree(FIXTURE_LANDING, root / "landing")
    warehouse = make_warehouse(root / "landing", root / "warehouse")
    first = run_warehouse(warehouse)
    assert first.result.success
    return warehouse


def lead_file(warehouse):
    return warehouse.paths.landing_dir / "salesforce" / "Lead.csv"


def rerun_with(warehouse, text: str, encoding: str = "utf-8") -> tuple[WarehouseRun, float]:
    published = warehouse.paths.analytics_database.stat().st_mtime_ns
    original = lead_file(warehouse).read_bytes()
    lead_file(warehouse).write_bytes(text.encode(encoding))
    try:
        return run_warehouse(warehouse), published
    finally:
        lead_file(warehouse).write_bytes(original)


def failed(run: WarehouseRun, check: str) -> bool:
    return any(
        evaluation.check_name == check and not evaluation.passed
        for evaluation in run.result.get_asset_check_evaluations()
        if evaluation.asset_key == dg.AssetKey(["salesforce", "lead"])
    )


def test_a_quote_that_swallows_the_rest_of_the_file_stops_the_run(landing):
    lines = lead_file(landing).read_text().splitlines(keepends=True)
    # Line 4 (lead L3) opens a quote in Company that the last line's Company closes.
    lines[3] = lines[3].replace(",Charlie VOF,", ',"Charlie VOF,')
    lines[-1] = lines[-1].replace(",Juliet BV,", ',Juliet BV",')
    run, published = rerun_with(landing, "".join(lines))
    assert not run.result.success
    assert failed(run, RECONCILIATION_CHECK)
    assert landing.paths.analytics_database.stat().st_mtime_ns == published
    assert run.query("select count(*) from lead_funnel") == [(PUBLISHED_LEADS,)]


def test_a_header_only_export_stops_the_run_on_the_volume_guard(landing):
    header = lead_file(landing).read_text().splitlines(keepends=True)[0]
    run, published = rerun_with(landing, header)
    assert not run.result.success
    assert failed(run, VOLUME_CHECK) and not failed(run, RECONCILIATION_CHECK)
    assert landing.paths.analytics_database.stat().st_mtime_ns == published
    assert run.query("select count(*) from lead_funnel") == [(PUBLISHED_LEADS,)]


def test_a_utf16_export_is_read_whole(landing):
    run, published = rerun_with(landing, lead_file(landing).read_text(), encoding="utf-16")
    assert run.result.success
    assert landing.paths.analytics_database.stat().st_mtime_ns != published
    assert run.query("select count(*) from lead_funnel") == [(PUBLISHED_LEADS,)]
