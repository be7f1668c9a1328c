"""The benchmark's pure helpers (bench/): no dbt, Dagster or timing runs here."""

from __future__ import annotations

import json
import sys

import pytest

from bench.direct_sql import model_order, model_statements, profile_settings
from bench.pandas_kpis import core_kpis, load_rules
from bench.report import Measurement, Ratio, compare_kpis, render_results, results_json
from orchestration.settings import DEFAULT_SOURCE_MAPPING_FILE
from tests.conftest import FIXTURE_LANDING, SHIPPED_DEFINITIONS


def model(name: str, materialized: str, *parents: str) -> dict:
    return {
        "resource_type": "model",
        "config": {"materialized": materialized},
        "depends_on": {"nodes": list(parents)},
        "database": "build",
        "schema": "marts",
        "relation_name": f'"build"."marts"."{name}"',
        "compiled_code": f"select 1 as x -- {name}",
    }


MANIFEST = {
    "nodes": {
        "model.p.mart": model("mart", "table", "model.p.int", "model.p.stg"),
        "model.p.int": model("int", "incremental", "model.p.eph"),
        "test.p.unique_mart": {"resource_type": "test", "depends_on": {"nodes": ["model.p.mart"]}},
        "model.p.eph": model("eph", "ephemeral", "model.p.stg"),
        "model.p.stg": model("stg", "view", "source.p.raw.lead"),
    }
}


def test_models_run_after_the_models_they_select_from():
    order = model_order(MANIFEST)
    assert sorted(order) == ["model.p.eph", "model.p.int", "model.p.mart", "model.p.stg"]
    assert order.index("model.p.stg") < order.index("model.p.eph") < order.index("model.p.int")
    assert order.index("model.p.int") < order.index("model.p.mart")


def test_statements_keep_materialisations_and_skip_ephemeral_models():
    creates = [s for s in model_statements(MANIFEST) if s.startswith("create or replace")]
    assert [s.split()[3] for s in creates] == ["view", "table", "table"]
    assert creates[0].startswith('create or replace view "build"."marts"."stg" as (')
    # a trailing SQL comment in a model must not comment out the closing parenthesis
    assert creates[-1].endswith("-- mart\n)")


def test_the_limit_runs_under_the_fixed_settings_of_the_dbt_profile(tmp_path):
    profiles = tmp_path / "profiles.yml"
    profiles.write_text(
        "org:\n  target: prod\n  outputs:\n"
        "    dev: {type: duckdb, settings: {threads: 8}}\n"
        "    prod:\n      type: duckdb\n      settings:\n"
        "        memory_limit: \"{{ env_var('LIMIT', '4GB') }}\"\n"
        "        preserve_insertion_order: false\n"
    )
    # The environment's settings are the benchmark's own; only the fixed one is taken.
    assert profile_settings(profiles) == {"preserve_insertion_order": False}
    assert profile_settings() == {"preserve_insertion_order": False}


def test_pandas_kpis_match_the_hand_derived_fixture_numbers():
    rules = load_rules(SHIPPED_DEFINITIONS, DEFAULT_SOURCE_MAPPING_FILE)
    kpis = core_kpis(FIXTURE_LANDING, rules)
    # tests/test_kpis_on_fixture.py: January 5 leads / 2 sales-ready, February 2 / 2,
    # March 1 / 0 (the quarantined and the deleted lead are not counted)
    assert kpis["lead_funnel"] == [["2026-01-01", 5, 2], ["2026-02-01", 2, 2], ["2026-03-01", 1, 0]]
    weekly_totals = [sum(row[i] for row in kpis["weekly_pipeline_review"]) for i in range(1, 5)]
    # leads in; picked up in 24 h: L1, L2, L8, L10; converted: L1, L2, L5; not qualified: L3, L8
    assert weekly_totals == [8, 4, 3, 2]
    assert ["2026-02-01", "webinar", 1, 2800.0] in kpis["source_performance"]


def test_compare_kpis_reports_differences_and_reads_missing_rows_as_zeros():
    marts = {
        "lead_funnel": [["2026-01-01", 5, 2]],
        "weekly_pipeline_review": [["2026-01-05", 0, 0, 0, 0]],
        "source_performance": [["2026-01-01", "webinar", 1, 100.004]],
    }
    pandas = {
        "lead_funnel": [["2026-01-01", 5, 1]],
        "weekly_pipeline_review": [],
        "source_performance": [["2026-01-01", "webinar", 1, 100.0]],
    }
    assert compare_kpis(marts, pandas) == [
        "lead_funnel [2026-01-01] sales_ready_leads: marts 2, pandas 1"
    ]


def test_results_show_measurements_ratios_and_mismatches_as_data_and_as_a_page():
    measurements = [
        Measurement("read", "plain read_csv", 6.0, 256 << 20, True),
        Measurement("A", "direct SQL", 10.0, 512 << 20, True),
        Measurement("B", "dbt build", 20.0, 512 << 20, False, "exit 1"),
        Measurement("C", "nightly", 12.0, 1 << 30, True, cpu_seconds=20.0),
        Measurement("D", "pandas", 30.0, 8 << 30, True),
    ]
    results = results_json(
        {"size": "L"},
        measurements,
        1_000_000,
        [
            Ratio("C/A", "nightly vs limit", "C", "A", "<= 1.3"),
            Ratio("C/(read+A)", "", "C", ("read", "A"), ""),
            Ratio("D/C", "", "D", "C", ">= 10"),
            Ratio("E/C", "", "E", "C", "<= 0.15"),
            Ratio("C/M", "growth", "C", "M:C", "<= 5.5"),
            Ratio("C/M CPU", "", "C", "M:C", "", cpu=True),
            Ratio("C/A CPU", "", "C", "A", "", cpu=True),
            Ratio("B/A", "", "B", "A", ""),
        ],
        ["lead_funnel [2026-01-01] leads: marts 5, pandas 4"],
        4 << 30,
        memory_variants=("A", "C"),
        reference={"M:C": Measurement("M:C", "nightly at M", 3.0, 0, True, cpu_seconds=4.0)},
    )
    # 12 s / 10 s; 12 / (6 + 10); 30 / 12; E was not measured; 12 / 3; 20 CPU s / 4
    assert results["ratios"] == {
        "C/A": {"name": "C/A: nightly vs limit", "value": 1.2, "target": "<= 1.3", "met": "yes"},
        "C/(read+A)": {"name": "C/(read+A)", "value": 0.75, "target": "", "met": "-"},
        "D/C": {"name": "D/C", "value": 2.5, "target": ">= 10", "met": "no"},
        "E/C": {"name": "E/C", "value": None, "target": "<= 0.15", "met": "n/a"},
        "C/M": {"name": "C/M: growth", "value": 4.0, "target": "<= 5.5", "met": "yes"},
        "C/M CPU": {"name": "C/M CPU", "value": 5.0, "target": "", "met": "-"},
        # A's processor time was not measured.
        "C/A CPU": {"name": "C/A CPU", "value": None, "target": "", "met": "n/a"},
        # B failed: its time says nothing about the work.
        "B/A": {"name": "B/A", "value": None, "target": "", "met": "n/a"},
    }
    assert results["variants"]["C"] == {
        "label": "nightly",
        "wall_s": 12.0,
        "cpu_s": 20.0,
        "peak_rss_mib": 1024,
        "raw_rows_per_s": 83_333,
        "ok": True,
        "note": "",
    }
    # pandas (D) is shown but not held to the warehouse's memory target.
    assert results["peak_rss"] == {
        "variants": ["A", "C"],
        "gib": 1.0,
        "target_gib": 4.0,
        "met": "yes",
    }
    assert json.loads(json.dumps(results)) == results

    text = render_results("Benchmark, size L", results)
    assert "| A | direct SQL | 10.0 | - | 512 | 100,000 | yes |  |" in text
    assert "| B | dbt build | 20.0 | - | 512 | 50,000 | **no** | exit 1 |" in text
    assert "| C | nightly | 12.0 | 20.0 | 1,024 | 83,333 | yes |  |" in text
    assert "| C/A: nightly vs limit | 1.20 | <= 1.3 | yes |" in text
    assert "| E/C | - | <= 0.15 | n/a |" in text
    assert "| peak RSS of A, C (GiB) | 1.00 | <= 4 | yes |" in text
    assert "- lead_funnel [2026-01-01] leads: marts 5, pandas 4" in text


def test_latest_json_is_written_beside_the_page_and_is_what_l_grows_against(tmp_path, monkeypatch):
    from bench import run_bench

    monkeypatch.setattr(run_bench, "RESULTS_DIR", tmp_path)
    nightly = Measurement("C", "nightly", 223.4, 3 << 30, True, cpu_seconds=301.5)
    results = results_json({"size": "M"}, [nightly], 10, [], [], 4 << 30)
    page = run_bench.write_results("M", results)

    assert page.parent == tmp_path and page.name.startswith("bench-M-")
    written = json.loads((tmp_path / "latest-M.json").read_text(encoding="utf-8"))
    assert written["size"] == "M"
    assert written["variants"]["C"]["wall_s"] == 223.4
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".json", ".md"]
    reference = run_bench.reference_measurements("L")
    assert (reference["M:C"].wall_seconds, reference["M:C"].cpu_seconds) == (223.4, 301.5)
    assert run_bench.reference_measurements("M") == {}


def test_a_run_can_be_limited_to_some_variants():
    from bench.run_bench import ALL_VARIANTS, parse_args

    assert parse_args(["--size", "L", "--variants", "C,read"]).variants == {"C", "read"}
    assert parse_args([]).variants == set(ALL_VARIANTS)
    with pytest.raises(SystemExit):
        parse_args(["--variants", "C,F"])


def test_processor_time_is_measured_apart_from_waiting(tmp_path):
    from bench.run_bench import measure

    spin = "import time\nwhile time.process_time() < 0.5: pass"
    wall, cpu, _, exit_code = measure([sys.executable, "-c", spin], tmp_path / "spin.log")
    assert exit_code == 0 and cpu >= 0.5
    wait = "import time; time.sleep(0.5)"
    wall, cpu, _, exit_code = measure([sys.executable, "-c", wait], tmp_path / "wait.log")
    assert exit_code == 0 and wall >= 0.5 and cpu < 0.4
