"""The shipped HubSpot portal: what the generator makes, and every line of it loads."""

from __future__ import annotations

import subprocess
import sys

import duckdb

from orchestration.agreements.documents import load_source_mapping
from orchestration.ingest.assets import org_fields
from orchestration.ingest.csv_loader import load_export
from orchestration.ingest.csv_reading import export_files
from orchestration.ingest.exports import EXPORTS
from orchestration.ingest.privacy import PrivacyRules
from orchestration.ingest.quarantine import QUARANTINE_TABLE
from orchestration.settings import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "seeds" / "sample_hubspot"
GENERATOR = PROJECT_ROOT / "seeds" / "generate_hubspot.py"


def test_the_shipped_portal_is_what_the_generator_makes(tmp_path):
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)], check=True, capture_output=True
    )
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.glob("hubspot/**/*.jsonl"))
    shipped = sorted(p.relative_to(SAMPLE) for p in SAMPLE.glob("hubspot/**/*.jsonl"))
    assert made == shipped and len(made) == 16
    for relative in made:
        assert (tmp_path / relative).read_bytes() == (SAMPLE / relative).read_bytes(), relative


def test_every_line_of_the_shipped_portal_is_accounted_for():
    mapping = load_source_mapping(SAMPLE / "source_mapping.yml")
    connection = duckdb.connect()
    results = {}
    for spec in (spec for spec in EXPORTS if spec.source == "hubspot"):
        files = export_files(SAMPLE, spec)
        assert files, spec.relative_path
        results[spec.table] = load_export(
            connection, spec, files, org_fields(spec, mapping), PrivacyRules(key=b"k")
        )
    assert all(result.reconciles for result in results.values())
    contacts = results["contacts"]
    # The later extract's ten versions each meet one in contacts.jsonl.
    assert (contacts.rows_quarantined, contacts.rows_superseded) == (3, 10)
    rows = connection.execute(
        f"select table_name, file_row, error_type from {QUARANTINE_TABLE} order by 1, 2"
    ).fetchall()
    assert rows == [
        ("calls", 173, "NOT JSON"),
        ("contacts", 42, "NOT JSON"),
        ("contacts", 83, "MISSING KEY"),
        ("contacts", 124, "CAST"),
    ]
    archived = connection.execute(
        "select count(*) filter (where archived), count(distinct deal_currency_code) "
        "from hubspot.deals"
    ).fetchone()
    assert archived == (1, 3)
    (archived_contacts,) = connection.execute(
        "select count(*) from hubspot.contacts where archived"
    ).fetchone()
    assert archived_contacts == 1
