"""The dbt views a quiet night need not create again.

A view holds no rows: it reads its sources' current rows whenever it is queried, so a
night with new data needs no new view. Creating the staging and union views again
costs a quiet night at S about 4 of its 18 s of dbt (each view a few statements and
dbt's bookkeeping). They are left as they are when the last complete build made them
from the same code (the build fingerprint, build_state.py), none can compile to other
SQL on another build, and each still binds to the tables it reads; their data tests
run all the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

import dagster as dg
import duckdb
import jinja2
import jinja2.filters
from jinja2 import meta, nodes

from orchestration.duckdb_sql import quote_identifier

# What a view's Jinja may read and still compile to the same SQL on every build: the
# relations it reads and its configuration. Anything else dbt offers may differ from
# one build to the next (run_started_at, invocation_id, modules.datetime, var,
# env_var, run_query and other dbt macros reading the database), and a view left as it
# is would keep the value of the build that created it.
FIXED_NAMES = frozenset({"ref", "source", "config"})
# config's own functions; its attributes hold the whole node (config.model).
CONFIG_FUNCTIONS = frozenset({"get", "require"})
# Jinja's filters give the same output for the same input, but `random`, and `attr`,
# which reaches config's attributes as a filter.
FIXED_FILTERS = frozenset(jinja2.filters.FILTERS) - {"random", "attr"}
# Configuration that runs SQL besides the view's own.
HOOKS = ("pre-hook", "post-hook", "sql_header")
# Macros of dbt's that write a view's DDL, which a project may override with its own.
VIEW_DDL_MACRO = re.compile(r"(materialization_view_\w+|(\w+__)?(get_)?create_view_as(_sql)?)")


@dataclass(frozen=True)
class View:
    unique_id: str
    schema: str
    name: str

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
        View(unique_id, node["schema"], node["alias"])
        for unique_id, node in view_nodes(manifest).items()
    ]


def views_varying_by_build(manifest: Mapping[str, Any]) -> list[str]:
    """Views whose SQL may compile otherwise on another build: each reads a name other
    than ref, source, config's own functions and the project's macros that read only
    those (however indirectly), uses a filter that is not fixed, or has hooks. Such a
    view must be created again by every build; so must every view when the project
    writes views' DDL with macros of its own."""
    project = manifest["metadata"]["project_name"]
    project_macros = {
        macro["name"] for macro in manifest["macros"].values() if macro["package_name"] == project
    }
    if any(VIEW_DDL_MACRO.fullmatch(name) for name in project_macros):
        return list(view_nodes(manifest))
    parser = jinja2.Environment(extensions=["jinja2.ext.do"])

    def names_read(code: str) -> set[str] | None:
        """The names the code reads from dbt's context, or None for code read otherwise
        than by name (config's attributes, a filter not fixed) or not read at all."""
        try:
            tree = parser.parse(code)
        except jinja2.TemplateSyntaxError:
            return None
        reaches_into_config = any(
            isinstance(node.node, nodes.Name)
            and node.node.name in FIXED_NAMES
            and not (isinstance(node, nodes.Getattr) and node.attr in CONFIG_FUNCTIONS)
            for node in tree.find_all((nodes.Getattr, nodes.Getitem))
        )
        filters = {node.name for node in tree.find_all(nodes.Filter)}
        if reaches_into_config or not filters <= FIXED_FILTERS:
            return None
        return meta.find_undeclared_variables(tree)

    def fixed(code: str, macro_ids: Iterable[str]) -> bool:
        to_read, seen = [(code, macro_ids)], set()
        while to_read:
            code, macro_ids = to_read.pop()
            macros = {
                macro_id.rsplit(".", 1)[-1]: macro_id
                for macro_id in macro_ids
                if manifest["macros"].get(macro_id, {}).get("package_name") == project
            }
            names = names_read(code)
            if names is None or not names - FIXED_NAMES <= macros.keys():
                return False
            for name in names - FIXED_NAMES - seen:
                seen.add(name)
                macro = manifest["macros"][macros[name]]
                to_read.append((macro["macro_sql"], macro["depends_on"]["macros"]))
        return True

    return [
        unique_id
        for unique_id, node in view_nodes(manifest).items()
        if any(node["config"].get(hook) for hook in HOOKS)
        or not fixed(node["raw_code"], node["depends_on"]["macros"])
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


# The dbt selector of the views, for `--exclude`. With `--indirect-selection empty`,
# `fqn:*`, which dagster-dbt passes when the run builds every model, selects each data
# test itself, so no test is dropped with the views it reads (by default dbt leaves out
# the tests of excluded models).
VIEWS_LEFT_AS_THEY_ARE = "config.materialized:view,resource_type:model"


def with_views_materialised(
    events: Iterable[Any],
    views: Mapping[dg.AssetKey, str],
    asset_deps: Mapping[dg.AssetKey, AbstractSet[dg.AssetKey]],
    asset_key_of_output: Callable[[str], dg.AssetKey],
    checks_of: Callable[[dg.AssetKey], Iterable[dg.AssetCheckKey]],
    passed_already: AbstractSet[dg.AssetCheckKey] = frozenset(),
) -> Iterator[Any]:
    """dbt's events, with a materialisation of each view left as it is (`views`: asset
    key, dbt unique id): the view's rows are the night's, and lineage shows it so, with
    the view's code version as for any output.

    A view's comes when dbt would have built it: once dbt has started, the assets of
    this step it reads have theirs, and the tests of everything it reads (sources
    included) have passed or warned. At the latest it comes just before an event about
    the view (its tests) or an asset reading it: Dagster takes a step's outputs in the
    order of its own dependencies (`asset_deps`, which pass over ephemeral models) and
    refuses any other, and a check result belongs to the materialisation before it. A
    view whose parent failed, or failed a test, gets none, as dbt would skip it. Tests
    not run, known to pass (`passed_already`), are not waited for.
    """
    reads = {key: set(asset_deps[key]) & asset_deps.keys() for key in views}
    read_by = {
        key: {reader for reader, parents in asset_deps.items() if key in parents} for key in views
    }
    tests_awaited = {
        key: {check for parent in asset_deps[key] for check in checks_of(parent)} for key in views
    }
    waiting = set(views)
    materialised: set[dg.AssetKey] = set()
    passed = set(passed_already)

    def report(key: dg.AssetKey) -> dg.MaterializeResult:
        waiting.discard(key)
        materialised.add(key)
        return dg.MaterializeResult(
            asset_key=key,
            metadata={
                "unique_id": views[key],
                "view": "as the last complete build created it, from the same code",
            },
        )

    def in_order(keys: Iterable[dg.AssetKey]) -> list[dg.AssetKey]:
        return sorted(keys, key=dg.AssetKey.to_user_string)

    def views_now_current() -> Iterator[dg.MaterializeResult]:
        while ready := in_order(
            key for key in waiting if reads[key] <= materialised and tests_awaited[key] <= passed
        ):
            for key in ready:
                yield report(key)

    def views_due_before(event_key: dg.AssetKey) -> Iterator[dg.MaterializeResult]:
        due = {key for key in waiting if event_key == key or event_key in read_by[key]}
        while more := {parent for key in due for parent in reads[key] & waiting} - due:
            due |= more
        while ready := in_order(key for key in due if not reads[key] & due):
            for key in ready:
                due.discard(key)
                if reads[key] <= materialised:
                    yield report(key)
                else:
                    waiting.discard(key)

    for event in events:
        key = (
            asset_key_of_output(event.output_name)
            if isinstance(event, dg.Output)
            else getattr(event, "asset_key", None)
        )
        if key is not None:
            yield from views_due_before(key)
        yield event
        if isinstance(event, dg.Output | dg.AssetMaterialization):
            materialised.add(key)
        elif isinstance(event, dg.AssetCheckResult) and (
            event.passed or event.severity == dg.AssetCheckSeverity.WARN
        ):
            passed.add(dg.AssetCheckKey(event.asset_key, event.check_name))
        yield from views_now_current()
