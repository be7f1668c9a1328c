"""The Salesforce + Marketo sample generator (seeds/generate_sample.py)."""

from __future__ import annotations

import csv
import subprocess
import sys

from orchestration.settings import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "seeds" / "sample"
GENERATOR = PROJECT_ROOT / "seeds" / "generate_sample.py"


def csv_files(root):
    return sorted(p.relative_to(root) for p in root.rglob("*.csv"))


def test_the_shipped_sample_is_what_the_generator_makes(tmp_path):
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)], check=True, capture_output=True
    )
    made = csv_files(tmp_path)
    assert made == csv_files(SAMPLE) and len(made) == 15
    for relative in made:
        assert (tmp_path / relative).read_bytes() == (SAMPLE / relative).read_bytes(), relative


def generate(out, *arguments):
    command = [sys.executable, str(GENERATOR), "--out", str(out), *arguments]
    subprocess.run(command, check=True, capture_output=True)


def column(path, index=0):
    with path.open(encoding="utf-8", newline="") as fh:
        return [row[index] for row in csv.reader(fh)][1:]


def test_shards_make_the_same_files_whatever_the_number_of_processes(tmp_path):
    # three shards of 1,000 leads, each with its own random streams and id ranges
    sharded = ["--size", "S", "--leads", "3000", "--leads-per-shard", "1000"]
    generate(tmp_path / "one", *sharded, "--workers", "1")
    generate(tmp_path / "three", *sharded, "--workers", "3")
    made = csv_files(tmp_path / "one")
    assert made == csv_files(tmp_path / "three") and len(made) == 30  # full exports and delta
    for relative in made:
        one, three = (tmp_path / "one" / relative), (tmp_path / "three" / relative)
        assert one.read_bytes() == three.read_bytes(), relative

    one = tmp_path / "one"
    assert len(column(one / "salesforce" / "Lead.csv")) == 3000
    for export in ("salesforce/Lead", "salesforce/Task", "marketing/leads", "marketing/activities"):
        ids = column(one / f"{export}.csv")
        assert len(set(ids)) == len(ids), export  # shards keep to their own id ranges
    next_day_tasks = column(one / "salesforce" / "Task" / "2026-11-01.csv")
    assert next_day_tasks and not set(next_day_tasks) & set(column(one / "salesforce" / "Task.csv"))
    emails = [e.lower() for e in column(one / "salesforce" / "Lead.csv", 3)]
    assert len(set(emails)) == len(emails)
