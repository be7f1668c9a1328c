"""Loading export files: typed columns, extra columns kept, bad rows quarantined."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from orchestration.ingest.csv_loader import QUARANTINE_TABLE, ExportFileError, load_export
from orchestration.ingest.exports import EXPORTS, ExportSpec

USER = next(spec for spec in EXPORTS if spec.table == "user")
HEADER = "Id,FirstName,LastName,IsActive,CreatedDate,SystemModstamp,Department,Nickname\n"
GOOD = "005A,Ann,Lee,true,2026-03-02T08:15:00.000Z,2026-03-02T08:15:00.000Z,Sales,annie\n"


def write(tmp_path: Path, text: str, name: str = "User.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def load(path: Path, spec: ExportSpec = USER, **custom: str):
    connection = duckdb.connect()
    result = load_export(connection, spec, path, custom or {"team_attribute": "Department"})
    return connection, result


def test_typed_columns_extra_columns_and_custom_field_alias(tmp_path):
    connection, result = load(write(tmp_path, HEADER + GOOD))
    row = connection.execute(
        "select Id, IsActive, CreatedDate, Nickname, team_attribute from salesforce.user"
    ).fetchone()
    assert (result.rows_loaded, result.rows_quarantined) == (1, 0)
    assert row[0] == "005A" and row[1] is True
    assert row[2].isoformat().startswith("2026-03-02T08:15:00")
    assert row[3:] == ("annie", "Sales")


def test_bad_rows_are_quarantined_with_file_row_and_column(tmp_path):
    text = (
        HEADER
        + GOOD
        + '005B,Bob,"Mc\nKay",maybe,2026-03-02T08:15:00.000Z,2026-03-02T08:15:00.000Z,Sales,b\n'
        + "005C,Cy,Oh,false,2026-02-30T08:00:00.000Z,2026-03-02T08:15:00.000Z,Sales,c\n"
        + "005D,Di,Ng,false,2026-03-02T08:15:00.000Z,2026-03-02T08:15:00.000Z,Sales,d,extra\n"
        + ",No,Key,true,2026-03-02T08:15:00.000Z,2026-03-02T08:15:00.000Z,Sales,e\n"
    )
    path = write(tmp_path, text)
    connection, result = load(path)
    rows = connection.execute(
        f"select source_file, file_row, column_name, error_type from {QUARANTINE_TABLE} "
        "order by file_row nulls last"
    ).fetchall()
    # Rows as a spreadsheet numbers them: Bob's quoted two-line name is one row.
    assert rows == [
        (str(path), 3, "IsActive", "CAST"),
        (str(path), 4, "CreatedDate", "CAST"),
        (str(path), 5, None, "TOO MANY COLUMNS"),
        (str(path), None, "Id", "MISSING KEY"),
    ]
    assert (result.rows_loaded, result.rows_quarantined) == (1, 4)


def test_every_row_in_the_file_is_loaded_or_quarantined(tmp_path):
    text = HEADER + GOOD * 3 + "005X,X,Y,perhaps,,,Sales,z\n" + GOOD.replace("005A", "005E")
    path = write(tmp_path, text)
    with path.open(newline="") as handle:
        records_in_file = sum(1 for _ in csv.reader(handle)) - 1
    _, result = load(path)
    assert result.rows_loaded + result.rows_quarantined == records_in_file == 5


def test_loading_again_replaces_rather_than_appends(tmp_path):
    path = write(tmp_path, HEADER + GOOD + "005B,B,C,maybe,,,Sales,x\n")
    connection = duckdb.connect()
    for _ in range(2):
        result = load_export(connection, USER, path, {"team_attribute": "Department"})
    counts = connection.execute(
        f"select (select count(*) from salesforce.user), (select count(*) from {QUARANTINE_TABLE})"
    ).fetchone()
    assert counts == (1, 1) == (result.rows_loaded, result.rows_quarantined)


def test_missing_required_column_names_file_and_column(tmp_path):
    path = write(tmp_path, HEADER.replace("IsActive,", "") + GOOD.replace("true,", ""))
    with pytest.raises(
        ExportFileError, match=r"User\.csv: required column\(s\) 'IsActive' missing"
    ):
        load(path)


def test_missing_custom_field_column_is_named(tmp_path):
    path = write(tmp_path, HEADER + GOOD)
    with pytest.raises(ExportFileError, match="'Team__c' missing"):
        load(path, team_attribute="Team__c")


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ExportFileError, match=r"User\.csv: export file not found"):
        load(tmp_path / "User.csv")


def test_utf8_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    _, result = load(write(tmp_path, HEADER + GOOD, encoding="utf-8-sig"))
    assert result.columns[0] == "Id" and result.rows_loaded == 1


def test_marketo_activity_export_keeps_json_attributes(tmp_path):
    spec = next(spec for spec in EXPORTS if spec.table == "activities")
    path = write(
        tmp_path,
        "marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,"
        "primaryAttributeValue,attributes\n"
        'g-1,7,2026-03-02T08:15:00Z,104,9,3,Webinar - Q1,"{""New Status"": ""Attended""}"\n',
        name="activities.csv",
    )
    connection = duckdb.connect()
    load_export(connection, spec, path)
    assert connection.execute(
        "select leadId, attributes->>'New Status' from marketo.activities"
    ).fetchone() == (7, "Attended")
