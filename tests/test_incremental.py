"""A nightly run over a delta merges only the new files, and equals a full refresh."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import build_definitions
from orchestration.nightly import run_nightly_refresh
from tests.conftest import FIXTURE_LANDING, MARTS_DIR, copy_landing, make_warehouse

LEAD_HEADER = (FIXTURE_LANDING / "salesforce" / "Lead.csv").read_text().splitlines()[0]
TASK_HEADER = (FIXTURE_LANDING / "salesforce" / "Task.csv").read_text().splitlines()[0]
# Next day: L4 is disqualified ("Just looking") after a second call, and a new lead
# L11 arrives and is called within the hour.
LEAD_DELTA = (
    "00Q0000000000000L4,Dee,Delta,dee@delta.example,,Delta,Director of Operations,5,Webinar,"
    "Closed - Not Converted,005000000000000S2,2026-01-15T08:00:00.000Z,false,,,,,false,"
    "2026-03-10T09:00:00.000Z,Just looking,Services\n"
    "00Q000000000000L11,Kim,Kilo,kim@kilo.example,,Kilo BV,CFO,40,Web,Working - Contacted,"
    "005000000000000S1,2026-03-10T08:00:00.000Z,false,,,,,false,2026-03-10T08:30:00.000Z,,IT\n"
)
TASK_DELTA = (
    "00T000000000000T8,00Q0000000000000L4,,005000000000000S2,Call,Call,Call,Completed,"
    "2026-03-10T08:45:00.000Z,2026-03-10,60,false,2026-03-10T08:45:00.000Z\n"
    "00T000000000000T9,00Q000000000000L11,,005000000000000S1,Call,Call,Call,Completed,"
    "2026-03-10T08:30:00.000Z,2026-03-10,60,false,2026-03-10T08:30:00.000Z\n"
)


def mart_rows(database) -> dict[str, list[tuple]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return {
            path.stem: sorted(connection.execute(f"select * from {path.stem}").fetchall(), key=repr)
            for path in MARTS_DIR.glob("*.sql")
        }


@pytest.fixture(scope="module")
def incremental_and_full(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    landing = copy_landing(FIXTURE_LANDING, root / "landing")
    nightly = make_warehouse(landing, root / "nightly")
    instance = dg.DagsterInstance.ephemeral()
    assert run_nightly_refresh(build_definitions(nightly), instance).success
    for folder, header, rows in (
        ("Lead", LEAD_HEADER, LEAD_DELTA),
        ("Task", TASK_HEADER, TASK_DELTA),
    ):
        (landing / "salesforce" / folder).mkdir()
        (landing / "salesforce" / folder / "2026-03-10.csv").write_text(header + "\n" + rows)
    assert run_nightly_refresh(build_definitions(nightly), instance).success
    full = make_warehouse(landing, root / "full")
    assert run_nightly_refresh(build_definitions(full), instance, full_refresh=True).success
    return nightly, full


def test_delta_run_reads_only_the_new_files(incremental_and_full):
    nightly, _ = incremental_and_full
    with duckdb.connect(str(nightly.paths.build_database), read_only=True) as connection:
        loads = connection.execute(
            "select source_file, count(distinct loaded_at) from raw_quarantine.loaded_files "
            "where table_name = 'lead' group by 1 order by 1"
        ).fetchall()
        lead = connection.execute(
            "select rows_read, rows_loaded, rows_quarantined, rows_superseded "
            "from raw_quarantine.load_reconciliation where table_name = 'lead'"
        ).fetchone()
    assert [(path.rsplit("/", 1)[-1], count) for path, count in loads] == [
        ("Lead.csv", 1),
        ("2026-03-10.csv", 1),
    ]
    # 10 rows in Lead.csv + 2 in the delta; L9 quarantined; L4's old version superseded;
    # loaded: 9 live rows of Lead.csv plus L11.
    assert lead == (12, 10, 1, 1)


def test_incremental_result_equals_full_refresh(incremental_and_full):
    nightly, full = incremental_and_full
    incremental_marts = mart_rows(nightly.paths.analytics_database)
    assert incremental_marts == mart_rows(full.paths.analytics_database)
    reasons = {row[0]: row for row in incremental_marts["lead_funnel"]}
    assert reasons["00Q0000000000000L4"][0] == "00Q0000000000000L4"
    assert "00Q000000000000L11" in reasons
