"""The published BI file as BI tools see it: readable by older DuckDB drivers, and
every column carries its description."""

from __future__ import annotations

import subprocess

import duckdb

from orchestration.dbt.assets import mart_asset_keys
from orchestration.settings import PROJECT_ROOT

# Made by `make test` (the Makefile's OLD_DUCKDB target): DuckDB 1.1, the oldest
# client the README promises can open the file.
OLD_DUCKDB_PYTHON = PROJECT_ROOT / ".venv-duckdb-1.1" / "bin" / "python"

READ_WITH_OLD_CLIENT = """
import sys, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
print(duckdb.__version__)
print(connection.execute(
    "select count(*), sum(sales_ready_leads), sum(marketing_pipeline_eur)::varchar "
    "from shared_kpis_monthly"
).fetchone())
print(connection.execute(
    "select count(*) from duckdb_columns() where comment is not null"
).fetchone()[0])
"""


def test_duckdb_1_1_opens_the_published_file(fixture_run):
    published = fixture_run.warehouse.paths.analytics_database
    run = subprocess.run(
        [str(OLD_DUCKDB_PYTHON), "-c", READ_WITH_OLD_CLIENT, str(published)],
        capture_output=True,
        text=True,
        check=True,
    )
    version, kpis, commented = run.stdout.splitlines()
    assert version == "1.1.3"
    # Three months, 2 + 2 + 0 sales-ready leads, EUR 20,000 + 15,000 + 0 of marketing
    # pipeline (tests/test_kpis_on_fixture.py derives them).
    assert kpis == "(3, 4, '35000.00')"
    assert int(commented) > 0


def test_every_published_column_has_its_description(fixture_run):
    marts = sorted(key.path[-1] for key in mart_asset_keys())
    with duckdb.connect(str(fixture_run.warehouse.paths.analytics_database), read_only=True) as c:
        undocumented = c.execute(
            "select table_name, column_name from duckdb_columns() "
            "where database_name = current_database() and coalesce(comment, '') = '' "
            "order by 1, 2"
        ).fetchall()
        tables = c.execute(
            "select table_name, comment from duckdb_tables() "
            "where database_name = current_database() order by 1"
        ).fetchall()
        (lead_id_comment,) = c.execute(
            "select comment from duckdb_columns() "
            "where table_name = 'lead_funnel' and column_name = 'lead_id'"
        ).fetchone()
    assert undocumented == []
    assert [name for name, _ in tables] == marts
    assert all(comment for _, comment in tables)
    assert lead_id_comment == (
        "The lead's id in its CRM (a Salesforce Lead Id or a HubSpot contact id)."
    )
