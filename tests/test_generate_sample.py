"""The Salesforce + Marketo sample generator (seeds/generate_sample.py)."""

from __future__ import annotations

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
