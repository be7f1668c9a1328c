"""The dbt views a quiet night need not create again.

A view holds no rows: it reads its sources' current rows whenever it is queried, so a
night with new data needs no new view. Creating the staging and union views again
costs a quiet night at S about 4 of its 18 s of dbt (each view a few statements and
dbt's bookkeeping). They are left as they are when the last complete build made them
from the same code (the build fingerprint, build_state.py), none holds a value of the
build that created it, and each still binds to the tables it reads; their data tests
run all the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import dagster as dg
import duckdb

from orchestration.duckdb_sql import quote_identifier

# dbt's values of the build running the SQL: a view whose SQL holds one is stamped
# with the build that created it, and left as it is would keep that build's value.
BUILD_TIME_VALUE = re.compile(r"\b(run_started_at|invocation_id)\b")


@dataclass(frozen=True)
class View:
    unique_id: str
    schema: str
    name: str
    # the project's nodes it reads (models, seeds, snapshots), by unique id; sources are
    # loaded before dbt runs
    nodes_read: tuple[str, ...] = ()

    @property
    def relation(self) -> str:
        return f"{quote_identifier(self.schema)}.{quote_identifier(self.name)}"


def view_nodes(manifest: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {
        unique_id: node
        for unique_id, node in sorted(manifest["nodes"].items())
        if node["resource_type"] == "model" and node["config"]["materialized"] == "view"
    }


def view_models(manifest: Mapping[str, Any]) -> list[View]:
    """The project's models dbt materialises as views."""
    return [
        View(
            unique_id,
            node["schema"],
            node["alias"],
            tuple(
                parent for parent in node["depends_on"]["nodes"] if not parent.startswith("source.")
            ),
        )
        for unique_id, node in view_nodes(manifest).items()
    ]


def views_holding_build_time_values(manifest: Mapping[str, Any]) -> list[str]:
    """Views whose SQL, or a macro it calls however indirectly, reads a value of the
    running build: each must be created again by every build."""

    def holds_one(sql: str, macros: Iterable[str], seen: set[str]) -> bool:
        if BUILD_TIME_VALUE.search(sql):
            return True
        for macro_id in macros:
            if macro_id in seen or macro_id not in manifest["macros"]:
                continue
            seen.add(macro_id)
            macro = manifest["macros"][macro_id]
            if holds_one(macro["macro_sql"], macro["depends_on"]["macros"], seen):
                return True
        return False

    return [
        unique_id
        for unique_id, node in view_nodes(manifest).items()
        if holds_one(node["raw_code"], node["depends_on"]["macros"], set())
    ]


def views_still_bind(connection: duckdb.DuckDBPyConnection, views: Sequence[View]) -> bool:
    """Every view exists as a view and can read the tables it reads. DuckDB binds a
    view's SQL each time it is read, so a view that binds reads what the same view
    created again would; one does not when a table or column it reads is gone (an
    export's contract changed in the loader, which the build fingerprint does not
    cover)."""
    existing = set(
        connection.execute("select schema_name, view_name from duckdb_views()").fetchall()
    )
    if any((view.schema, view.name) not in existing for view in views):
        return False
    for view in views:
        try:
            connection.execute(f"select * from {view.relation} limit 0")
        except duckdb.Error:
            return False
    return True


# `fqn:*`, which dagster-dbt passes when the run builds every model, selects each data
# test itself, so no test is dropped with the views it reads (by default dbt leaves out
# the tests of excluded models).
VIEWS_LEFT_AS_THEY_ARE = [
    "--exclude",
    "config.materialized:view,resource_type:model",
    "--indirect-selection",
    "empty",
]


def with_views_materialised(
    events: Iterable[Any],
    views: Sequence[View],
    asset_key_of: Callable[[str], dg.AssetKey],
    asset_key_of_output: Callable[[str], dg.AssetKey],
) -> Iterator[Any]:
    """dbt's events, with a materialisation of each view left as it is: the view's rows
    are the night's, and lineage shows it so, with the view's code version as for any
    output. Dagster takes a multi-asset's outputs in topological order only, so each
    view's comes as soon as the nodes it reads have theirs; one whose parent failed
    gets none."""
    waiting = {view.unique_id: {asset_key_of(node) for node in view.nodes_read} for view in views}
    materialised: set[dg.AssetKey] = set()

    def views_now_current() -> Iterator[dg.MaterializeResult]:
        while ready := sorted(view for view, reads in waiting.items() if reads <= materialised):
            for view in ready:
                del waiting[view]
                materialised.add(asset_key_of(view))
                yield dg.MaterializeResult(
                    asset_key=asset_key_of(view),
                    metadata={
                        "unique_id": view,
                        "view": "as the last complete build created it, from the same code",
                    },
                )

    yield from views_now_current()
    for event in events:
        yield event
        if isinstance(event, dg.Output):
            materialised.add(asset_key_of_output(event.output_name))
        elif isinstance(event, dg.AssetMaterialization):
            materialised.add(event.asset_key)
        yield from views_now_current()
