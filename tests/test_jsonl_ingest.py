"""Loading JSON-lines exports (HubSpot): typed columns, every line accounted for,
personal data pseudonymised, later extracts merged, broken lines set aside."""

from __future__ import annotations

import hashlib
import hmac
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration.ingest.csv_loader import load_export
from orchestration.ingest.csv_reading import ExportFileError, export_files
from orchestration.ingest.exports import EXPORTS, ExportSpec, OrgFields
from orchestration.ingest.privacy import PrivacyRules
from orchestration.ingest.quarantine import QUARANTINE_TABLE

KEY = b"test-key"
PRIVACY = PrivacyRules(key=KEY)
SPECS = {spec.table: spec for spec in EXPORTS if spec.source == "hubspot"}
REASON = OrgFields(aliases={"disqualification_reason": "lost_reason"})


def pseudonym(address: str) -> str:
    return hmac.new(KEY, address.encode(), hashlib.sha256).hexdigest()[:32]


def contact(contact_id: str | None, updated: str = "2026-01-06T09:00:00.000Z", **properties):
    record = {
        "id": contact_id,
        "properties": {"email": f"c{contact_id}@acme.example", **properties},
        "createdAt": "2026-01-05T09:00:00.000Z",
        "updatedAt": updated,
        "archived": False,
    }
    return {key: value for key, value in record.items() if value is not None}


def write(tmp_path: Path, name: str, *lines: dict | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "hubspot" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    path.write_bytes((text + "\n").encode(encoding))
    return path


def load(
    files, spec: ExportSpec = SPECS["contacts"], fields=REASON, privacy=PRIVACY, connection=None
):
    connection = connection or duckdb.connect()
    return connection, load_export(connection, spec, list(files), fields, privacy)


def test_records_become_typed_columns_beside_the_whole_record(tmp_path):
    line = contact(
        "101",
        jobtitle="CEO",
        hs_lifecyclestage_marketingqualifiedlead_date="1767607200000",
        lost_reason="No budget",
    )
    line["propertiesWithHistory"] = {
        "hs_lead_status": [{"value": "NEW", "timestamp": "2026-01-05T09:00:00.000Z"}],
        "email": [{"value": "old@acme.example", "timestamp": "2025-01-01T00:00:00.000Z"}],
    }
    connection, result = load([write(tmp_path, "contacts.jsonl", line)])
    row = connection.execute(
        "select id, jobtitle, hs_lifecyclestage_marketingqualifiedlead_date::varchar, "
        "disqualification_reason, lead_status_history->>'$[0].value', archived, "
        "record_json::json->>'$.properties.jobtitle', "
        "json_exists(record_json, '$.propertiesWithHistory') from hubspot.contacts"
    ).fetchone()
    # Epoch milliseconds, as older APIs write times, are 10:00 UTC on 5 Jan 2026.
    assert row[0:2] == ("101", "CEO")
    assert row[2].startswith("2026-01-05 10:00:00")
    assert row[3:] == ("No budget", "NEW", False, "CEO", False)
    assert (result.rows_read, result.rows_loaded) == (1, 1)
    # Properties no record has are recorded as missing; mapped ones are not.
    assert "hs_lead_status" in result.absent_columns
    assert "disqualification_reason" not in result.absent_columns


def test_every_line_is_loaded_quarantined_or_superseded(tmp_path):
    path = write(
        tmp_path,
        "contacts.jsonl",
        contact("101", jobtitle="CEO"),
        '{"id": "102", "properties": {"email": "cut@acme.example"',
        "",
        "[1, 2]",
        contact(None, jobtitle="No id"),
        contact("103", hs_lifecyclestage_salesqualifiedlead_date="next Tuesday"),
        contact("101", updated="2026-01-05T10:00:00.000Z", jobtitle="Older"),
    )
    connection, result = load([path])
    # 7 lines, one blank: 6 records = 1 loaded + 4 quarantined + 1 superseded.
    assert (
        result.rows_read,
        result.rows_loaded,
        result.rows_quarantined,
        result.rows_superseded,
    ) == (6, 1, 4, 1)
    assert result.reconciles
    rows = connection.execute(
        f"select file_row, column_name, error_type, reason, raw_record from {QUARANTINE_TABLE} "
        "order by file_row"
    ).fetchall()
    assert [row[:4] for row in rows] == [
        (2, None, "NOT JSON", "the line is not a JSON object"),
        (4, None, "NOT JSON", "the line is not a JSON object"),
        (5, "id", "MISSING KEY", "required key id is empty"),
        (
            6,
            "hs_lifecyclestage_salesqualifiedlead_date",
            "CAST",
            "value shaped 'xxxx Xxxxxxx' is not a valid TIMESTAMPTZ",
        ),
    ]
    # Neither the cut line nor the bad value is stored, only their shape.
    assert "cut@acme" not in rows[0][4] and "next Tuesday" not in rows[3][4]
    # The record without id keeps its email pseudonym, so erasure finds it.
    assert json.loads(rows[2][4])["email"] == pseudonym("cnone@acme.example")
    assert connection.execute("select jobtitle from hubspot.contacts").fetchall() == [("CEO",)]


def test_later_extracts_merge_by_id_and_updated_at_and_archive(tmp_path):
    first = write(tmp_path, "contacts.jsonl", contact("101", jobtitle="CEO"), contact("102"))
    connection, _ = load([first])
    later = write(
        tmp_path,
        "contacts/2026-01-08.jsonl",
        contact("101", updated="2026-01-08T09:00:00.000Z", jobtitle="CFO"),
        dict(contact("102", updated="2026-01-08T09:00:00.000Z"), archived=True),
        contact("101", updated="2026-01-04T09:00:00.000Z", jobtitle="Stale"),
    )
    files = export_files(tmp_path, SPECS["contacts"])
    assert files == [first, later]
    _, result = load(files, connection=connection)
    rows = connection.execute(
        "select id, jobtitle, archived from hubspot.contacts order by id"
    ).fetchall()
    assert rows == [("101", "CFO", False), ("102", None, True)]
    # Only the new file was read; the counts carry the first load's over.
    assert (result.rows_read, result.rows_loaded, result.rows_superseded) == (5, 2, 3)
    assert result.reconciles


def test_personal_data_inside_records_is_pseudonymised(tmp_path):
    line = contact(
        "101",
        phone="+31 20 555 0101",
        private_mail__c="Ann.Private@Home.example",
        hs_additional_emails="a@b.example;c@d.example",
        hs_email_text="Dear Ann, call me on +31 20 555 0101",
        jobtitle="CEO",
    )
    connection, _ = load([write(tmp_path, "contacts.jsonl", line)])
    (email, record) = connection.execute(
        "select email, record_json from hubspot.contacts"
    ).fetchone()
    properties = json.loads(record)["properties"]
    assert email == properties["email"] == pseudonym("c101@acme.example")
    assert properties["private_mail__c"] == pseudonym("ann.private@home.example")
    assert properties["phone"] == hmac.new(KEY, b"+31205550101", hashlib.sha256).hexdigest()[:32]
    assert properties["hs_additional_emails"] == pseudonym("a@b.example;c@d.example")
    assert "hs_email_text" not in properties and properties["jobtitle"] == "CEO"
    submission = {
        "conversionId": "conv-1",
        "formId": "f-demo",
        "submittedAt": 1767607200000,
        "values": [
            {"name": "email", "value": " Ann@Acme.example"},
            {"name": "company", "value": "Acme"},
        ],
    }
    _, _ = load(
        [write(tmp_path, "form_submissions.jsonl", submission)],
        SPECS["form_submissions"],
        OrgFields(),
        connection=connection,
    )
    (email, values) = connection.execute(
        "select email, record_json::json->'$.values' from hubspot.form_submissions"
    ).fetchone()
    assert email == pseudonym("ann@acme.example")
    assert json.loads(values) == [
        {"name": "email", "value": pseudonym("ann@acme.example")},
        {"name": "company", "value": "Acme"},
    ]


def test_erased_people_are_dropped_with_what_is_associated_with_them(tmp_path):
    erased = PrivacyRules(
        key=KEY,
        erased_pseudonyms=frozenset({pseudonym("ann@acme.example")}),
        erased_person_ids=frozenset({"101"}),
    )
    connection, result = load(
        [write(tmp_path, "contacts.jsonl", contact("101"), contact("102"))], privacy=erased
    )
    assert (result.rows_read, result.rows_loaded, result.rows_erased) == (2, 1, 1)
    call = {
        "id": "301",
        "properties": {"hs_timestamp": "2026-01-05T15:00:00.000Z", "hubspot_owner_id": "1"},
        "createdAt": "2026-01-05T15:00:00.000Z",
        "updatedAt": "2026-01-05T15:00:00.000Z",
        "associations": {"contacts": {"results": [{"id": "102"}, {"id": "101"}]}},
    }
    other = dict(call, id="302", associations={"contacts": {"results": [{"id": "102"}]}})
    _, result = load(
        [write(tmp_path, "calls.jsonl", call, other)],
        SPECS["calls"],
        OrgFields(),
        erased,
        connection,
    )
    assert (result.rows_read, result.rows_loaded, result.rows_erased) == (2, 1, 1)
    event = {
        "id": "ev-1",
        "created": 1767607200000,
        "type": "CLICK",
        "recipient": "ANN@acme.example",
    }
    _, result = load(
        [write(tmp_path, "email_events.jsonl", event)],
        SPECS["email_events"],
        OrgFields(),
        erased,
        connection,
    )
    assert (result.rows_read, result.rows_erased) == (1, 1)


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_utf16_or_windows_1252_files_and_windows_line_ends_read_like_utf8(tmp_path, encoding):
    record = contact("101", jobtitle="Directeur Général")
    text = json.dumps(record, ensure_ascii=False) + "\r\n"
    path = tmp_path / "hubspot" / "contacts.jsonl"
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode(encoding))
    connection, result = load([path])
    assert result.rows_quarantined == 0
    assert connection.execute("select jobtitle from hubspot.contacts").fetchone() == (
        "Directeur Général",
    )


def test_json_numbers_are_not_read_as_european_thousands(tmp_path):
    rate = {
        "id": "r1",
        "fromCurrencyCode": "USD",
        "toCurrencyCode": "EUR",
        "conversionRate": 1.085,
        "effectiveAt": "2026-01-01T00:00:00Z",
    }
    connection, _ = load(
        [write(tmp_path, "exchange_rates.jsonl", rate)], SPECS["exchange_rates"], OrgFields()
    )
    assert connection.execute("select conversionRate from hubspot.exchange_rates").fetchone() == (
        Decimal("1.085000000"),
    )


def test_a_required_key_no_record_has_fails_naming_file_and_key(tmp_path):
    deal = {"id": "601", "properties": {"amount": "20000", "dealname": "Secret Deal"}}
    path = write(tmp_path, "deals.jsonl", deal)
    with pytest.raises(ExportFileError) as failure:
        load([path], SPECS["deals"], OrgFields())
    message = str(failure.value)
    assert str(path) in message and "'createdAt'" in message
    assert "Secret" not in message and "20000" not in message


def test_a_system_is_required_only_when_its_folder_is_there(tmp_path):
    (tmp_path / "salesforce").mkdir()
    assert export_files(tmp_path, SPECS["contacts"]) == []
    (tmp_path / "hubspot").mkdir()
    with pytest.raises(ExportFileError, match=r"hubspot/contacts\.jsonl: export file not found"):
        export_files(tmp_path, SPECS["contacts"])


def test_a_landing_folder_without_any_crm_fails_clearly(tmp_path):
    with pytest.raises(ExportFileError, match="holds neither salesforce/ nor hubspot/"):
        export_files(tmp_path, SPECS["owners"])
