"""BI readers never block a publish and never see a half-built `analytics.duckdb`.

A separate process opens the BI file read-only in a tight loop, as a dashboard would,
while the test publishes one version after another. Each version's tables carry their
version number in every row and a row count that belongs to that version, so a torn
or partly replaced file shows up as a missing table, mixed versions or a wrong count.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from pathlib import Path

import duckdb
import pytest

from orchestration.publish.bi_file import publish_marts

VERSIONS = 10
TABLE_ROWS = {"lead_funnel": 3_000, "opportunity_pipeline": 1_000}
# Every version holds the same amount of data, so the file must not grow; DuckDB
# allocates in 256 KiB blocks, one block of slack covers metadata differences.
SIZE_TOLERANCE_BYTES = 256 * 1024
READER_START_TIMEOUT_S = 10.0
READER_STOP_TIMEOUT_S = 10.0
# The reader gives up on its own, so an orphaned reader cannot outlive the suite.
READER_MAX_SECONDS = 30.0


@dataclass(frozen=True)
class Observation:
    """What one fresh read-only connection saw: per table, its versions and row count."""

    tables: dict[str, tuple[tuple[int, ...], int]]
    error: str | None = None


def write_build_version(build_database: Path, version: int) -> None:
    """The build database as a nightly run leaves it: every mart rebuilt for `version`."""
    with duckdb.connect(str(build_database)) as connection:
        connection.execute("create schema if not exists marts")
        for table, rows in TABLE_ROWS.items():
            connection.execute(
                f"create or replace table marts.{table} as "
                "select ? as version, range as row_id, repeat('x', 40) as payload from range(?)",
                [version, rows],
            )


def observe(analytics_database: Path) -> Observation:
    try:
        with duckdb.connect(str(analytics_database), read_only=True) as connection:
            return Observation(
                {
                    table: (
                        tuple(
                            row[0]
                            for row in connection.execute(
                                f"select distinct version from {table} order by 1"
                            ).fetchall()
                        ),
                        connection.execute(f"select count(*) from {table}").fetchone()[0],
                    )
                    for table in TABLE_ROWS
                }
            )
    except duckdb.Error as error:
        return Observation({}, error=f"{type(error).__name__}: {error}")


def read_until_stopped(
    analytics_database: Path, started: Event, stop: Event, results: multiprocessing.Queue
) -> None:
    """The BI tool: a fresh read-only connection per iteration until told to stop."""
    observations = []
    deadline = time.monotonic() + READER_MAX_SECONDS
    while not stop.is_set() and time.monotonic() < deadline:
        observations.append(observe(analytics_database))
        started.set()
    results.put(observations)


def inconsistencies(observation: Observation) -> list[str]:
    if observation.error:
        return [observation.error]
    problems = []
    versions = {versions for versions, _ in observation.tables.values()}
    if len(versions) != 1 or len(next(iter(versions))) != 1:
        problems.append(f"mixed versions: {observation.tables}")
    for table, (_, rows) in observation.tables.items():
        if rows != TABLE_ROWS[table]:
            problems.append(f"{table} has {rows} rows, its version has {TABLE_ROWS[table]}")
    return problems


def version_seen(observation: Observation) -> int:
    ((version,), _) = observation.tables["lead_funnel"]
    return version


@dataclass(frozen=True)
class ConcurrentPublishing:
    observations: list[Observation]
    publish_errors: list[str]
    file_sizes: list[int]
    reader_alive_throughout: bool
    warehouse_dir: Path


@pytest.fixture(scope="module")
def concurrent_publishing(tmp_path_factory: pytest.TempPathFactory) -> ConcurrentPublishing:
    build_database = tmp_path_factory.mktemp("build") / "build.duckdb"
    warehouse_dir = tmp_path_factory.mktemp("warehouse")
    analytics_database = warehouse_dir / "analytics.duckdb"
    write_build_version(build_database, 0)
    publish_marts(build_database, analytics_database, "marts", list(TABLE_ROWS))

    # spawn, not fork: a forked child would inherit this process's DuckDB state.
    context = multiprocessing.get_context("spawn")
    started, stop, results = context.Event(), context.Event(), context.Queue()
    reader = context.Process(
        target=read_until_stopped, args=(analytics_database, started, stop, results)
    )
    reader.start()
    try:
        assert started.wait(READER_START_TIMEOUT_S), "the reader process never read the file"
        publish_errors, file_sizes = [], []
        for version in range(1, VERSIONS + 1):
            write_build_version(build_database, version)
            try:
                publish_marts(build_database, analytics_database, "marts", list(TABLE_ROWS))
            except duckdb.Error as error:
                publish_errors.append(f"version {version}: {error}")
            file_sizes.append(analytics_database.stat().st_size)
        reader_alive_throughout = reader.is_alive()
    finally:
        stop.set()
    try:
        observations = results.get(timeout=READER_STOP_TIMEOUT_S)
    finally:
        reader.join(READER_STOP_TIMEOUT_S)
        if reader.is_alive():
            reader.kill()
    return ConcurrentPublishing(
        observations, publish_errors, file_sizes, reader_alive_throughout, warehouse_dir
    )


def test_every_publish_succeeds_while_a_reader_is_connected(concurrent_publishing):
    assert concurrent_publishing.reader_alive_throughout
    assert concurrent_publishing.publish_errors == []


def test_reader_only_ever_sees_complete_versions(concurrent_publishing):
    problems = [
        problem
        for observation in concurrent_publishing.observations
        for problem in inconsistencies(observation)
    ]
    assert problems == []
    seen = [version_seen(observation) for observation in concurrent_publishing.observations]
    assert seen == sorted(seen), "a reader saw an older version after a newer one"
    # Proves the reads overlapped the publishes rather than all happening before them.
    assert len(set(seen)) > 1


def test_no_partial_or_wal_files_are_left_behind(concurrent_publishing):
    assert sorted(path.name for path in concurrent_publishing.warehouse_dir.iterdir()) == [
        "analytics.duckdb"
    ]


def test_file_size_stays_flat_across_publishes(concurrent_publishing):
    sizes = concurrent_publishing.file_sizes
    assert max(sizes) - min(sizes) <= SIZE_TOLERANCE_BYTES, sizes


def test_leftovers_of_a_crashed_publish_are_cleaned_up(tmp_path):
    build_database = tmp_path / "build.duckdb"
    warehouse_dir = tmp_path / "warehouse"
    warehouse_dir.mkdir()
    analytics_database = warehouse_dir / "analytics.duckdb"
    # What a publish killed mid-build leaves: a half-written database and its WAL.
    leftovers = [
        warehouse_dir / ".analytics.duckdb.0123456789abcdef.partial",
        warehouse_dir / ".analytics.duckdb.0123456789abcdef.partial.wal",
    ]
    for leftover in leftovers:
        leftover.write_bytes(b"half-written")
    write_build_version(build_database, 1)

    published = publish_marts(build_database, analytics_database, "marts", list(TABLE_ROWS))

    assert {table.name: table.rows for table in published} == TABLE_ROWS
    assert sorted(path.name for path in warehouse_dir.iterdir()) == ["analytics.duckdb"]
    assert inconsistencies(observe(analytics_database)) == []


def test_a_reader_sees_the_new_version_only_once_every_connection_closed(tmp_path):
    build_database = tmp_path / "build.duckdb"
    analytics_database = tmp_path / "analytics.duckdb"
    tables = list(TABLE_ROWS)

    def version_seen(connection: duckdb.DuckDBPyConnection) -> int:
        return connection.execute("select max(version) from lead_funnel").fetchone()[0]

    write_build_version(build_database, 1)
    publish_marts(build_database, analytics_database, "marts", tables)
    held = duckdb.connect(str(analytics_database), read_only=True)
    write_build_version(build_database, 2)
    publish_marts(build_database, analytics_database, "marts", tables)
    # DuckDB shares one open database per file within a process: a new connection
    # made while another is open still reads the version that was opened.
    with duckdb.connect(str(analytics_database), read_only=True) as second:
        assert (version_seen(held), version_seen(second)) == (1, 1)
    held.close()
    with duckdb.connect(str(analytics_database), read_only=True) as reconnected:
        assert version_seen(reconnected) == 2


def test_a_publish_keeps_within_the_warehouse_duckdb_limits(tmp_path):
    # The limits bound the copy: too small a memory limit fails it, and the version
    # before stays published, with nothing half-built beside it.
    build_database = tmp_path / "build.duckdb"
    analytics_database = tmp_path / "analytics.duckdb"
    write_build_version(build_database, 1)
    publish_marts(build_database, analytics_database, "marts", ["lead_funnel"])
    with duckdb.connect(str(build_database)) as connection:
        connection.execute(
            "create or replace table marts.lead_funnel as "
            "select 2 as version, range as row_id, md5(range::varchar) as payload "
            "from range(300000)"
        )
    with pytest.raises(duckdb.OutOfMemoryException):
        publish_marts(
            build_database,
            analytics_database,
            "marts",
            ["lead_funnel"],
            {"memory_limit": "1MB", "threads": 1},
        )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["analytics.duckdb", "build.duckdb"]
    with duckdb.connect(str(analytics_database), read_only=True) as connection:
        assert connection.execute("select distinct version from lead_funnel").fetchall() == [(1,)]
