"""What each measured variant runs, one per process so its wall time and memory are its own.

    python -m bench.variants <variant> <arguments.json> <result.json>

The driver (bench/run_bench.py) writes the arguments, starts this module in a child
process, samples the process tree's memory, and reads the result back. Each variant
imports what it uses when it runs, so the pandas variant does not pay for importing
Dagster.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.settings import (
    DEFAULT_DEFINITIONS_DIR,
    DEFAULT_SOURCE_MAPPING_FILE,
    PROJECT_ROOT,
)

if TYPE_CHECKING:
    from orchestration.resources import WarehouseResource

Arguments = dict[str, str | int]


def warehouse(arguments: Arguments) -> WarehouseResource:
    from orchestration.resources import WarehouseResource

    return WarehouseResource(
        landing_dir=str(arguments["landing_dir"]),
        warehouse_dir=str(arguments["warehouse_dir"]),
        definitions_dir=str(DEFAULT_DEFINITIONS_DIR),
        source_mapping_file=str(DEFAULT_SOURCE_MAPPING_FILE),
        memory_limit=str(arguments["memory_limit"]),
        threads=int(arguments["threads"]),
    )


def load_raw(arguments: Arguments) -> dict:
    """The raw layer and the agreement tables, loaded by the project's own assets."""
    import dagster as dg

    from orchestration.agreements.assets import agreed_definitions, source_mapping
    from orchestration.ingest.assets import export_assets
    from orchestration.reports.review_log import weekly_reviews_rendered

    result = dg.materialize(
        [*export_assets, agreed_definitions, source_mapping, weekly_reviews_rendered],
        resources={"warehouse": warehouse(arguments)},
        raise_on_error=False,
    )
    return {"success": result.success}


def plain_read(arguments: Arguments) -> dict:
    """Every landing CSV into a table by DuckDB's reader with its defaults, skipping rows
    it cannot parse: no validation, casts, pseudonyms or bookkeeping. The least any
    ingestion of these files costs on this machine, the part of C that A leaves out."""
    import duckdb

    files = sorted(Path(str(arguments["landing_dir"])).rglob("*.csv"))
    config = {"memory_limit": str(arguments["memory_limit"]), "threads": int(arguments["threads"])}
    with duckdb.connect(str(arguments["database"]), config=config) as connection:
        for index, path in enumerate(files):
            connection.execute(
                f"create table export_{index} as select * from read_csv(?, ignore_errors = true)",
                [str(path)],
            )
    return {"success": True}


def direct_sql(arguments: Arguments) -> dict:
    from bench.direct_sql import build_models

    statements = build_models(
        Path(str(arguments["database"])),
        Path(str(arguments["manifest"])),
        str(arguments["memory_limit"]),
        int(arguments["threads"]),
    )
    return {"success": True, "statements": statements}


def nightly(arguments: Arguments) -> dict:
    """The whole nightly job in this process, as `make run` does it."""
    import dagster as dg

    from orchestration.definitions import build_definitions
    from orchestration.nightly import check_report, run_nightly_refresh

    resource = warehouse(arguments)
    instance_dir = Path(resource.warehouse_dir) / "dagster_home"
    instance_dir.mkdir(parents=True, exist_ok=True)
    # The instance `make run` records into: the shipped dagster.yaml under DAGSTER_HOME.
    shutil.copy(PROJECT_ROOT / "dagster.yaml", instance_dir / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(instance_dir)
    with dg.DagsterInstance.get() as instance:
        result = run_nightly_refresh(build_definitions(resource), instance)
    return {
        "success": result.success,
        "failed_checks": check_report(result.get_asset_check_evaluations()),
    }


def pandas_kpis(arguments: Arguments) -> dict:
    from bench.pandas_kpis import core_kpis, load_rules
    from orchestration.agreements.history import load_agreement_history

    # One version judges every lead: the shipped agreement has only one.
    latest = load_agreement_history(DEFAULT_DEFINITIONS_DIR).latest
    rules = load_rules(latest.path, DEFAULT_SOURCE_MAPPING_FILE)
    return {"success": True, "kpis": core_kpis(Path(str(arguments["landing_dir"])), rules)}


VARIANTS: dict[str, Callable[[Arguments], dict]] = {
    "load_raw": load_raw,
    "plain_read": plain_read,
    "direct_sql": direct_sql,
    "nightly": nightly,
    "pandas_kpis": pandas_kpis,
}


def main(argv: list[str]) -> int:
    name, arguments_file, result_file = argv
    arguments = json.loads(Path(arguments_file).read_text(encoding="utf-8"))
    result = VARIANTS[name](arguments)
    Path(result_file).write_text(json.dumps(result), encoding="utf-8")
    return 0 if result["success"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
