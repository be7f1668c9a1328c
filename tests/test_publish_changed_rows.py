"""A quiet night's publish rewrites only the changed rows, in a copy of the live BI
file, and the result is the marts exactly; a live file that is not what a publish
writes, or a night that changed most rows, gets a new file instead."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.duckdb_sql import quote_literal
from orchestration.publish.bi_file import publish_marts
from tests.test_bi_file import OLD_DUCKDB_PYTHON

# 100 rows no night touches, beside the few each test changes.
UNCHANGED = "select range as lead_id, 'kept' as status, null::varchar as note from range(100, 200)"


def build_with(build_database: Path, leads_sql: str, comment: str | None = "The lead.") -> None:
    with duckdb.connect(str(build_database)) as connection:
        connection.execute("create schema if not exists marts")
        connection.execute(f"create or replace table marts.leads as {leads_sql}")
        connection.execute(
            "create or replace table marts.totals as select count(*) as leads from marts.leads"
        )
        if comment:
            connection.execute(f"comment on column marts.leads.lead_id is {quote_literal(comment)}")


def differences(analytics_database: Path, build_database: Path) -> int:
    """Rows in one and not the other, counting repeats (EXCEPT ALL both ways)."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{analytics_database}' as published (read_only)")
        connection.execute(f"attach '{build_database}' as build (read_only)")
        return sum(
            connection.execute(
                f"select count(*) from (select * from {a}.{t} except all select * from {b}.{t})"
            ).fetchone()[0]
            for t in ("leads", "totals")
            for a, b in (("published.main", "build.marts"), ("build.marts", "published.main"))
        )


@pytest.fixture
def databases(tmp_path: Path) -> tuple[Path, Path]:
    build_database, analytics_database = tmp_path / "build.duckdb", tmp_path / "analytics.duckdb"
    # Lead 2 is there twice: a mart may repeat a row.
    build_with(
        build_database,
        f"select * from (values (1, 'open', null), (2, 'working', null), (2, 'working', null),"
        f" (3, 'open', null)) as leads(lead_id, status, note) union all {UNCHANGED}",
    )
    publish_marts(build_database, analytics_database, "marts", ["leads", "totals"])
    return build_database, analytics_database


def test_a_quiet_night_rewrites_only_the_changed_rows(databases):
    build_database, analytics_database = databases
    # Lead 1 kept, one of lead 2's two rows gone, lead 3 changed, lead 4 new.
    build_with(
        build_database,
        f"select * from (values (1, 'open', null), (2, 'working', null), (3, 'converted', 'won'),"
        f" (4, 'open', null)) as leads(lead_id, status, note) union all {UNCHANGED}",
        comment="The lead's id.",
    )

    published = publish_marts(build_database, analytics_database, "marts", ["leads", "totals"])

    changes = {table.name: table.change for table in published}
    # Lead 2's rows are replaced as a group (2 out, 1 in), lead 3's row (1 out, 1 in),
    # lead 4 comes in; the total goes from 104 to 104 leads: unchanged.
    assert (changes["leads"].rows_removed, changes["leads"].rows_added) == (3, 3)
    assert (changes["totals"].rows_removed, changes["totals"].rows_added) == (0, 0)
    assert {table.name: table.rows for table in published} == {"leads": 104, "totals": 1}
    assert differences(analytics_database, build_database) == 0
    with duckdb.connect(str(analytics_database), read_only=True) as connection:
        assert connection.execute(
            "select comment from duckdb_columns() where column_name = 'lead_id'"
        ).fetchall() == [("The lead's id.",)]
    assert sorted(path.name for path in analytics_database.parent.iterdir()) == [
        "analytics.duckdb",
        "build.duckdb",
    ]
    # BI tools' DuckDB 1.1 still opens the file the copy was written into.
    run = subprocess.run(
        [
            str(OLD_DUCKDB_PYTHON),
            "-c",
            "import sys, duckdb; print(duckdb.connect(sys.argv[1], read_only=True)"
            ".execute('select count(*), count(note) from leads').fetchone())",
            str(analytics_database),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == "(104, 1)"


def test_a_description_dbt_dropped_is_dropped_from_the_copy(databases):
    build_database, analytics_database = databases
    build_with(
        build_database,
        f"select * from (values (1, 'open', null), (2, 'working', null), (2, 'working', null),"
        f" (3, 'open', null)) as leads(lead_id, status, note) union all {UNCHANGED}",
        comment=None,
    )
    with duckdb.connect(str(build_database)) as connection:
        connection.execute("comment on column marts.leads.lead_id is null")

    (leads, _) = publish_marts(build_database, analytics_database, "marts", ["leads", "totals"])

    assert leads.change is not None
    with duckdb.connect(str(analytics_database), read_only=True) as connection:
        assert connection.execute(
            "select count(comment) from duckdb_columns() where column_name = 'lead_id'"
        ).fetchone() == (0,)


def _add_view(_: Path, analytics_database: Path) -> None:
    with duckdb.connect(str(analytics_database)) as connection:
        connection.execute("create view my_dashboard as select * from leads")


def _rename_column(build_database: Path, _: Path) -> None:
    """Rows whose values and hashes stay the same, under another column name."""
    with duckdb.connect(str(build_database)) as connection:
        connection.execute("alter table marts.leads rename column note to remark")


def _change_most_rows(build_database: Path, _: Path) -> None:
    build_with(
        build_database,
        "select range as lead_id, 'new' as status, null::varchar as note from range(104)",
    )


def _newest_storage_format(build_database: Path, analytics_database: Path) -> None:
    """The same tables, written in a storage format DuckDB 1.1 cannot read."""
    analytics_database.unlink()
    with duckdb.connect(
        str(analytics_database), config={"storage_compatibility_version": "latest"}
    ) as connection:
        connection.execute(f"attach '{build_database}' as build (read_only)")
        for table in ("leads", "totals"):
            connection.execute(f"create table {table} as select * from build.marts.{table}")
        (tags,) = connection.execute(
            "select tags from duckdb_databases() where database_name = current_database()"
        ).fetchone()
    assert tags["storage_version"] != "v1.0.0+"


@pytest.mark.parametrize(
    "arrange",
    [_add_view, _rename_column, _change_most_rows, _newest_storage_format],
    ids=["a view of a user's", "a mart's renamed column", "most rows changed", "newest format"],
)
def test_a_new_file_when_the_copy_would_not_be_what_a_publish_writes(databases, arrange):
    build_database, analytics_database = databases
    arrange(build_database, analytics_database)

    published = publish_marts(build_database, analytics_database, "marts", ["leads", "totals"])

    assert [table.change for table in published] == [None, None]
    assert differences(analytics_database, build_database) == 0
    with duckdb.connect(str(analytics_database), read_only=True) as connection:
        assert connection.execute(
            "select count(*) from duckdb_views() where not internal"
        ).fetchone() == (0,)
        assert connection.execute("select * from leads limit 0").description[-1][0] == (
            "remark" if arrange is _rename_column else "note"
        )
    subprocess.run(
        [
            str(OLD_DUCKDB_PYTHON),
            "-c",
            "import sys, duckdb; duckdb.connect(sys.argv[1], read_only=True)",
            str(analytics_database),
        ],
        check=True,
    )


def test_a_full_refresh_publishes_a_new_file(databases):
    build_database, analytics_database = databases
    published = publish_marts(
        build_database, analytics_database, "marts", ["leads", "totals"], from_scratch=True
    )
    assert [table.change for table in published] == [None, None]
    assert differences(analytics_database, build_database) == 0


def test_a_bi_tool_holding_the_file_for_writing_gets_a_new_file_not_a_failure(databases):
    build_database, analytics_database = databases
    build_with(
        build_database,
        f"select * from (values (1, 'converted', null)) as leads(lead_id, status, note) "
        f"union all {UNCHANGED}",
    )
    # What DBeaver does unless told to connect read-only: a writer's lock on the file.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; connection = duckdb.connect(sys.argv[1]); "
            "print('holding', flush=True); sys.stdin.read()",
            str(analytics_database),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        published = publish_marts(build_database, analytics_database, "marts", ["leads", "totals"])
    finally:
        holder.communicate("", timeout=30)

    assert [table.change for table in published] == [None, None]
    assert differences(analytics_database, build_database) == 0


def test_a_write_ahead_log_left_beside_the_live_file_gets_a_new_file_without_it(databases):
    build_database, analytics_database = databases
    # A BI tool that opened the file for writing, deleted a lead and died before
    # DuckDB wrote the change into the file: the change sits in analytics.duckdb.wal.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys, duckdb; connection = duckdb.connect(sys.argv[1]); "
            "connection.execute('delete from leads where lead_id = 150'); os._exit(0)",
            str(analytics_database),
        ],
        check=True,
    )
    assert Path(f"{analytics_database}.wal").exists()

    published = publish_marts(build_database, analytics_database, "marts", ["leads", "totals"])

    assert [table.change for table in published] == [None, None]
    assert not Path(f"{analytics_database}.wal").exists()
    assert differences(analytics_database, build_database) == 0


@pytest.mark.parametrize(
    "column",
    ["[lead_id] as touches", "interval 1 day * lead_id as age"],
    ids=["a list", "an interval"],
)
def test_a_mart_whose_values_may_share_a_hash_gets_a_new_file(databases, column):
    # DuckDB hashes a missing list like an empty one, and '1 day' like '24 hours'.
    build_database, analytics_database = databases
    leads = f"select *, {column} from ({UNCHANGED})"
    build_with(build_database, leads)
    publish_marts(build_database, analytics_database, "marts", ["leads", "totals"])
    build_with(build_database, f"{leads} union all select 1, 'open', null, null")

    published = publish_marts(build_database, analytics_database, "marts", ["leads", "totals"])

    assert [table.change for table in published] == [None, None]
    assert differences(analytics_database, build_database) == 0


def test_a_live_column_compared_otherwise_than_the_marts_gets_a_new_file(databases):
    build_database, analytics_database = databases
    with duckdb.connect(str(analytics_database)) as connection:
        connection.execute("alter table leads alter status type varchar collate nocase")

    published = publish_marts(build_database, analytics_database, "marts", ["leads", "totals"])

    assert [table.change for table in published] == [None, None]
    with duckdb.connect(str(analytics_database), read_only=True) as connection:
        assert connection.execute(
            "select sql from duckdb_tables() where table_name = 'leads'"
        ).fetchone() == ("CREATE TABLE leads(lead_id BIGINT, status VARCHAR, note VARCHAR);",)


def test_a_live_file_storing_many_deleted_rows_gets_a_new_file(databases):
    build_database, analytics_database = databases
    # 200 rows added and deleted: the file stores them until DuckDB reuses the space,
    # while its live rows are still the marts' (104 leads and one total).
    with duckdb.connect(str(analytics_database)) as connection:
        connection.execute("insert into leads select range, 'gone', null from range(1000, 1200)")
        connection.execute("checkpoint")
        connection.execute("delete from leads where status = 'gone'")
        connection.execute("checkpoint")

    published = publish_marts(build_database, analytics_database, "marts", ["leads", "totals"])

    assert [table.change for table in published] == [None, None]
    assert differences(analytics_database, build_database) == 0
    with duckdb.connect(str(analytics_database), read_only=True) as connection:
        assert connection.execute("select sum(estimated_size) from duckdb_tables()").fetchone() == (
            105,
        )
