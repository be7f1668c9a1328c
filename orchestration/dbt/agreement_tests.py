"""The data tests a quiet night need not run again: those of the agreement tables alone.

A third of the project's data tests (51 of 153) check the tables written from the
agreement files (the agreed definitions and the source mapping): keys unique, values
among those allowed. Those tables are written from the files, and a change to the
files makes the night a full refresh, which runs every test (build_state.py). On other
nights each of these tests would mostly read the same rows, with the same SQL, as the
last complete build, which passed it: dbt's own work per test (about 40 ms) is most of
what they cost.

So a night that is not a full refresh leaves out of `dbt build` each such test whose
definition, and the rows of every agreement table, are as they were in the last
complete build, which ran or carried it; Dagster shows it passed, saying so. The rows
are compared themselves rather than trusted to follow the files: the code writing
them, or a run that wrote them from other files than the fingerprint read, could
change them alone. A test runs every night unless it is a plain generic test (whose
SQL depends on its arguments and relation only: the project overrides none of them
with SQL of another kind) that fails on any failing row and has no `where`, reading
the agreement sources alone through views that compile to the same SQL on every build
(current_views.py) and read nothing else (no clock, random value or file).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtProject
from dagster_dbt.asset_utils import get_asset_check_key_for_test

from orchestration.dbt.build_state import ATTEMPTS_TABLE
from orchestration.duckdb_sql import quote_identifier, table_exists

# The dbt sources written from the agreement files.
AGREEMENT_SOURCES = frozenset({"agreed_definitions", "source_mapping"})
FIXED_GENERIC_TESTS = frozenset(
    {
        "not_null",
        "unique",
        "accepted_values",
        "relationships",
        "not_null_columns",
        "primary_key",
        "unique_combination",
    }
)
# dbt's default thresholds: any failing row fails the test. Other thresholds let a
# test warn in a build that still completes, and a warning is not a pass to carry.
FAILS_ON_ANY_ROW = "!= 0"
# What makes a view's rows differ on the same sources: the clock, random values, files.
VARYING_SQL = re.compile(
    r"\b(current_(date|time|timestamp)|now|today|random|uuid|gen_random_uuid|getenv|"
    r"read_\w+|glob)\b",
    re.IGNORECASE,
)
# The digests of the tests a complete build ran or carried, by its attempt.
VOUCHED_TABLE = "warehouse_state.dbt_agreement_tests_vouched"


def agreement_schemas(manifest: Mapping[str, Any]) -> list[str]:
    return sorted(
        {
            source["schema"]
            for source in manifest["sources"].values()
            if source["source_name"] in AGREEMENT_SOURCES
        }
    )


def agreement_tables_digest(connection: duckdb.DuckDBPyConnection, schemas: Sequence[str]) -> str:
    """Digest of every row of every table in `schemas` (a few hundred rows), in an order
    independent of how they were written."""
    digest = hashlib.sha256()
    for schema, table in connection.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where database_name = current_database() and list_contains(?, schema_name) "
        "order by all",
        [list(schemas)],
    ).fetchall():
        relation = f"{quote_identifier(schema)}.{quote_identifier(table)}"
        rows = connection.execute(f"select * from {relation}").fetchall()
        digest.update(f"{relation}\n".encode())
        for row in sorted(map(repr, rows)):
            digest.update(f"{row}\n".encode())
    return digest.hexdigest()


def agreement_data_tests(
    manifest: Mapping[str, Any], views_varying: Iterable[str], tables_digest: str
) -> dict[str, str]:
    """The data tests whose rows are the agreement tables' alone, with a digest of each
    one's definition and of those tables' rows (`tables_digest`): unique id -> digest.
    `views_varying`: views whose SQL may differ from one build to the next
    (current_views.views_varying_by_build)."""
    nodes, varying = manifest["nodes"], set(views_varying)

    def reads_agreements_alone(unique_id: str) -> bool:
        if unique_id.startswith("source."):
            return manifest["sources"][unique_id]["source_name"] in AGREEMENT_SOURCES
        node = nodes.get(unique_id)
        return (
            node is not None
            and node["resource_type"] == "model"
            and node["config"]["materialized"] == "view"
            and unique_id not in varying
            and not VARYING_SQL.search(node["raw_code"])
            and bool(node["depends_on"]["nodes"])
            and all(map(reads_agreements_alone, node["depends_on"]["nodes"]))
        )

    def fails_on_any_row(config: Mapping[str, Any]) -> bool:
        return (
            str(config.get("severity", "")).lower() == "error"
            and config.get("warn_if", FAILS_ON_ANY_ROW) == FAILS_ON_ANY_ROW
            and config.get("error_if", FAILS_ON_ANY_ROW) == FAILS_ON_ANY_ROW
        )

    return {
        unique_id: _digest(node, tables_digest)
        for unique_id, node in sorted(nodes.items())
        if node["resource_type"] == "test"
        and node.get("test_metadata", {}).get("name") in FIXED_GENERIC_TESTS
        and fails_on_any_row(node["config"])
        and not node["config"].get("where")
        and node["depends_on"]["nodes"]
        and all(map(reads_agreements_alone, node["depends_on"]["nodes"]))
    }


def _digest(node: Mapping[str, Any], tables_digest: str) -> str:
    definition = {
        key: node.get(key)
        for key in ("name", "raw_code", "test_metadata", "config", "depends_on", "refs", "sources")
    }
    return hashlib.sha256(
        json.dumps([definition, tables_digest], sort_keys=True).encode()
    ).hexdigest()


def vouched_by_last_complete_build(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The tests (unique id -> digest) the last complete build ran or carried, none
    before one recorded them."""
    if not table_exists(connection, *VOUCHED_TABLE.split(".")):
        return {}
    return dict(
        connection.execute(
            f"""
            select unique_id, digest from {VOUCHED_TABLE}
            where attempt = (
                select max(attempt) from {ATTEMPTS_TABLE} where builds_recorded is not null
            )
            """
        ).fetchall()
    )


def still_vouched_for(eligible: Mapping[str, str], vouched: Mapping[str, str]) -> list[str]:
    """The eligible tests whose definition and rows are the last complete build's."""
    return sorted(
        unique_id for unique_id, digest in eligible.items() if vouched.get(unique_id) == digest
    )


def record_vouched(
    connection: duckdb.DuckDBPyConnection, attempt: int, eligible: Mapping[str, str]
) -> None:
    """After a complete build (attempt `attempt`): it ran or carried every test of the
    agreements alone, and each passed."""
    connection.execute(
        f"""
        create table if not exists {VOUCHED_TABLE} (
            attempt bigint, unique_id varchar, digest varchar
        )
        """
    )
    connection.execute(f"delete from {VOUCHED_TABLE} where attempt < ?", [attempt])
    connection.executemany(
        f"insert into {VOUCHED_TABLE} values (?, ?, ?)",
        [(attempt, unique_id, digest) for unique_id, digest in sorted(eligible.items())],
    )


@dataclass(frozen=True)
class CarriedTest:
    unique_id: str
    # The test's node name, its dbt selector.
    name: str
    check_key: dg.AssetCheckKey

    def result(self) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(
            asset_key=self.check_key.asset_key,
            check_name=self.check_key.name,
            passed=True,
            metadata={
                "unique_id": self.unique_id,
                "evaluated": (
                    "not run again: it reads only the agreement tables, unchanged since "
                    "the last complete build, which passed it with the same definition"
                ),
            },
        )


def carried_tests(
    unique_ids: Iterable[str],
    manifest: Mapping[str, Any],
    translator: DagsterDbtTranslator,
    project: DbtProject,
    planned: AbstractSet[dg.AssetCheckKey],
) -> list[CarriedTest]:
    """The tests of `unique_ids` that are checks this run planned, keyed as dagster-dbt
    keys them: a check not planned is left to dbt."""
    carried = []
    for unique_id in unique_ids:
        check_key = get_asset_check_key_for_test(manifest, translator, unique_id, project)
        if check_key in planned:
            name = manifest["nodes"][unique_id]["name"]
            carried.append(CarriedTest(unique_id, name, check_key))
    return carried


def with_carried_results(
    events: Iterable[Any],
    carried: Sequence[CarriedTest],
    asset_key_of_output: Callable[[str], dg.AssetKey],
) -> Iterator[Any]:
    """The step's events, with each carried test's result right after its asset's
    materialisation (a check result belongs to the materialisation before it), and any
    left at the end."""
    waiting: dict[dg.AssetKey, list[CarriedTest]] = {}
    for test in carried:
        waiting.setdefault(test.check_key.asset_key, []).append(test)
    for event in events:
        yield event
        if isinstance(event, dg.Output):
            key = asset_key_of_output(event.output_name)
        elif isinstance(event, dg.AssetMaterialization | dg.MaterializeResult):
            key = event.asset_key
        else:
            continue
        for test in waiting.pop(key, ()):
            yield test.result()
    for tests in waiting.values():
        for test in tests:
            yield test.result()
