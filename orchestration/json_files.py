"""The JSON files the warehouse keeps beside its databases."""

from __future__ import annotations

import json
import os
from pathlib import Path


def replace_json(path: Path, document: object) -> None:
    """Write `document` to `path` in one rename: a crash mid-write leaves the previous
    file whole."""
    partial = path.with_name(f"{path.name}.partial")
    partial.write_text(json.dumps(document, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(partial, path)
