"""What the last publish wrote, so the next can tell whether the live BI file may be
rewritten in place of being written new.

Rows deleted from a DuckDB file stay in its blocks until they are reused, so after
someone is erased only a new file is sure to hold nothing of them (`make erase` runs a
full refresh, which writes one). A live file that is not the one the last publish
wrote (restored from a backup, copied over by hand) may be older than an erasure
whatever its time says. The record names the file the last publish wrote (device,
inode, size, modification time) and the erasure list it was written after (its
SHA-256); the next publish rewrites changed rows only when both still hold.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from orchestration.ingest.privacy import ERASURES_FILE
from orchestration.json_files import replace_json
from orchestration.settings import WarehousePaths

RECORD_FILE = "bi_file_published.json"


def _erasures_digest(paths: WarehousePaths) -> str | None:
    erasures = paths.warehouse_dir / ERASURES_FILE
    return hashlib.sha256(erasures.read_bytes()).hexdigest() if erasures.exists() else None


def _file_identity(path: Path) -> list[int] | None:
    if not path.exists():
        return None
    status = path.stat()
    return [status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns]


def _current(paths: WarehousePaths) -> dict:
    return {
        "file": _file_identity(paths.analytics_database),
        "erasures_sha256": _erasures_digest(paths),
    }


def needs_new_file(paths: WarehousePaths) -> bool:
    """Whether the live BI file must be replaced by a new one: it is not the file the
    last publish recorded, or someone was erased since."""
    record = paths.warehouse_dir / RECORD_FILE
    try:
        recorded = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return recorded != _current(paths)


def record_publish(paths: WarehousePaths) -> None:
    """Record the live BI file just published and the erasure list it follows."""
    replace_json(paths.warehouse_dir / RECORD_FILE, _current(paths))
