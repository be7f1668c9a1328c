"""The project's own generic data tests (dbt_project/macros/test_*.sql), run on small
tables without dbt: each returns exactly the rows that break its rule."""

from __future__ import annotations

import re

import duckdb
import jinja2
import pytest

from orchestration.settings import PROJECT_ROOT

MACROS = PROJECT_ROOT / "dbt_project" / "macros"


def generic_test_sql(name: str, **arguments: object) -> str:
    """The SQL dbt would run for the generic test `name`: its body rendered with the
    arguments (dbt's {% test %} block is a macro over model and the test's arguments)."""
    source = (MACROS / f"test_{name}.sql").read_text(encoding="utf-8")
    body = re.search(r"{%\s*test\s+\w+\(.*?\)\s*%}(.*){%\s*endtest\s*%}", source, re.S)
    return jinja2.Template(body.group(1)).render(**arguments)


@pytest.fixture
def connection():
    with duckdb.connect() as connection:
        connection.execute(
            "create table leads as select * from (values "
            "('L1', 'webinar'), ('L2', 'webinar'), ('L2', 'events'), "
            "(null, 'events'), (null, 'events'), ('L3', null), ('L4', null)) t(lead_id, channel)"
        )
        yield connection


def test_primary_key_flags_a_repeated_key_and_nulls_once(connection):
    rows = connection.execute(
        generic_test_sql("primary_key", model="leads", column_name="lead_id")
        + " order by key_value nulls last"
    ).fetchall()
    # L2 twice; two rows without a key. L1, L3 and L4 are fine.
    assert rows == [("L2", 2), (None, 2)]


def test_primary_key_passes_on_a_clean_key(connection):
    sql = generic_test_sql(
        "primary_key",
        model="(select * from leads where lead_id in ('L1', 'L3', 'L4')) as clean",
        column_name="lead_id",
    )
    assert connection.execute(sql).fetchall() == []


def test_unique_combination_counts_nulls_as_a_value(connection):
    rows = connection.execute(
        generic_test_sql("unique_combination", model="leads", columns=["lead_id", "channel"])
        + " order by 1"
    ).fetchall()
    # (null, events) twice; (L2, webinar) and (L2, events) are different combinations.
    assert rows == [(None, "events", 2)]


def test_not_null_columns_names_each_column_with_nulls_and_how_many(connection):
    rows = connection.execute(
        generic_test_sql("not_null_columns", model="leads", columns=["lead_id", "channel"])
        + " order by 1"
    ).fetchall()
    # two rows without a lead id, two (L3, L4) without a channel
    assert rows == [("channel", 2), ("lead_id", 2)]
    sql = generic_test_sql(
        "not_null_columns",
        model="(select * from leads where lead_id = 'L1') as one",
        columns=["lead_id", "channel"],
    )
    assert connection.execute(sql).fetchall() == []
