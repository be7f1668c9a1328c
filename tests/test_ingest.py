"""Loading export files: typed columns, extra columns kept, every row accounted for."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration.ingest.csv_loader import load_export
from orchestration.ingest.csv_reading import (
    ExportFileError,
    count_lines,
    export_files,
    text_encoding,
)
from orchestration.ingest.exports import EXPORTS, ExportSpec, OrgFields
from orchestration.ingest.privacy import PrivacyRules
from orchestration.ingest.quarantine import QUARANTINE_TABLE

PRIVACY = PrivacyRules(key=b"test-key")

USER = next(spec for spec in EXPORTS if spec.table == "user")
OPPORTUNITY = next(spec for spec in EXPORTS if spec.table == "opportunity")
HEADER = "Id,FirstName,LastName,IsActive,CreatedDate,SystemModstamp,Department,Nickname\n"
GOOD = "005A,Ann,Lee,true,2026-03-02T08:15:00.000Z,2026-03-02T08:15:00.000Z,Sales,annie\n"
TEAM = OrgFields(aliases={"team_attribute": "Department"})


def write(tmp_path: Path, text: str, name: str = "User.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def load(paths: Path | list[Path], spec: ExportSpec = USER, custom=TEAM, connection=None):
    connection = connection or duckdb.connect()
    files = paths if isinstance(paths, list) else [paths]
    return connection, load_export(connection, spec, files, custom, PRIVACY)


def quarantine(connection) -> list[tuple]:
    return connection.execute(
        f"select file_row, column_name, error_type from {QUARANTINE_TABLE} order by 1, 2"
    ).fetchall()


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
        + "005F,Short,Row,true\n"
        + "005G,Gil,Twice,perhaps,2026-13-01T08:00:00.000Z,2026-03-02T08:15:00.000Z,Sales,g\n"
    )
    path = write(tmp_path, text)
    connection, result = load(path)
    # Rows as a spreadsheet numbers them: Bob's quoted two-line name is one row. Gil's
    # row breaks two rules: one quarantine row each.
    assert quarantine(connection) == [
        (3, "IsActive", "CAST"),
        (4, "CreatedDate", "CAST"),
        (5, None, "TOO MANY FIELDS"),
        (6, "Id", "MISSING KEY"),
        (7, None, "TOO FEW FIELDS"),
        (8, "CreatedDate", "CAST"),
        (8, "IsActive", "CAST"),
    ]
    [(gil_record,)] = connection.execute(
        f"select distinct raw_record from {QUARANTINE_TABLE} where file_row = 8"
    ).fetchall()
    assert json.loads(gil_record)["Id"] == "005G"
    (reason, source_file) = connection.execute(
        f"select reason, source_file from {QUARANTINE_TABLE} where file_row = 3"
    ).fetchone()
    # The reason gives the value's shape, not the value: it may be personal data.
    assert reason == "value shaped 'xxxxx' is not a valid BOOLEAN" and source_file == str(path)
    assert (result.rows_loaded, result.rows_quarantined, result.rows_superseded) == (1, 6, 0)


def test_every_row_in_the_file_is_loaded_quarantined_or_superseded(tmp_path):
    newer = GOOD.replace("2026-03-02T08:15:00.000Z,Sales", "2026-03-05T08:15:00.000Z,Sales")
    text = (
        HEADER + GOOD + newer + GOOD + "005X,X,Y,perhaps,,,Sales,z\n" + GOOD.replace("005A", "005E")
    )
    path = write(tmp_path, text)
    with path.open(newline="") as handle:
        records_in_file = sum(1 for _ in csv.reader(handle)) - 1
    _, result = load(path)
    assert (result.rows_loaded, result.rows_quarantined, result.rows_superseded) == (2, 1, 2)
    assert result.rows_read == records_in_file == 5
    assert result.reconciles


def test_newer_export_upserts_by_id_using_system_modstamp(tmp_path):
    first = write(tmp_path, HEADER + GOOD, name="salesforce/User.csv")
    later = write(
        tmp_path,
        HEADER
        + GOOD.replace(",annie", ",ann-marie").replace(
            "2026-03-02T08:15:00.000Z,Sales", "2026-03-09T08:15:00.000Z,Sales"
        ),
        name="salesforce/User/2026-03-09.csv",
    )
    stale = write(
        tmp_path,
        HEADER
        + GOOD.replace(",annie", ",stale").replace(
            "2026-03-02T08:15:00.000Z,Sales", "2026-03-01T08:15:00.000Z,Sales"
        ),
        name="salesforce/User/2026-03-10.csv",
    )
    files = export_files(tmp_path, USER)
    assert files == [first, later, stale]
    connection, result = load(files)
    assert connection.execute("select Nickname from salesforce.user").fetchall() == [("ann-marie",)]
    assert (result.rows_read, result.rows_loaded, result.rows_superseded) == (3, 1, 2)


def test_loading_the_same_files_twice_changes_nothing(tmp_path):
    path = write(tmp_path, HEADER + GOOD + "005B,B,C,maybe,,,Sales,x\n")
    connection = duckdb.connect()
    snapshots = []
    for _ in range(2):
        load(path, connection=connection)
        snapshots.append(
            connection.execute(
                "select (select list(Id order by Id) from salesforce.user), "
                f"(select count(*) from {QUARANTINE_TABLE})"
            ).fetchone()
        )
    assert snapshots[0] == snapshots[1] == (["005A"], 1)


def test_windows_1252_semicolons_european_numbers_and_snake_case(tmp_path):
    text = (
        "id;account_id;name;amount;currency_iso_code;stage_name;close_date;is_closed;is_won;"
        "lead_source;campaign_id;owner_id;created_date;system_modstamp;is_deleted;extra_note\n"
        "006A;001A;Café Noir;€ 1.234,56;EUR;Closed Won;2026-03-01;true;true;Web;;005A;"
        "2026-02-01T10:00:00.000Z;2026-03-01T10:00:00.000Z;false;Überweisung\n"
        "006B;001A;Second;12.500;EUR;Prospecting;2026-04-01;false;false;Web;;005A;"
        "2026-02-01T10:00:00.000Z;2026-02-01T10:00:00.000Z;false;\n"
        "006C;001A;US style;1,234.50;USD;Prospecting;2026-04-01;false;false;Web;;005A;"
        "2026-02-01T10:00:00.000Z;2026-02-01T10:00:00.000Z;false;\n"
    )
    path = write(tmp_path, text, name="Opportunity.csv", encoding="cp1252")
    connection, result = load(path, spec=OPPORTUNITY, custom=OrgFields())
    rows = connection.execute(
        "select Id, Name, Amount, extra_note from salesforce.opportunity order by Id"
    ).fetchall()
    assert rows == [
        ("006A", "Café Noir", Decimal("1234.56"), "Überweisung"),
        ("006B", "Second", Decimal("12500.00"), None),
        ("006C", "US style", Decimal("1234.50"), None),
    ]
    assert result.rows_quarantined == 0


def test_windows_1252_found_only_in_the_last_row_or_only_in_the_header(tmp_path):
    # Files are read as UTF-8 first: these fail only where DuckDB or the header meets
    # the first byte UTF-8 cannot have, and must then be read whole as Windows-1252.
    rows = "".join(GOOD.replace("005A", f"005{n:05d}") for n in range(20_000))
    late = write(tmp_path, HEADER + rows + GOOD.replace("Ann", "Zoë"), encoding="cp1252")
    connection, result = load(late)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (20_001, 20_001, 0)
    names = "select FirstName, count(*) from salesforce.user group by 1 order by 1"
    assert connection.execute(names).fetchall() == [("Ann", 20_000), ("Zoë", 1)]

    header_only = write(tmp_path / "b", HEADER.replace("Nickname", "Größe") + GOOD, "User.csv")
    header_only.write_bytes(header_only.read_text().encode("cp1252"))
    connection, result = load(header_only)
    assert connection.execute("select Größe from salesforce.user").fetchall() == [("annie",)]


def test_latin_1_file_is_read(tmp_path):
    path = write(tmp_path, HEADER + GOOD.replace("Ann", "Anaïs"), encoding="latin-1")
    connection, _ = load(path)
    assert connection.execute("select FirstName from salesforce.user").fetchone() == ("Anaïs",)


# Files are scanned in chunks of 16 MiB; these put a character across the first border.
CHUNK = 1 << 24


def test_a_utf8_character_split_between_chunks_is_utf8_and_lines_are_counted(tmp_path):
    path = tmp_path / "split.csv"
    # "é" is two bytes: the first ends the first chunk, the second starts the next.
    path.write_bytes(b"Id\n" + b"x" * (CHUNK - 4) + "é".encode() + b"\nlast")
    assert text_encoding(path) == "utf-8-sig"
    assert count_lines(path) == 3


def test_plain_text_after_half_a_utf8_character_is_not_utf8(tmp_path):
    path = tmp_path / "cut.csv"
    # 0xC3 opens a two-byte character; the next chunk, plain ASCII, cannot finish it,
    # though the 0xA9 starting the chunk after would.
    path.write_bytes(b"Id\n" + b"x" * (CHUNK - 4) + b"\xc3" + b"y" * CHUNK + b"\xa9\n")
    assert text_encoding(path) == "cp1252"


def test_columns_reordered_or_added_are_fine(tmp_path):
    header = "Department,Nickname,SystemModstamp,CreatedDate,IsActive,LastName,FirstName,Id,New\n"
    row = "Sales,annie,2026-03-02T08:15:00.000Z,2026-03-02T08:15:00.000Z,true,Lee,Ann,005A,n\n"
    connection, result = load(write(tmp_path, header + row))
    assert connection.execute("select Id, FirstName, New from salesforce.user").fetchone() == (
        "005A",
        "Ann",
        "n",
    )
    assert result.rows_loaded == 1


def test_missing_required_column_names_file_and_column(tmp_path):
    header = "Id,Amount,CloseDate,IsClosed,IsWon\n"
    path = write(tmp_path, header + "006A,10,2026-03-01,false,false\n", name="Opportunity.csv")
    with pytest.raises(
        ExportFileError, match=r"Opportunity\.csv: required column\(s\) 'CreatedDate' missing"
    ):
        load(path, spec=OPPORTUNITY, custom=OrgFields())


def test_only_the_columns_that_matter_load_and_the_rest_read_as_null(tmp_path):
    # A minimal User export: the standard Name and the team attribute, nothing else.
    path = write(tmp_path, "Id,Name,Department\n005A,Ann Lee,Sales\n")
    connection, result = load(path)
    row = connection.execute(
        "select Id, Name, FirstName, LastName, IsActive, SystemModstamp, team_attribute "
        "from salesforce.user"
    ).fetchone()
    assert row == ("005A", "Ann Lee", None, None, None, None, "Sales")
    assert result.absent_columns == (
        "CreatedDate",
        "FirstName",
        "IsActive",
        "LastName",
        "SystemModstamp",
    )


def test_an_optional_export_the_org_does_not_have_loads_as_an_empty_table(tmp_path):
    history = next(spec for spec in EXPORTS if spec.table == "lead_history")
    assert export_files(tmp_path, history) == []
    connection, result = load([], spec=history, custom=OrgFields())
    columns = connection.execute(
        "select column_name, data_type from duckdb_columns() "
        "where schema_name = 'salesforce' and table_name = 'lead_history' "
        "and column_name in ('LeadId', 'CreatedDate', 'IsDeleted') order by 1"
    ).fetchall()
    assert columns == [
        ("CreatedDate", "TIMESTAMP WITH TIME ZONE"),
        ("IsDeleted", "BOOLEAN"),
        ("LeadId", "VARCHAR"),
    ]
    assert connection.execute("select count(*) from salesforce.lead_history").fetchone() == (0,)
    assert result.is_absent and result.reconciles


def test_a_required_export_that_is_missing_fails(tmp_path):
    with pytest.raises(ExportFileError, match=r"Lead\.csv: export file not found"):
        export_files(tmp_path, LEAD)


def test_lead_fields_the_signal_rules_read_are_kept_as_one_json_object(tmp_path):
    path = write(
        tmp_path,
        LEAD_HEADER.replace("\n", ",Rating,Demo_Requested__c\n")
        + lead_row("00QA", "a@example.com").replace("\n", ",Hot,true\n")
        + lead_row("00QB", "b@example.com").replace("\n", ",,false\n"),
        name="Lead.csv",
    )
    fields = OrgFields(signal_fields=("Demo_Requested__c", "Rating"))
    connection, result = load(path, spec=LEAD, custom=fields)
    rows = connection.execute(
        "select Id, crm_signal_fields::json->>'Rating', "
        "crm_signal_fields::json->>'Demo_Requested__c', disqualification_reason "
        "from salesforce.lead order by Id"
    ).fetchall()
    assert rows == [("00QA", "Hot", "true", None), ("00QB", None, "false", None)]
    # The reason field is not mapped: it reads as null, and the load says so.
    assert "disqualification_reason" in result.absent_columns


def test_a_column_the_signal_rules_read_must_be_exported(tmp_path):
    path = write(tmp_path, LEAD_HEADER + lead_row("00QA", "a@example.com"), name="Lead.csv")
    with pytest.raises(ExportFileError, match="'Rating' missing"):
        load(path, spec=LEAD, custom=OrgFields(signal_fields=("Rating",)))


def test_missing_custom_field_column_is_named(tmp_path):
    path = write(tmp_path, HEADER + GOOD)
    with pytest.raises(ExportFileError, match="'Team__c' missing"):
        load(path, custom=OrgFields(aliases={"team_attribute": "Team__c"}))


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ExportFileError, match=r"User\.csv: export file not found"):
        export_files(tmp_path, USER)


def test_utf8_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    connection, result = load(write(tmp_path, HEADER + GOOD, encoding="utf-8-sig"))
    assert connection.execute("select Id from salesforce.user").fetchone() == ("005A",)
    assert result.rows_loaded == 1


def test_marketo_activity_export_keeps_json_attributes(tmp_path):
    spec = next(spec for spec in EXPORTS if spec.table == "activities")
    path = write(
        tmp_path,
        "marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,"
        "primaryAttributeValue,attributes\n"
        'g-1,7,2026-03-02T08:15:00Z,104,9,3,Webinar - Q1,"{""New Status"": ""Attended""}"\n',
        name="activities.csv",
    )
    connection, _ = load(path, spec=spec, custom=OrgFields())
    assert connection.execute(
        "select leadId, attributes->>'New Status' from marketo.activities"
    ).fetchone() == (7, "Attended")


LEAD = next(spec for spec in EXPORTS if spec.table == "lead")
LEAD_HEADER = (
    "Id,Email,Phone,Company,Title,NumberOfEmployees,LeadSource,Status,OwnerId,IsConverted,"
    "ConvertedDate,ConvertedOpportunityId,ConvertedContactId,ConvertedAccountId,CreatedDate,"
    "SystemModstamp,IsDeleted,Disqualified_Reason__c\n"
)


def lead_row(lead_id: str, email: str, phone: str = "", employees: str = "10") -> str:
    return (
        f"{lead_id},{email},{phone},Acme,CEO,{employees},Web,Open - Not Contacted,005A,false,,,,,"
        "2026-03-02T08:15:00.000Z,2026-03-02T08:15:00.000Z,false,\n"
    )


def test_emails_and_phones_are_stored_as_keyed_pseudonyms_only(tmp_path):
    import hashlib
    import hmac

    path = write(
        tmp_path,
        LEAD_HEADER
        + lead_row("00QA", " Ann@Example.COM ", "+31 (20) 123-4567")
        + lead_row("00QB", "bob@example.com", employees="lots"),
        name="Lead.csv",
    )
    custom = OrgFields(aliases={"disqualification_reason": "Disqualified_Reason__c"})
    connection, _ = load(path, spec=LEAD, custom=custom)
    expected_email = hmac.new(b"test-key", b"ann@example.com", hashlib.sha256).hexdigest()[:32]
    expected_phone = hmac.new(b"test-key", b"+31201234567", hashlib.sha256).hexdigest()[:32]
    assert connection.execute("select Email, Phone from salesforce.lead").fetchall() == [
        (expected_email, expected_phone)
    ]
    (raw_record,) = connection.execute(f"select raw_record from {QUARANTINE_TABLE}").fetchone()
    assert "bob@example.com" not in raw_record and "00QB" in raw_record


@pytest.mark.parametrize(
    ("email", "normalised"),
    [
        ("ann@example.com", "ann@example.com"),
        (" Ann@Example.COM ", "ann@example.com"),
        ("\tAnn@Example.COM\r\n", "ann@example.com"),
        ("ÜMLAUT@Beispiel.de", "ümlaut@beispiel.de"),
    ],
)
@pytest.mark.parametrize("key", [b"test-key", b"k" * 64, b"a much longer key " * 8])
def test_email_pseudonym_is_hmac_sha256_of_the_normalised_address(email, normalised, key):
    import hashlib
    import hmac

    from orchestration.ingest.privacy import email_pseudonym

    expected = hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()[:32]
    assert email_pseudonym(email, key) == expected


def test_erased_person_is_dropped_and_counted(tmp_path):
    from orchestration.ingest.privacy import email_pseudonym

    path = write(
        tmp_path,
        LEAD_HEADER + lead_row("00QA", "ann@example.com") + lead_row("00QB", "bob@example.com"),
        name="Lead.csv",
    )
    privacy = PrivacyRules(
        key=b"test-key",
        erased_pseudonyms=frozenset({email_pseudonym("ANN@example.com", b"test-key")}),
    )
    connection = duckdb.connect()
    custom = OrgFields(aliases={"disqualification_reason": "Disqualified_Reason__c"})
    result = load_export(connection, LEAD, [path], custom, privacy)
    assert connection.execute("select Id from salesforce.lead").fetchall() == [("00QB",)]
    assert (result.rows_read, result.rows_loaded, result.rows_erased) == (2, 1, 1)
    assert result.reconciles


def snapshot(connection) -> list[tuple]:
    return connection.execute(
        "select Id, Nickname, SystemModstamp from salesforce.user order by Id"
    ).fetchall()


def test_incremental_load_reads_only_new_files_and_equals_a_full_refresh(tmp_path):
    base = write(
        tmp_path,
        HEADER + GOOD + GOOD.replace("005A", "005B") + "005Q,Q,Q,maybe,,,Sales,q\n",
        name="salesforce/User.csv",
    )
    connection = duckdb.connect()
    first = load_export(connection, USER, [base], TEAM, PRIVACY)
    newer_a = GOOD.replace(",annie", ",ann-2").replace(
        "2026-03-02T08:15:00.000Z,Sales", "2026-03-09T08:15:00.000Z,Sales"
    )
    older_b = (
        GOOD.replace("005A", "005B")
        .replace(",annie", ",stale")
        .replace("2026-03-02T08:15:00.000Z,Sales", "2026-03-01T08:15:00.000Z,Sales")
    )
    new_c = GOOD.replace("005A", "005C")
    delta = write(tmp_path, HEADER + newer_a + older_b + new_c, name="salesforce/User/d1.csv")
    files = export_files(tmp_path, USER)
    second = load_export(connection, USER, files, TEAM, PRIVACY)
    (reads,) = connection.execute(
        "select count(*) from raw_quarantine.loaded_files where source_file = ?", [str(base)]
    ).fetchone()
    assert reads == 1  # the base file was not read again
    full_connection = duckdb.connect()
    full = load_export(full_connection, USER, files, TEAM, PRIVACY)
    assert snapshot(connection) == snapshot(full_connection)
    assert [r[1] for r in snapshot(connection)] == ["ann-2", "annie", "annie"]
    assert (second.rows_read, second.rows_loaded, second.rows_quarantined) == (6, 3, 1)
    assert second.rows_superseded == full.rows_superseded == 2 and second.reconciles
    assert first.rows_read == 3 and delta.exists()


def test_unchanged_files_are_not_read_again_and_a_changed_file_reloads(tmp_path):
    base = write(tmp_path, HEADER + GOOD, name="salesforce/User.csv")
    connection = duckdb.connect()
    load_export(connection, USER, [base], TEAM, PRIVACY)
    connection.execute("update salesforce.user set Nickname = 'untouched'")
    load_export(connection, USER, [base], TEAM, PRIVACY)
    assert connection.execute("select Nickname from salesforce.user").fetchone() == ("untouched",)
    write(tmp_path, HEADER + GOOD.replace(",annie", ",rewritten"), name="salesforce/User.csv")
    result = load_export(connection, USER, [base], TEAM, PRIVACY)
    assert connection.execute("select Nickname from salesforce.user").fetchone() == ("rewritten",)
    assert (result.rows_read, result.rows_loaded) == (1, 1)


def test_full_refresh_reads_everything(tmp_path):
    base = write(tmp_path, HEADER + GOOD, name="salesforce/User.csv")
    connection = duckdb.connect()
    load_export(connection, USER, [base], TEAM, PRIVACY)
    connection.execute("update salesforce.user set Nickname = 'untouched'")
    load_export(connection, USER, [base], TEAM, PRIVACY, full_refresh=True)
    assert connection.execute("select Nickname from salesforce.user").fetchone() == ("annie",)
