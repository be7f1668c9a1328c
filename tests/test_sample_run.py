"""One full nightly run on the shipped sample: it publishes, and every row is accounted for.

The expectations are computed here from the CSV files with Python's csv module,
independently of DuckDB's reader and of the dbt models.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.settings import DEFAULT_LANDING_DIR


def read_records(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (spreadsheet row number, fields) of every record."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [(index, fields) for index, fields in enumerate(reader, start=2)]


def parses_as_timestamp(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def bad_lead_rows(header: list[str], records: list[tuple[int, list[str]]]) -> set[int]:
    employees, created = header.index("NumberOfEmployees"), header.index("CreatedDate")

    def is_bad(fields: list[str]) -> bool:
        if len(fields) != len(header):
            return True
        bad_number = bool(fields[employees]) and not fields[employees].isdigit()
        return bad_number or not parses_as_timestamp(fields[created])

    return {row for row, fields in records if is_bad(fields)}


@pytest.fixture(scope="session")
def sample_leads():
    return read_records(DEFAULT_LANDING_DIR / "salesforce" / "Lead.csv")


def test_sample_publishes_with_no_definition_errors(sample_run):
    assert sample_run.failed_checks(dg.AssetCheckSeverity.ERROR) == set()
    assert sample_run.warehouse.paths.analytics_database.is_file()


def test_every_lead_row_is_published_quarantined_or_deleted(sample_run, sample_leads):
    header, records = sample_leads
    bad = bad_lead_rows(header, records)
    deleted = {
        row
        for row, fields in records
        if row not in bad and fields[header.index("IsDeleted")] == "true"
    }
    with duckdb.connect(str(sample_run.warehouse.paths.build_database), read_only=True) as con:
        quarantined = {
            row
            for (row,) in con.execute(
                "select file_row from raw_quarantine.rejected_rows where table_name = 'lead'"
            ).fetchall()
        }
    (published,) = sample_run.query("select count(*) from lead_funnel")[0]
    assert bad and deleted
    assert quarantined == bad
    assert published == len(records) - len(bad) - len(deleted)


def test_monthly_kpis_add_up_to_the_funnel(sample_run):
    (leads, ready, converted_ready) = sample_run.query(
        "select count(*), count(*) filter (where meets_definition), "
        "count(*) filter (where meets_definition and is_converted) from lead_funnel"
    )[0]
    totals = sample_run.query(
        "select sum(leads_created), sum(sales_ready_leads), sum(sales_ready_leads_converted), "
        "count(distinct definition_version) from shared_kpis_monthly"
    )[0]
    assert totals == (leads, ready, converted_ready, 1)
    months = [m for (m,) in sample_run.query("select month from shared_kpis_monthly order by 1")]
    assert months[0] == dt.date(2025, 11, 1) and len(months) == len(set(months))


def test_marketing_pipeline_matches_the_opportunity_pipeline(sample_run):
    by_month = sample_run.query("select sum(marketing_pipeline_eur) from shared_kpis_monthly")[0][0]
    direct = sample_run.query(
        "select sum(amount_eur) from opportunity_pipeline where is_marketing_sourced"
    )[0][0]
    assert by_month == direct and direct > 0
