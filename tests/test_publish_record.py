"""The live BI file is rewritten in place only when it is the file the last publish
wrote and nobody was erased since; otherwise a new file is written."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from orchestration.ingest.privacy import ERASURES_FILE
from orchestration.publish.publish_record import RECORD_FILE, needs_new_file, record_publish
from orchestration.settings import WarehousePaths


@pytest.fixture
def paths(tmp_path: Path) -> WarehousePaths:
    return WarehousePaths(tmp_path, tmp_path, tmp_path, tmp_path / "mapping.yml")


def publish(paths: WarehousePaths, content: bytes = b"marts") -> None:
    """What a publish does to the file system: a new file renamed over the live one."""
    staging = paths.analytics_database.with_name("staging.partial")
    staging.write_bytes(content)
    os.replace(staging, paths.analytics_database)
    record_publish(paths)


def test_the_file_the_last_publish_wrote_may_be_rewritten(paths):
    publish(paths)
    assert not needs_new_file(paths)
    publish(paths, b"changed marts")
    assert not needs_new_file(paths)


def test_a_live_file_nobody_recorded_gets_a_new_file(paths):
    # The first publish after an upgrade, or a record lost or damaged.
    paths.analytics_database.write_bytes(b"marts")
    assert needs_new_file(paths)
    publish(paths)
    (paths.warehouse_dir / RECORD_FILE).write_text("{not json", encoding="utf-8")
    assert needs_new_file(paths)


def test_an_erasure_since_the_last_publish_asks_for_a_new_file(paths):
    publish(paths)
    erasures = paths.warehouse_dir / ERASURES_FILE
    erasures.write_text('{"erased": ["a"]}', encoding="utf-8")
    assert needs_new_file(paths)
    publish(paths)
    assert not needs_new_file(paths)
    # A second erasure, of the same length, written within the same second.
    erasures.write_text('{"erased": ["b"]}', encoding="utf-8")
    assert needs_new_file(paths)


@pytest.mark.parametrize("keep_times", [True, False], ids=["cp -p", "cp"])
def test_a_file_restored_from_a_backup_gets_a_new_file(paths, keep_times):
    publish(paths, b"before the erasure")
    backup = paths.warehouse_dir / "backup.duckdb"
    shutil.copy2(paths.analytics_database, backup)
    (paths.warehouse_dir / ERASURES_FILE).write_text('{"erased": ["a"]}', encoding="utf-8")
    publish(paths, b"after the erasure")
    (shutil.copy2 if keep_times else shutil.copyfile)(backup, paths.analytics_database)
    assert needs_new_file(paths)
