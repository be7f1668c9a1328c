"""Broken exports found by fault trials: nothing lost, nothing leaked.

Each test builds the broken file by hand and derives what the loader must report from
the file's own lines, not from the loader.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from orchestration.ingest import csv_loader
from orchestration.ingest.bookkeeping import LoadResult
from orchestration.ingest.csv_loader import load_export
from orchestration.ingest.csv_reading import ExportFileError, ScratchSpace, scratch_space
from orchestration.ingest.exports import EXPORTS, OrgFields
from orchestration.ingest.load_checks import shrink_problem, volume_guard
from orchestration.ingest.load_errors import safe_description
from orchestration.ingest.privacy import PrivacyRules
from orchestration.ingest.quarantine import QUARANTINE_TABLE

PRIVACY = PrivacyRules(key=b"test-key")
SPECS = {spec.table: spec for spec in EXPORTS}
LEAD = SPECS["lead"]
LEAD_FIELDS = OrgFields(aliases={"disqualification_reason": "Disqualified_Reason__c"})
LEAD_HEADER = (
    "Id,Email,Phone,Company,Title,NumberOfEmployees,LeadSource,Status,OwnerId,IsConverted,"
    "ConvertedOpportunityId,CreatedDate,Disqualified_Reason__c\n"
)
STAMP = "2026-03-02T08:15:00.000Z"


def lead(lead_id: str, company: str = "Acme", email: str = "a@example.com") -> str:
    return f"{lead_id},{email},+31 20 1234567,{company},CEO,10,Web,Open,005A,false,,{STAMP},\n"


def write(tmp_path: Path, text: str, name: str = "Lead.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load_leads(path: Path, connection=None) -> tuple[duckdb.DuckDBPyConnection, LoadResult]:
    connection = connection or duckdb.connect()
    return connection, load_export(connection, LEAD, [path], LEAD_FIELDS, PRIVACY)


def test_a_quote_that_swallows_lines_fails_the_reconciliation_and_names_the_line(tmp_path):
    # Line 4 opens a quote in Company that only the quote on line 9 closes: the parser
    # sees one record where the file holds six (lines 4 to 9), so five records vanish.
    rows = [lead(f"00Q{n}") for n in range(1, 11)]
    rows[2] = lead("00Q3", company='"Acme')
    rows[7] = lead("00Q8", company='Acme"')
    path = write(tmp_path, LEAD_HEADER + "".join(rows))
    _, result = load_leads(path)
    assert result.rows_read == 10
    assert not result.reconciles
    assert result.problems == (
        f"{path} line 4: a quoted field starting in this record runs over 6 lines holding "
        "records of their own, which were not read (an unterminated quote?)",
    )


def test_quoted_line_breaks_in_text_are_not_mistaken_for_swallowed_records(tmp_path):
    rows = [lead("00Q1"), lead("00Q2", company='"Acme\nBuilding 2, floor 3"'), lead("00Q3")]
    _, result = load_leads(write(tmp_path, LEAD_HEADER + "".join(rows)))
    assert (result.rows_read, result.rows_loaded, result.problems) == (3, 3, ())
    assert result.reconciles


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_exports_are_read(tmp_path, encoding):
    text = LEAD_HEADER + lead("00Q1", company="Zürich AG") + lead("00Q2")
    connection, result = load_leads(write(tmp_path, text, encoding=encoding))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    assert connection.execute("select Company from salesforce.lead order by Id").fetchall() == [
        ("Zürich AG",),
        ("Acme",),
    ]


def test_a_quarantined_row_keeps_its_shape_not_its_personal_data(tmp_path):
    # One extra field shifts every value after Email one column to the right: the
    # phone number lands in Company, the company in Title.
    shifted = "00Q2,bob@example.com,,+31 6 9876 5432,Bravo Ltd,CEO,10,Web,Open,005A,false,,x,y\n"
    connection, result = load_leads(write(tmp_path, LEAD_HEADER + lead("00Q1") + shifted))
    # The row breaks more than one rule (the shifted values do not cast either).
    records = dict(
        connection.execute(f"select error_type, raw_record from {QUARANTINE_TABLE}").fetchall()
    )
    assert "TOO MANY FIELDS" in records and result.rows_quarantined == 1
    raw_record = records["TOO MANY FIELDS"]
    record = json.loads(raw_record)
    assert record["Id"] == "00Q2"
    assert record["Company"] == "+99 9 9999 9999"
    assert record["Title"] == "Xxxxx Xxx"
    assert "bob" not in raw_record and "9876" not in raw_record and "Bravo" not in raw_record


def test_usernames_and_ip_addresses_are_stored_as_pseudonyms(tmp_path):
    users = write(
        tmp_path,
        "Id,Username,Name,Department\n005A,ann.lee@corp.example,Ann Lee,Sales\n",
        name="User.csv",
    )
    connection = duckdb.connect()
    load_export(
        connection,
        SPECS["user"],
        [users],
        OrgFields(aliases={"team_attribute": "Department"}),
        PRIVACY,
    )
    (username,) = connection.execute("select Username from salesforce.user").fetchone()
    assert "corp" not in username and len(username) == 32
    activities = write(
        tmp_path,
        "marketoGUID,leadId,activityDate,activityTypeId,primaryAttributeValue,attributes\n"
        'g-1,7,2026-03-02T08:15:00Z,1,/pricing,"{""Client IP Address"": ""203.0.113.9"", '
        '""Query Parameters"": ""a=1""}"\n'
        "g-2,7,2026-03-02T08:16:00Z,1,/pricing,not json\n",
        name="activities.csv",
    )
    load_export(connection, SPECS["activities"], [activities], OrgFields(), PRIVACY)
    rows = connection.execute(
        "select attributes from marketo.activities order by marketoGUID"
    ).fetchall()
    attributes = json.loads(rows[0][0])
    assert attributes["Query Parameters"] == "a=1"
    assert "203.0.113" not in rows[0][0] and len(attributes["Client IP Address"]) == 32
    assert rows[1] == ("not json",)


def test_two_versions_with_the_same_stamp_are_counted(tmp_path):
    header = "Id,Name,Department,SystemModstamp\n"
    path = write(
        tmp_path,
        header
        + f"005A,Ann,Sales,{STAMP}\n"
        + f"005A,Anne,Sales,{STAMP}\n"
        + f"005B,Bob,Sales,{STAMP}\n"
        + f"005B,Bob,Sales,{STAMP}\n"
        + "005C,Cy,Sales,2026-03-01T08:00:00.000Z\n"
        + f"005C,Cyd,Sales,{STAMP}\n"
        + f"005D,Di,Sales,{STAMP}\n",
        name="User.csv",
    )
    connection = duckdb.connect()
    result = load_export(
        connection,
        SPECS["user"],
        [path],
        OrgFields(aliases={"team_attribute": "Department"}),
        PRIVACY,
    )
    # 005A: same stamp, different names: a conflict, the later row (Anne) wins. 005B:
    # an identical duplicate. 005C: the newer stamp wins, no conflict. 005D: read once.
    assert result.conflicting_versions == 1
    assert connection.execute("select Name from salesforce.user order by Id").fetchall() == [
        ("Anne",),
        ("Bob",),
        ("Cyd",),
        ("Di",),
    ]


def test_a_csv_error_is_described_without_quoting_the_file(tmp_path):
    path = write(tmp_path, 'Id,Name\n1,"never closed, Ann Lee\n2,Bob\n', name="User.csv")
    connection = duckdb.connect()
    with pytest.raises(duckdb.Error) as failure:
        connection.execute(
            "select * from read_csv(?, strict_mode = true, header = true, auto_detect = false, "
            "columns = {'Id': 'VARCHAR', 'Name': 'VARCHAR'})",
            [str(path)],
        ).fetchall()
    assert "Ann Lee" in str(failure.value)  # what DuckDB says quotes the file
    assert safe_description(connection, failure.value) == (
        "the CSV reader stopped at line 2: Value with unterminated quote found."
    )
    with pytest.raises(duckdb.Error) as conversion:
        connection.execute("select cast('ann@example.com' as integer)").fetchall()
    assert safe_description(connection, conversion.value) == (
        "Conversion Error: Could not convert string … to INT32"
    )


class FullDisk:
    """A connection whose disk fills up when the raw table is written."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self.connection = connection

    def execute(self, sql: str, *args):
        if sql.split()[:5] == ["create", "or", "replace", "table", '"salesforce"."lead"']:
            # What DuckDB raises, and how it ends the transaction, when a write fails.
            self.connection.execute("rollback")
            raise duckdb.IOException(
                'Could not write file "build.duckdb.wal": No space left on device'
            )
        return self.connection.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self.connection, name)


def test_a_full_disk_is_named_as_such_not_as_a_failed_rollback(tmp_path):
    database = tmp_path / "build.duckdb"
    with duckdb.connect(str(database)) as connection:
        path = write(tmp_path, LEAD_HEADER + lead("00Q1"))
        with pytest.raises(ExportFileError) as failure:
            load_export(FullDisk(connection), LEAD, [path], LEAD_FIELDS, PRIVACY)
    message = str(failure.value)
    assert f"could not be loaded: no space left on device in {tmp_path} (" in message
    assert "rollback" not in message


def scratch_tables(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """Every table but the raw layer's bookkeeping and quarantine."""
    return connection.execute(
        """
        select database_name, schema_name, table_name from duckdb_tables()
        where schema_name <> 'raw_quarantine' order by all
        """
    ).fetchall()


@pytest.mark.parametrize(("scratch", "schema"), [("temp", "main"), ("build", "salesforce")])
def test_the_rows_a_failed_load_read_are_dropped_by_the_next_load(
    tmp_path, monkeypatch, scratch, schema
):
    # Small files are read into temp tables; files too large for memory into the build
    # database itself, in the raw table's schema, as files this size would be under a
    # memory limit of a few kB.
    if scratch == "build":
        monkeypatch.setattr(
            csv_loader,
            "scratch_space",
            lambda connection, files, schema: ScratchSpace(in_memory=False, schema=schema),
        )
    database = tmp_path / "build.duckdb"
    first = write(tmp_path, LEAD_HEADER + lead("00Q1") + lead("00Q2"), "Lead.csv")
    later = write(tmp_path, LEAD_HEADER + lead("00Q3"), "Lead_2.csv")
    with duckdb.connect(str(database)) as connection:
        with pytest.raises(ExportFileError):
            load_export(FullDisk(connection), LEAD, [first, later], LEAD_FIELDS, PRIVACY)
        # The two files' rows, stacked into the larger file's table.
        assert scratch_tables(connection) == [(scratch, schema, "read_rows")]
        # A table of the org's own in the same schema is not the loader's to drop.
        connection.execute(f"create table build.{schema}.file_rows_notes as select 1 as note")
        result = load_export(connection, LEAD, [first, later], LEAD_FIELDS, PRIVACY)
        assert (result.rows_read, result.rows_loaded) == (3, 3)
        assert scratch_tables(connection) == [
            ("build", schema, "file_rows_notes"),
            ("build", "salesforce", "lead"),
        ]


@pytest.mark.parametrize(("file_bytes", "in_memory"), [(970_000, True), (990_000, False)])
def test_files_larger_than_a_third_of_the_memory_limit_are_read_into_the_database(
    tmp_path, file_bytes, in_memory
):
    connection = duckdb.connect(config={"memory_limit": "3MB"})
    # Shown as "2.8 MiB": 2.8 * 2**20 / 3 = 978,670 bytes, between the two sizes, each
    # in two files.
    (limit,) = connection.execute("select current_setting('memory_limit')").fetchone()
    assert limit == "2.8 MiB"
    parts = [tmp_path / "Lead.csv", tmp_path / "Lead_2.csv"]
    parts[0].write_bytes(b"x" * (file_bytes - 500_000))
    parts[1].write_bytes(b"x" * 500_000)
    assert scratch_space(connection, parts) == ScratchSpace(in_memory)


@pytest.mark.parametrize(
    ("accepted", "loaded", "problem"),
    [
        (None, 0, None),
        (1000, 800, None),
        (
            1000,
            799,
            "799 rows loaded, 1000 in the last accepted load: 20% fewer, more than the agreed 20%",
        ),
        (
            2975,
            0,
            "0 rows loaded, 2975 in the last accepted load: 100% fewer, more than the agreed 20%",
        ),
        (1000, 5000, None),
    ],
)
def test_shrink_beyond_the_tolerance_is_a_problem(accepted, loaded, problem):
    assert shrink_problem(accepted, loaded, 0.2) == problem


def volume_check(connection, result: LoadResult, expected: bool):
    return volume_guard(connection, LEAD, result, 0.2, expected)


def test_the_volume_guard_keeps_the_last_accepted_load_until_a_shrink_is_expected(tmp_path):
    full = write(tmp_path, LEAD_HEADER + "".join(lead(f"00Q{n}") for n in range(10)))
    connection, result = load_leads(full)
    assert volume_check(connection, result, expected=False).passed
    header_only = write(tmp_path, LEAD_HEADER, name="Lead-empty.csv")
    _, shrunk = load_leads(header_only, connection)
    assert shrunk.rows_loaded == 0
    assert not volume_check(connection, shrunk, expected=False).passed
    # The next night still compares with the 10 rows, not with the shrunk table.
    assert not volume_check(connection, shrunk, expected=False).passed
    assert volume_check(connection, shrunk, expected=True).passed
    assert volume_check(connection, shrunk, expected=False).passed
