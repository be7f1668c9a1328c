"""The loader's fast paths give exactly what the general ones do."""

from __future__ import annotations

import random

import duckdb
import pytest

from orchestration.ingest.csv_loader import load_export
from orchestration.ingest.exports import EXPORTS, OrgFields
from orchestration.ingest.privacy import PrivacyRules
from orchestration.ingest.quarantine import (
    QUARANTINE_TABLE,
    cast_expression,
    define_number_parsing,
)

PRIVACY = PrivacyRules(key=b"test-key")
USER = next(spec for spec in EXPORTS if spec.table == "user")
ACTIVITIES = next(spec for spec in EXPORTS if spec.table == "activities")
TEAM = OrgFields(aliases={"team_attribute": "Department"})
HEADER = "Id,FirstName,LastName,IsActive,CreatedDate,SystemModstamp,Department,Nickname\n"
STAMP = "2026-03-02T08:15:00.000Z"

TRICKY_NUMBERS = [
    *("1.234", "1,234", "€ 1.234,56", " 12 ", "1 234", "+5", "-0", "1e5", "", "abc", "12€"),
    *("1.234.567", "12,5", "1,234.50", "\u00a012", "12\u00a0", "$12", "£ 1", "\t7", "7\r\n"),
    *("0x10", "1_000", "inf", "-inf", "nan", "1e400", "99999999999999999999", "00012", "-"),
    *("+ 5", "--5", "1e", ".5", "5.", ",5", " ", "1 2", "9223372036854775808", "1,5e3"),
    "\uff11\uff12",  # full-width digits
]


def random_numbers(count: int) -> list[str]:
    alphabet = "0123456789  +-eE_x€$£\t\u00a0.,"
    chooser = random.Random(20260302)
    return ["".join(chooser.choices(alphabet, k=chooser.randint(1, 8))) for _ in range(count)]


@pytest.mark.parametrize("kind", ["BIGINT", "INTEGER", "DOUBLE", "DECIMAL(18,2)"])
def test_plain_number_cast_equals_the_full_parse(kind):
    connection = duckdb.connect()
    define_number_parsing(connection)
    values = TRICKY_NUMBERS + random_numbers(20_000)
    connection.execute("create table raw as select unnest(?::varchar[]) as x", [values])
    full_parse = f"try_cast(revenue_parse_number(nullif(x, '')) as {kind})"
    (differences,) = connection.execute(
        f"""
        select list(x) from raw
        where {cast_expression("x", kind)} is distinct from {full_parse}
        """
    ).fetchone()
    assert differences is None
    (parsed,) = connection.execute(
        f"select count(*) from raw where {full_parse} is not null"
    ).fetchone()
    assert parsed > 1000  # the random inputs are not all rejected


def user_row(user_id: str, last_name: str = "Lee", active: str = "true") -> str:
    return f"{user_id},Ann,{last_name},{active},{STAMP},{STAMP},Sales,nick\n"


def load(tmp_path, text: str, name: str = "User.csv"):
    path = tmp_path / name
    path.write_text(text, newline="")
    connection = duckdb.connect()
    result = load_export(connection, USER, [path], TEAM, PRIVACY)
    quarantine = connection.execute(
        f"select file_row, column_name, error_type from {QUARANTINE_TABLE} order by 1, 2"
    ).fetchall()
    loaded = connection.execute(
        "select Id, LastName, IsActive from salesforce.user order by Id"
    ).fetchall()
    return result, quarantine, loaded


CLEAN = (
    HEADER
    + user_row("005A")
    + user_row("005B", '"Mc\nKay, ""Jr"""')
    + user_row("005C", active="maybe")
    + user_row("005A", "Again")
)


def test_clean_file_with_a_quoted_line_break_keeps_spreadsheet_rows(tmp_path):
    result, quarantine, loaded = load(tmp_path, CLEAN)
    assert quarantine == [(4, "IsActive", "CAST")]
    assert loaded == [("005A", "Again", True), ("005B", 'Mc\nKay, "Jr"', True)]
    assert (result.rows_read, result.rows_loaded, result.rows_superseded) == (4, 2, 1)
    assert result.reconciles


@pytest.mark.parametrize(
    ("odd_row", "error_type"),
    [
        ("005S,Short,Row,true\n", "TOO FEW FIELDS"),
        (user_row("005L").replace("\n", ",extra\n"), "TOO MANY FIELDS"),
        (user_row("005L").replace("\n", ",\n"), "TOO MANY FIELDS"),
    ],
)
def test_file_with_a_short_or_long_row_loads_like_the_clean_one(tmp_path, odd_row, error_type):
    result, quarantine, loaded = load(tmp_path, CLEAN + odd_row)
    assert quarantine == [(4, "IsActive", "CAST"), (6, None, error_type)]
    assert loaded == [("005A", "Again", True), ("005B", 'Mc\nKay, "Jr"', True)]
    assert (result.rows_read, result.rows_quarantined, result.rows_superseded) == (5, 2, 1)
    assert result.reconciles


def test_rows_of_several_files_are_numbered_per_file(tmp_path):
    folder = tmp_path / "salesforce" / "User"
    folder.mkdir(parents=True)
    first = tmp_path / "salesforce" / "User.csv"
    first.write_text(HEADER + user_row("005A") + user_row("005B", active="maybe"))
    later = folder / "2026-03-09.csv"
    later.write_text(HEADER + "005S,Short\n" + user_row("005C") + user_row("005D", active="no?"))
    connection = duckdb.connect()
    result = load_export(connection, USER, [first, later], TEAM, PRIVACY)
    assert connection.execute(
        f"select source_file, file_row, error_type from {QUARANTINE_TABLE} order by 1, 2"
    ).fetchall() == [
        (str(first), 3, "CAST"),
        (str(later), 2, "TOO FEW FIELDS"),
        (str(later), 4, "CAST"),
    ]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 2, 3)


def test_files_with_different_columns_stack_whichever_is_largest(tmp_path):
    folder = tmp_path / "salesforce" / "User"
    folder.mkdir(parents=True)
    first = tmp_path / "salesforce" / "User.csv"
    first.write_text(HEADER + user_row("005A"))
    # The later file is the larger, and trades Nickname for a column of its own.
    later = folder / "2026-03-09.csv"
    later.write_text(
        HEADER.replace(",Nickname", ",Pronouns")
        + "".join(user_row(user_id).replace(",nick", ",they") for user_id in ("005B", "005C"))
    )
    connection = duckdb.connect()
    result = load_export(connection, USER, [first, later], TEAM, PRIVACY)
    assert connection.execute(
        "select Id, Nickname, Pronouns, _source_file from salesforce.user order by Id"
    ).fetchall() == [
        ("005A", "nick", None, str(first)),
        ("005B", None, "they", str(later)),
        ("005C", None, "they", str(later)),
    ]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)


def test_big_clean_file_read_in_parallel_keeps_every_row_in_order(tmp_path):
    header = (
        "marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,"
        "primaryAttributeValue,attributes\n"
    )
    rows = [
        f'g{n},{n},2026-03-02T08:15:00Z,{n % 7},,3,"Line one\nline two, {n}","{{""n"": {n}}}"\n'
        for n in range(200_000)
    ]
    rows[123_456] = rows[123_456].replace(",123456,", ",not-a-number,")
    path = tmp_path / "activities.csv"
    path.write_text(header + "".join(rows), newline="")
    connection = duckdb.connect(config={"threads": 4})
    result = load_export(connection, ACTIVITIES, [path], OrgFields(), PRIVACY)
    assert connection.execute(
        f"select file_row, column_name, raw_record::json->>'marketoGUID' from {QUARANTINE_TABLE}"
    ).fetchall() == [(123_458, "leadId", "g123456")]
    (misplaced,) = connection.execute(
        "select count(*) from marketo.activities "
        "where marketoGUID <> 'g' || leadId or attributes->>'n' <> leadId::varchar"
    ).fetchone()
    assert misplaced == 0 and (result.rows_read, result.rows_loaded) == (200_000, 199_999)
