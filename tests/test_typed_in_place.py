"""A full load of files too large for memory types the rows it read in place, where a
smaller one copies them into a new table: both give the same raw table, and where a
mapped field must be filled the large load copies too.

Each file holds what the copy handles one way or another: two versions of a record
(across files and within one), a row to quarantine, an empty value, a European amount,
an absent optional column and a column outside the contract.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.ingest import csv_loader
from orchestration.ingest.csv_loader import load_export
from orchestration.ingest.csv_reading import ScratchSpace
from orchestration.ingest.exports import EXPORTS, OrgFields
from orchestration.ingest.privacy import PrivacyRules
from orchestration.ingest.raw_columns import type_read_rows_in_place

PRIVACY = PrivacyRules(key=b"test-key")
SPECS = {spec.table: spec for spec in EXPORTS}
OPPORTUNITY_HEADER = (
    "Id,Name,Amount,StageName,CloseDate,IsClosed,IsWon,OwnerId,CreatedDate,SystemModstamp,"
    "Forecast__c\n"
)
FIRST_FILE = (
    OPPORTUNITY_HEADER + "006A,Acme,1000,Prospecting,2026-04-01,false,false,005A,"
    "2026-03-01T08:00:00.000Z,2026-03-01T08:00:00.000Z,Pipeline\n"
    + "006B,,500,Closed Won,2026-03-20,true,true,005A,"
    "2026-03-02T08:00:00.000Z,2026-03-02T08:00:00.000Z,\n"
    # A version of 006B with an older stamp, later in the file: the stamp wins.
     + "006B,Beta old,400,Prospecting,2026-03-20,false,false,005A,"
    "2026-03-02T08:00:00.000Z,2026-03-01T08:00:00.000Z,\n"
    # Neither true nor false: quarantined.
     + "006C,Gamma,300,Prospecting,2026-05-01,maybe,false,005B,"
    "2026-03-03T08:00:00.000Z,2026-03-03T08:00:00.000Z,Best Case\n"
)
SECOND_FILE = (
    OPPORTUNITY_HEADER + "006A,Acme,2000,Negotiation,2026-04-15,false,false,005A,"
    "2026-03-01T08:00:00.000Z,2026-03-05T08:00:00.000Z,Commit\n"
    + '006D,Delta,"1.234,56",Prospecting,2026-06-01,false,false,005B,'
    "2026-03-04T08:00:00.000Z,2026-03-04T08:00:00.000Z,Omitted\n"
)


def scratch_at(monkeypatch: pytest.MonkeyPatch, in_memory: bool) -> list[str]:
    """Put the load's scratch tables in memory or in the database; returns the list of
    raw tables typed in place, which the loads fill."""
    monkeypatch.setattr(
        csv_loader,
        "scratch_space",
        lambda connection, files, schema: ScratchSpace(in_memory=in_memory, schema=schema),
    )
    typed_in_place = []

    def spy(connection, read_rows, read, columns, loaded_at, spec):
        typed_in_place.append(spec.table)
        type_read_rows_in_place(connection, read_rows, read, columns, loaded_at, spec)

    monkeypatch.setattr(csv_loader, "type_read_rows_in_place", spy)
    return typed_in_place


def load_opportunities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_memory: bool
) -> duckdb.DuckDBPyConnection:
    typed_in_place = scratch_at(monkeypatch, in_memory)
    files = [tmp_path / "Opportunity.csv", tmp_path / "Opportunity_2.csv"]
    files[0].write_text(FIRST_FILE, encoding="utf-8")
    files[1].write_text(SECOND_FILE, encoding="utf-8")
    connection = duckdb.connect(str(tmp_path / f"build-{in_memory}.duckdb"))
    result = load_export(connection, SPECS["opportunity"], files, OrgFields(), PRIVACY)
    # 6 rows read: 006C quarantined, the first 006A and the older 006B superseded.
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (6, 3, 1)
    assert result.rows_superseded == 2
    assert result.reconciles
    assert typed_in_place == ([] if in_memory else ["opportunity"])
    return connection


def raw_table(connection: duckdb.DuckDBPyConnection) -> tuple[list, list]:
    """The raw opportunity table's columns with their types, and its rows, by name."""
    columns = connection.execute(
        """
        select column_name, data_type from information_schema.columns
        where table_schema = 'salesforce' and table_name = 'opportunity'
        order by column_name
        """
    ).fetchall()
    names = ", ".join(f'"{name}"' for name, _ in columns if name != "_loaded_at")
    rows = connection.execute(f"select {names} from salesforce.opportunity order by all").fetchall()
    return columns, rows


def test_typing_in_place_gives_the_table_a_copy_gives(tmp_path, monkeypatch):
    copied = raw_table(load_opportunities(tmp_path, monkeypatch, in_memory=True))
    in_place_connection = load_opportunities(tmp_path, monkeypatch, in_memory=False)
    assert raw_table(in_place_connection) == copied
    columns, rows = copied
    assert ("Amount", "DECIMAL(18,2)") in columns
    assert ("Forecast__c", "VARCHAR") in columns
    assert ("IsDeleted", "BOOLEAN") in columns
    names = [name for name, _ in columns if name != "_loaded_at"]
    by_id = {row[names.index("Id")]: dict(zip(names, row, strict=True)) for row in rows}
    assert sorted(by_id) == ["006A", "006B", "006D"]
    assert str(by_id["006A"]["Amount"]) == "2000.00"
    assert by_id["006A"]["Forecast__c"] == "Commit"
    assert by_id["006B"]["Name"] is None and by_id["006B"]["StageName"] == "Closed Won"
    assert str(by_id["006D"]["Amount"]) == "1234.56"
    assert by_id["006D"]["IsDeleted"] is None
    # Typed in place: no scratch table left, no bookkeeping column kept, one load time.
    tables = in_place_connection.execute(
        "select schema_name, table_name from duckdb_tables() where schema_name = 'salesforce'"
    ).fetchall()
    assert tables == [("salesforce", "opportunity")]
    assert not {"_file_row", "_is_short", "_is_long"} & set(names)
    (load_times,) = in_place_connection.execute(
        "select count(distinct _loaded_at) from salesforce.opportunity"
    ).fetchone()
    assert load_times == 1


@pytest.mark.parametrize("in_memory", [True, False])
def test_a_mapped_field_the_org_fills_is_copied_even_from_the_database(
    tmp_path, monkeypatch, in_memory
):
    typed_in_place = scratch_at(monkeypatch, in_memory)
    path = tmp_path / "User.csv"
    path.write_text(
        "Id,Name,Department,IsActive,CreatedDate,SystemModstamp\n"
        "005A,Ann,Sales,true,2026-03-01T08:00:00.000Z,2026-03-01T08:00:00.000Z\n"
        "005B,Bob,,false,2026-03-01T08:00:00.000Z,2026-03-01T08:00:00.000Z\n",
        encoding="utf-8",
    )
    connection = duckdb.connect(str(tmp_path / "build.duckdb"))
    fields = OrgFields(aliases={"team_attribute": "Department"})
    load_export(connection, SPECS["user"], [path], fields, PRIVACY)
    assert typed_in_place == []
    assert connection.execute(
        "select Id, team_attribute, Department, IsActive from salesforce.user order by Id"
    ).fetchall() == [("005A", "Sales", "Sales", True), ("005B", None, None, False)]
