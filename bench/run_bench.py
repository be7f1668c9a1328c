"""`make bench`: how fast and how lean the warehouse is, on generated data of one size.

    python -m bench.run_bench [--size S|M|L|sample] [--memory-limit 3GB] [--threads 2]

The landing data (a full export plus the next day's delta, seeds/generate_sample.py) is
generated once per size under the data directory (default /tmp/revenue-bench) and reused.
Then, on the same data, each variant runs in its own process, timed and with the resident
memory of its process tree sampled:

- load: the raw layer and agreement tables, by the project's own assets (the input of A, B)
- read: every landing CSV by DuckDB's `read_csv` alone, the least ingestion can cost;
  C does that and A's work, so C/(read+A) is how close C runs to the machine's limit
- A: the compiled SQL of every dbt model, in dependency order, in one DuckDB connection
- B: `dbt build` from the command line, with the nightly run's arguments (models and data
  tests), on a copy of the raw database
- C: the whole Dagster nightly job in-process (ingest, dbt build, checks, publish)
- D: the core KPIs in plain pandas from the CSVs, cross-checked against C's marts
- E: the nightly job on full + delta over a warehouse already built from the full export
  (E0 builds that warehouse); C is the full refresh it compares with

The results go to bench/results/bench-<size>-<date>.md, bench/results/latest-<size>.json
(the numbers, ratios and targets as data) and to the console.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import duckdb
import psutil

from bench.report import (
    GIB,
    KpiRows,
    Measurement,
    Ratio,
    compare_kpis,
    render_results,
    results_json,
)
from orchestration.dbt.assets import dbt_build_args
from orchestration.settings import PROJECT_ROOT

GENERATOR = PROJECT_ROOT / "seeds" / "generate_sample.py"
DBT_PROJECT = PROJECT_ROOT / "dbt_project"
DBT = Path(sys.executable).parent / "dbt"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
SAMPLE_EVERY_SECONDS = 0.1
MEMORY_TARGET_BYTES = 4 * GIB
# The runs of the warehouse itself, which the memory target is about (D is pandas).
WAREHOUSE_VARIANTS = ("load", "A", "B", "C", "E0", "E")
ALL_VARIANTS = ("load", "read", "A", "B", "C", "D", "E")
# Issue 15's targets: a quiet night costs at most this share of a full one.
NEXT_NIGHT_SHARE = {"sample": "<= 0.15", "S": "<= 0.15", "M": "<= 0.10", "L": "<= 0.10"}
# L has 5x M's leads: its nightly may take 5.5x M's, no more (cost grows linearly).
GROWTH_FROM = {"L": ("M", "<= 5.5")}


def ratios_for(size: str) -> list[Ratio]:
    ratios = [
        Ratio(
            "C/(read+A)",
            "Dagster nightly vs reading the CSVs plus the limit",
            "C",
            ("read", "A"),
            "<= 1.3",
        ),
        Ratio("C/A", "Dagster nightly vs the model SQL alone", "C", "A", ""),
        Ratio("B/A", "dbt build vs the limit", "B", "A", ""),
        Ratio("C/D", "Dagster nightly vs pandas for three KPIs", "C", "D", "<= 1.0"),
        Ratio("E/C", "next night on a 1 % delta vs full refresh", "E", "C", NEXT_NIGHT_SHARE[size]),
    ]
    if size in GROWTH_FROM:
        smaller, target = GROWTH_FROM[size]
        reference = f"{smaller}:C"
        ratios += [
            Ratio(f"C/{smaller}", f"nightly of {size} vs of {smaller}", "C", reference, target),
            Ratio(
                f"C/{smaller} CPU", "the same in processor seconds", "C", reference, "", cpu=True
            ),
        ]
    return ratios


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=("sample", "S", "M", "L"), default="S")
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB memory_limit")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/revenue-bench"))
    parser.add_argument(
        "--variants",
        type=lambda text: set(text.split(",")),
        default=set(ALL_VARIANTS),
        help=f"comma-separated, of {','.join(ALL_VARIANTS)} (default all); e.g. C at size L, "
        "where the whole set takes hours",
    )
    args = parser.parse_args(argv)
    if unknown := args.variants - set(ALL_VARIANTS):
        parser.error(f"unknown variants {', '.join(sorted(unknown))}")
    return args


# ---- data ------------------------------------------------------------------------------


def ensure_landing(size: str, root: Path) -> Path:
    """The generated landing dir of this size, made only when no complete one exists."""
    landing = root / "landing"
    complete = landing / ".complete"
    if complete.exists():
        return landing
    shutil.rmtree(landing, ignore_errors=True)
    print(f"Generating size {size} into {landing} (once; later runs reuse it)", flush=True)
    started = time.perf_counter()
    with (root / "generate.log").open("w") as log:
        subprocess.run(
            [sys.executable, GENERATOR, "--size", size, "--out", landing, "--delta-out", landing],
            check=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    complete.write_text(f"generated in {time.perf_counter() - started:.0f} s\n")
    return landing


FULL_EXPORTS = "*/*.csv"
NEXT_DAY_FILES = "*/*/*.csv"


def link_exports(landing: Path, target: Path, pattern: str) -> Path:
    """Files of `landing` matching `pattern` appear in `target` (links, no copies).

    E's landing dir first holds the full exports only, then receives the next day's
    files: the same paths, so the nightly run sees what a real next day brings.
    """
    for export in landing.glob(pattern):
        link = target / export.relative_to(landing)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(export)
    return target


def copy_database(source_dir: Path, target_dir: Path) -> Path:
    """A fresh copy named build.duckdb: compiled SQL names the catalog after the file."""
    target_dir.mkdir(parents=True)
    return Path(shutil.copy2(source_dir / "build.duckdb", target_dir / "build.duckdb"))


def raw_rows_read(warehouse_dir: Path) -> int:
    with duckdb.connect(str(warehouse_dir / "build.duckdb"), read_only=True) as connection:
        (rows,) = connection.execute(
            "select sum(rows_read) from raw_quarantine.load_reconciliation"
        ).fetchone()
    return int(rows)


# ---- measuring ---------------------------------------------------------------------------


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def children_cpu_seconds() -> float:
    """Processor seconds of this process's children that ended, and of theirs they
    waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(
    command: Sequence[str | Path], log_path: Path, env: dict[str, str] | None = None
) -> tuple[float, float, int, int]:
    """Wall seconds, processor seconds and peak resident memory of the process tree,
    and the exit code."""
    cpu_before = children_cpu_seconds()
    started = time.perf_counter()
    peak = 0
    with log_path.open("w") as log:
        process = psutil.Popen(
            [str(part) for part in command],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            cwd=PROJECT_ROOT,
        )
        while process.poll() is None:
            peak = max(peak, tree_rss(process))
            time.sleep(SAMPLE_EVERY_SECONDS)
    wall = time.perf_counter() - started
    return wall, children_cpu_seconds() - cpu_before, peak, process.returncode


class Bench:
    """One benchmark run: its working directory, settings and measurements."""

    def __init__(self, work: Path, memory_limit: str, threads: int) -> None:
        self.work = work
        self.memory_limit = memory_limit
        self.threads = threads
        self.measurements: list[Measurement] = []
        (work / "logs").mkdir(parents=True)

    def run_variant(self, variant: str, label: str, name: str, arguments: dict) -> dict:
        """Run `bench.variants <name>` in a child process; returns what it reported."""
        settings = {"memory_limit": self.memory_limit, "threads": self.threads}
        arguments_file = self.work / "logs" / f"{variant}.arguments.json"
        result_file = self.work / "logs" / f"{variant}.result.json"
        arguments_file.write_text(json.dumps({**settings, **arguments}, default=str))
        command = [sys.executable, "-m", "bench.variants", name, arguments_file, result_file]
        self._measure(variant, label, command)
        return json.loads(result_file.read_text()) if result_file.exists() else {}

    def _measure(
        self, variant: str, label: str, command: Sequence[str | Path], env: dict | None = None
    ) -> bool:
        print(f"{variant}: {label} ...", end=" ", flush=True)
        log = self.work / "logs" / f"{variant}.log"
        seconds, cpu, peak, exit_code = measure(command, log, env)
        note = "" if exit_code == 0 else f"exit {exit_code}, see {log}"
        self.measurements.append(
            Measurement(variant, label, seconds, peak, exit_code == 0, note, cpu)
        )
        print(f"{seconds:.1f} s ({cpu:.1f} s CPU), {peak / (1 << 20):,.0f} MiB", flush=True)
        return exit_code == 0

    def dbt(self, variant: str, label: str, command: Sequence[str], database: Path) -> bool:
        """A dbt command on `database`, with its own target and log dirs."""
        env = {
            "REVENUE_BUILD_DATABASE": str(database),
            "REVENUE_DUCKDB_MEMORY_LIMIT": self.memory_limit,
            "REVENUE_DUCKDB_THREADS": str(self.threads),
        }
        arguments = [
            DBT,
            *command,
            "--project-dir",
            DBT_PROJECT,
            "--profiles-dir",
            DBT_PROJECT,
            "--target-path",
            self.work / f"dbt_target_{variant}",
            "--log-path",
            self.work / "logs" / f"dbt_{variant}",
        ]
        return self._measure(variant, label, arguments, env)


# ---- the marts' side of the cross-check ----------------------------------------------------

MART_KPI_QUERIES = {
    "lead_funnel": """
        select strftime(created_month, '%Y-%m-%d'), count(*),
               count(*) filter (where meets_definition)
        from lead_funnel group by 1 order by 1
    """,
    "weekly_pipeline_review": """
        select strftime(week_start, '%Y-%m-%d'), leads_in, picked_up_within_24h,
               qualified_opportunities, not_qualified
        from weekly_pipeline_review order by 1
    """,
    "source_performance": """
        select strftime(month, '%Y-%m-%d'), source_channel, sum(leads)::bigint,
               sum(cost_eur)::double
        from source_performance group by 1, 2 order by 1, 2
    """,
}


def mart_kpis(analytics_database: Path) -> KpiRows:
    with duckdb.connect(str(analytics_database), read_only=True) as connection:
        return {
            kpi: [list(row) for row in connection.execute(query).fetchall()]
            for kpi, query in MART_KPI_QUERIES.items()
        }


# ---- the run -----------------------------------------------------------------------------


def run(args: argparse.Namespace) -> Path:
    root = args.data_dir / args.size
    root.mkdir(parents=True, exist_ok=True)
    landing = ensure_landing(args.size, root)
    work = root / "run"
    shutil.rmtree(work, ignore_errors=True)
    bench = Bench(work, args.memory_limit, args.threads)
    next_day_landing = link_exports(landing, work / "landing_next_day", FULL_EXPORTS)

    wanted = args.variants
    raw = work / "raw"
    if wanted & {"load", "A", "B"}:
        bench.run_variant(
            "load",
            "raw layer by the project's loader (input of A and B)",
            "load_raw",
            {"landing_dir": landing, "warehouse_dir": raw},
        )
    if "read" in wanted:
        (work / "read").mkdir()
        bench.run_variant(
            "read",
            "every landing CSV by DuckDB's read_csv, nothing else",
            "plain_read",
            {"landing_dir": landing, "database": work / "read" / "plain.duckdb"},
        )
    if "A" in wanted:
        database_a = copy_database(raw, work / "a")
        compiled = bench.dbt(
            "compile", "dbt compile for A (not a variant)", ["compile"], database_a
        )
        if compiled:
            bench.run_variant(
                "A",
                "compiled model SQL in one DuckDB connection",
                "direct_sql",
                {"database": database_a, "manifest": work / "dbt_target_compile" / "manifest.json"},
            )
    if "B" in wanted:
        bench.dbt(
            "B",
            "`dbt build` (models + data tests) from the CLI",
            dbt_build_args(full_refresh=True),
            copy_database(raw, work / "b"),
        )
    nightly = pandas = next_day = {}
    if "C" in wanted:
        nightly = bench.run_variant(
            "C",
            "Dagster nightly job in-process (full refresh)",
            "nightly",
            {"landing_dir": landing, "warehouse_dir": work / "c"},
        )
    if "D" in wanted:
        pandas = bench.run_variant(
            "D", "pandas, core KPIs from the CSVs", "pandas_kpis", {"landing_dir": landing}
        )
    if "E" in wanted:
        bench.run_variant(
            "E0",
            "nightly on the full export only (prepares E)",
            "nightly",
            {"landing_dir": next_day_landing, "warehouse_dir": work / "e"},
        )
        link_exports(landing, next_day_landing, NEXT_DAY_FILES)
        next_day = bench.run_variant(
            "E",
            "nightly after the next day's files arrive, over E0's warehouse",
            "nightly",
            {"landing_dir": next_day_landing, "warehouse_dir": work / "e"},
        )
    # What the loader read: from the raw layer, or from the nightly's own warehouse.
    loaded = next((d for d in (raw, work / "c", work / "e") if (d / "build.duckdb").exists()), None)
    rows_in = raw_rows_read(loaded) if loaded else 0

    mismatches = (
        ["C or D did not finish: nothing to compare"]
        if {"C", "D"} <= wanted
        else ["not compared: C and D were not both measured in this run"]
    )
    if nightly.get("success") and pandas.get("success"):
        mismatches = compare_kpis(mart_kpis(work / "c" / "analytics.duckdb"), pandas["kpis"])
    failed_checks = [
        f"{variant}: {check}"
        for variant, result in (("C", nightly), ("E", next_day))
        for check in result.get("failed_checks", [])
    ]
    results = results_json(
        run_settings(args, landing, rows_in, failed_checks),
        bench.measurements,
        rows_in,
        ratios_for(args.size),
        mismatches,
        MEMORY_TARGET_BYTES,
        memory_variants=WAREHOUSE_VARIANTS,
        reference=reference_measurements(args.size),
    )
    return write_results(args.size, results)


def reference_measurements(size: str) -> dict[str, Measurement]:
    """The committed nightly of the size L's growth is measured against, as "M:C"."""
    if size not in GROWTH_FROM:
        return {}
    smaller = GROWTH_FROM[size][0]
    latest = RESULTS_DIR / f"latest-{smaller}.json"
    if not latest.exists():
        return {}
    nightly = json.loads(latest.read_text(encoding="utf-8"))["variants"]["C"]
    return {
        f"{smaller}:C": Measurement(
            f"{smaller}:C",
            nightly["label"],
            nightly["wall_s"],
            nightly["peak_rss_mib"] << 20,
            nightly["ok"],
            cpu_seconds=nightly.get("cpu_s"),
        )
    }


def run_settings(
    args: argparse.Namespace, landing: Path, rows_in: int, failed_checks: list[str]
) -> dict[str, str]:
    landing_bytes = sum(path.stat().st_size for path in landing.glob("**/*.csv"))
    packages = ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "dagster-dbt", "pandas")
    return {
        "size": args.size,
        "raw rows in (all files, as the loader read them)": f"{rows_in:,}",
        "landing CSVs": f"{landing_bytes / 1e6:,.0f} MB in {landing}",
        "DuckDB memory_limit / threads": f"{args.memory_limit} / {args.threads}",
        "dbt threads": "2 models at a time (profiles.yml); DuckDB threads as above",
        "machine": (
            f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / GIB:.0f} GiB, "
            f"{platform.platform()}"
        ),
        "versions": ", ".join(f"{p} {version(p)}" for p in packages),
        "checks not passed (C, E)": "; ".join(failed_checks) or "none",
    }


def write_results(size: str, results: dict) -> Path:
    """The dated Markdown page and latest-<size>.json; returns the page."""
    RESULTS_DIR.mkdir(exist_ok=True)
    today = dt.date.today().isoformat()
    page = RESULTS_DIR / f"bench-{size}-{today}.md"
    text = render_results(f"Benchmark, size {size}, {today}", results)
    document = json.dumps({"size": size, "date": today, **results}, indent=2) + "\n"
    for target, content in ((page, text), (RESULTS_DIR / f"latest-{size}.json", document)):
        partial = target.with_suffix(".tmp")
        partial.write_text(content, encoding="utf-8")
        partial.replace(target)
    return page


def main(argv: Sequence[str] | None = None) -> int:
    results = run(parse_args(argv))
    print()
    print(results.read_text(encoding="utf-8"))
    print(f"Written to {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
