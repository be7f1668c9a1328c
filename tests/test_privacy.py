"""Privacy: no plain contact data in the BI file, erasure leaves no trace, no key in logs."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import build_definitions
from orchestration.erase import NobodyToErase, erase_person, record_erasure
from orchestration.ingest.privacy import (
    ERASURES_FILE,
    KEY_ENV,
    Erasures,
    email_pseudonym,
    read_erasures,
    write_erasures,
)
from orchestration.nightly import run_nightly_refresh
from orchestration.settings import PROJECT_ROOT
from tests.conftest import FIXTURE_LANDING, PROJECT_DBT_DIR, copy_landing, make_warehouse

SECRET = "correct-horse-battery-staple-7f3a"
# Ben Bravo in the fixture: lead L2, converted into contact C2, Marketo person 1002.
BEN_EMAIL = "Ben@Bravo.example"
BEN_IDS = ("00Q0000000000000L2", "003000000000000C2", "1002")


def table_texts(database: Path) -> dict[str, str]:
    """Every row of every table, as JSON text, keyed by table."""
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = connection.execute(
            "select schema_name, table_name from duckdb_tables() where not temporary"
        ).fetchall()
        return {
            f"{schema}.{table}": " ".join(
                text
                for (text,) in connection.execute(
                    f'select to_json(t)::varchar from "{schema}"."{table}" as t'
                ).fetchall()
            )
            for schema, table in tables
        }


@dataclass(frozen=True)
class ChildProcess:
    program: str
    environment: dict[str, str]


def recording_children(started: list[ChildProcess]) -> type[subprocess.Popen]:
    """subprocess.Popen, noting each child's program and the environment it gets."""

    class RecordingPopen(subprocess.Popen):
        def __init__(self, args, *positional, **keywords):
            program = args if isinstance(args, str | os.PathLike) else args[0]
            # Without `env`, a child inherits this process's environment.
            environment = keywords.get("env")
            started.append(ChildProcess(str(program), dict(environment or os.environ)))
            super().__init__(args, *positional, **keywords)

    return RecordingPopen


@pytest.fixture(scope="module")
def erased_warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("privacy")
    landing = copy_landing(FIXTURE_LANDING, root / "landing")
    warehouse = make_warehouse(landing, root / "warehouse")
    (root / "dagster_home").mkdir()
    instance = dg.DagsterInstance.local_temp(str(root / "dagster_home"))
    children: list[ChildProcess] = []
    patch = pytest.MonkeyPatch()
    patch.setenv(KEY_ENV, SECRET)
    patch.setattr(subprocess, "Popen", recording_children(children))
    defs = build_definitions(warehouse)
    before = run_nightly_refresh(defs, instance)
    before_texts = table_texts(warehouse.paths.analytics_database)
    after = erase_person(BEN_EMAIL, defs, warehouse.paths, instance)
    patch.undo()
    yield warehouse, instance, before, before_texts, after, children
    instance.dispose()


def test_bi_file_has_no_plain_email_or_phone(erased_warehouse):
    _, _, before, before_texts, _, _ = erased_warehouse
    assert before.success
    everything = " ".join(before_texts.values())
    for line in (FIXTURE_LANDING / "salesforce" / "Lead.csv").read_text().splitlines()[1:]:
        email = line.split(",")[3]
        assert email.lower() not in everything.lower()
    assert "+31 20 1234567" not in everything and "31201234567" not in everything


def holds_token(text: str, token: str) -> bool:
    """`token` in `text`, not as part of a longer word: Ben's Marketo id 1002 is found
    in `"leadId": 1002`, not in a digest such as the build fingerprint's `…91002de…`."""
    return re.search(rf"(?<![0-9A-Za-z]){re.escape(token)}(?![0-9A-Za-z])", text) is not None


def test_erased_person_leaves_no_trace(erased_warehouse):
    warehouse, _, _, before_texts, after, _ = erased_warehouse
    assert after.success
    assert any(BEN_IDS[0] in text for text in before_texts.values())
    for database in (warehouse.paths.build_database, warehouse.paths.analytics_database):
        for table, text in table_texts(database).items():
            for trace in (*BEN_IDS, BEN_EMAIL.lower(), 'Bravo","Title'):
                assert not holds_token(text, trace), f"{trace} still in {database.name}:{table}"
    erasures = (warehouse.paths.warehouse_dir / "erasures.json").read_text()
    assert "bravo" not in erasures.lower()
    assert set(BEN_IDS) <= set(json.loads(erasures)["person_ids"])


def test_erasure_changes_the_numbers(erased_warehouse):
    warehouse, *_ = erased_warehouse
    with duckdb.connect(str(warehouse.paths.analytics_database), read_only=True) as connection:
        february = connection.execute(
            "select leads_created, sales_ready_leads from shared_kpis_monthly "
            "where month = date '2026-02-01'"
        ).fetchone()
    # February had L2 and L8; only L8 is left.
    assert february == (1, 1)


def test_pseudonym_key_never_reaches_logs(erased_warehouse):
    warehouse, instance, *_ = erased_warehouse
    logged = [
        path
        for root in (
            PROJECT_DBT_DIR / "target",
            PROJECT_DBT_DIR / "logs",
            warehouse.paths.warehouse_dir,
        )
        if root.exists()
        for path in root.rglob("*")
        if path.is_file()
        and path.suffix in {".log", ".json", ".txt", ".md", ""}
        and SECRET.encode() in path.read_bytes()
    ]
    assert logged == []
    for run in instance.get_runs():
        for record in instance.all_logs(run.run_id):
            assert SECRET not in str(record)


def test_pseudonym_key_never_reaches_dbt(erased_warehouse):
    *_, children = erased_warehouse
    dbt_children = [child for child in children if Path(child.program).name == "revenue-dbt"]
    # The nightly run and the erasure's rebuild each started dbt.
    assert len(dbt_children) >= 2
    assert [child.program for child in dbt_children if SECRET in child.environment.values()] == []


def test_erasing_an_address_that_matches_nobody_changes_nothing(fixture_run, tmp_path):
    paths = fixture_run.warehouse.paths
    before = paths.build_database.stat().st_mtime_ns
    run = subprocess.run(
        [sys.executable, "-m", "orchestration.erase", "nobody@nowhere.example"],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "REVENUE_LANDING_DIR": str(paths.landing_dir),
            "REVENUE_WAREHOUSE_DIR": str(paths.warehouse_dir),
            "DAGSTER_HOME": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 2
    assert "No lead, contact or Marketo person in the warehouse has that address" in run.stderr
    assert "nowhere" not in run.stderr + run.stdout
    assert not (paths.warehouse_dir / ERASURES_FILE).exists()
    assert paths.build_database.stat().st_mtime_ns == before
    with pytest.raises(NobodyToErase):
        record_erasure(paths, "NOBODY@nowhere.example")


# Ivy India (lead L9) is only ever quarantined: her employee count reads "approx. 50".
IVY_EMAIL = "ivy@india.example"
IVY_LEAD = "00Q0000000000000L9"


def plain_personal_data() -> list[str]:
    """Every email address and phone number in the fixture's exports, as written there."""
    found = []
    for path in FIXTURE_LANDING.rglob("*.csv"):
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                found += [
                    value.strip()
                    for column, value in row.items()
                    if column and column.lower() in {"email", "phone", "username"} and value.strip()
                ]
    return sorted(set(found))


@pytest.fixture(scope="module")
def erased_from_quarantine(erased_warehouse):
    warehouse, instance, *_ = erased_warehouse
    quarantine_before = table_texts(warehouse.paths.build_database)["raw_quarantine.rejected_rows"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(KEY_ENV, SECRET)
        result = erase_person(IVY_EMAIL, build_definitions(warehouse), warehouse.paths, instance)
    return warehouse, instance, quarantine_before, result


def test_quarantine_and_run_storage_never_hold_plain_personal_data(erased_from_quarantine):
    warehouse, instance, quarantine_before, _ = erased_from_quarantine
    personal = plain_personal_data()
    assert IVY_EMAIL in personal and "+31 20 1234567" in personal
    assert IVY_LEAD in quarantine_before
    # Dagster's run storage, event logs and compute logs, and every warehouse file.
    stored = [
        path
        for root in (Path(instance.root_directory), warehouse.paths.warehouse_dir)
        for path in root.rglob("*")
        if path.is_file()
    ]
    assert any(path.name == "index.db" for path in stored)
    leaks = [
        (path.name, value)
        for path in stored
        for value in personal
        if value.encode() in path.read_bytes() or value.lower().encode() in path.read_bytes()
    ]
    assert leaks == []


def test_a_person_only_in_the_quarantine_can_be_erased(erased_from_quarantine):
    warehouse, _, _, result = erased_from_quarantine
    assert result.success
    assert (
        IVY_LEAD
        in json.loads((warehouse.paths.warehouse_dir / ERASURES_FILE).read_text())["person_ids"]
    )
    quarantine = table_texts(warehouse.paths.build_database)["raw_quarantine.rejected_rows"]
    assert IVY_LEAD not in quarantine


def test_an_erasure_list_write_cut_short_leaves_the_previous_list(tmp_path, monkeypatch):
    first = Erasures().adding("pseudonym-a", ["00Q000000000001"])
    write_erasures(tmp_path, first)
    real_write_text = Path.write_text

    def write_half(path, text, *args, **kwargs):
        real_write_text(path, text[: len(text) // 2], *args, **kwargs)
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", write_half)
    with pytest.raises(OSError):
        write_erasures(tmp_path, first.adding("pseudonym-b", ["00Q000000000002"]))
    monkeypatch.undo()
    assert read_erasures(tmp_path) == Erasures(("pseudonym-a",), ("00Q000000000001",))


def test_the_key_leaves_the_environment_when_the_code_loads(tmp_path):
    # What a run worker or `make run` does: load the code, start child processes (dbt,
    # Dagster's log tailers), then pseudonymise with the key.
    script = (
        "import subprocess, sys\n"
        "from pathlib import Path\n"
        "import orchestration.definitions\n"
        "from orchestration.ingest.privacy import email_pseudonym, pseudonym_key\n"
        "child = subprocess.run(['env'], capture_output=True, text=True).stdout\n"
        "print(sys.argv[1] in child)\n"
        "print(email_pseudonym('a@b.example', pseudonym_key(Path(sys.argv[2]))))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, SECRET, str(tmp_path)],
        cwd=PROJECT_ROOT,
        env={**os.environ, KEY_ENV: SECRET, "DAGSTER_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    in_child, pseudonym = run.stdout.split()
    assert in_child == "False"
    assert pseudonym == email_pseudonym("a@b.example", SECRET.encode())
    assert not (tmp_path / ".pseudonym.key").exists()


def test_pseudonymising_a_large_export_stays_within_the_memory_limit(tmp_path):
    from orchestration.ingest.exports import EXPORTS
    from orchestration.ingest.personal_data import protected
    from orchestration.ingest.privacy import PrivacyRules

    activities = next(spec for spec in EXPORTS if spec.relative_path.endswith("activities.csv"))
    # ~200 MB of activity text under a 100 MB limit: the rows are written as they are
    # read and pseudonymised, through disk, never held or updated in memory.
    rows, parameters = protected(
        "select 'f.csv' as _source_file, i::varchar as id, "
        """'{"Client IP Address": "10.0.' || (i % 250) || '.1", "Web Page": "/'"""
        " || repeat('p', 120) || '\"}' as attributes "
        "from range(1000000) t(i)",
        ["id", "attributes"],
        activities,
        PrivacyRules(key=b"k"),
    )
    with duckdb.connect(
        str(tmp_path / "build.duckdb"), config={"memory_limit": "100MB", "threads": 1}
    ) as connection:
        connection.execute(f"create temp table read_rows as {rows}", parameters)
        (plain, total) = connection.execute(
            "select count(*) filter (where attributes like '%\"10.0.%'), count(*) from read_rows"
        ).fetchone()
    assert (plain, total) == (0, 1_000_000)
