"""The data tests a quiet night need not run again: those of the agreements alone.

A third of the project's data tests (51 of 153) check the tables written from the
agreement files (the agreed definitions and the source mapping): keys unique, values
among those allowed. Those tables change only when the files do, and a change to the
files changes the build fingerprint, so the night runs a full refresh and every test
(build_state.py). On any other night each of these tests would read the same rows,
with the same SQL, as in the last complete build, which passed them: dbt's own work
per test (about 40 ms) is most of what they cost.

So a night that is not a full refresh leaves out of `dbt build` the tests that read
only those tables, through views whose SQL is the same on every build
(current_views.py), when their definitions are the ones the last complete build ran
or carried; Dagster shows each as passed, saying so. A test of another kind, one that
may warn rather than fail, or limited by `where`, runs every night.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator

from orchestration.dbt.build_state import ATTEMPTS_TABLE
from orchestration.duckdb_sql import table_exists

# The dbt sources written from the agreement files, whose every change is in the
# build fingerprint (build_state.py).
AGREEMENT_SOURCES = frozenset({"agreed_definitions", "source_mapping"})
# Generic tests whose SQL depends only on their arguments and the relation they test.
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
# The definitions of the tests a complete build ran or carried, by its attempt.
VOUCHED_TABLE = "warehouse_state.dbt_agreement_tests_vouched"


def agreement_data_tests(
    manifest: Mapping[str, Any], views_varying: Iterable[str]
) -> dict[str, str]:
    """The data tests whose rows are the agreement tables' alone, with a digest of each
    one's definition: unique id -> digest. `views_varying`: views whose SQL may differ
    from one build to the next (current_views.views_varying_by_build)."""
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
            and bool(node["depends_on"]["nodes"])
            and all(map(reads_agreements_alone, node["depends_on"]["nodes"]))
        )

    return {
        unique_id: _definition_digest(node)
        for unique_id, node in sorted(nodes.items())
        if node["resource_type"] == "test"
        and node.get("test_metadata", {}).get("name") in FIXED_GENERIC_TESTS
        and str(node["config"].get("severity", "")).lower() == "error"
        and not node["config"].get("where")
        and node["depends_on"]["nodes"]
        and all(map(reads_agreements_alone, node["depends_on"]["nodes"]))
    }


def _definition_digest(node: Mapping[str, Any]) -> str:
    definition = {
        key: node.get(key)
        for key in ("name", "raw_code", "test_metadata", "config", "depends_on", "refs", "sources")
    }
    return hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()


def vouched_by_last_complete_build(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The tests (unique id -> digest) the last complete build ran or carried; none
    before this was recorded."""
    if not table_exists(connection, *VOUCHED_TABLE.split(".")):
        return {}
    return dict(
        connection.execute(
            f"""
            select unique_id, definition_digest from {VOUCHED_TABLE}
            where attempt = (
                select max(attempt) from {ATTEMPTS_TABLE} where builds_recorded is not null
            )
            """
        ).fetchall()
    )


def still_vouched_for(eligible: Mapping[str, str], vouched: Mapping[str, str]) -> list[str]:
    """The eligible tests defined now as the last complete build had them."""
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
            attempt bigint, unique_id varchar, definition_digest varchar
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
    check_keys: AbstractSet[dg.AssetCheckKey],
) -> list[CarriedTest]:
    """The tests of `unique_ids` that are checks of this step (`check_keys`): a check
    the run did not plan is left to dbt."""
    carried = []
    for unique_id in unique_ids:
        node = manifest["nodes"][unique_id]
        tested = manifest["nodes"].get(node.get("attached_node") or "")
        if tested is None:
            continue
        check_key = dg.AssetCheckKey(translator.get_asset_key(tested), node["name"])
        if check_key in check_keys:
            carried.append(CarriedTest(unique_id, node["name"], check_key))
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
