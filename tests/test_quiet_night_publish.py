"""The nightly's publish: a new BI file the first night, the changed rows only in a
copy of it on a quiet night after, and a new file again once someone is erased."""

from __future__ import annotations

from dataclasses import dataclass

import dagster as dg
import pytest

from orchestration.definitions import build_definitions
from orchestration.ingest.privacy import Erasures, write_erasures
from orchestration.nightly import run_nightly_refresh
from tests.conftest import FIXTURE_LANDING, make_warehouse

BI_FILE = dg.AssetKey(["bi", "analytics_duckdb"])
NEW_FILE = "a new file"
CHANGED_ROWS = "changed rows only, in a copy of the previous version"


@dataclass(frozen=True)
class Nights:
    first: str
    quiet: str
    after_erasure: str


def written(result: dg.ExecuteInProcessResult) -> str:
    assert result.success
    (publish,) = [
        event.materialization
        for event in result.get_asset_materialization_events()
        if event.asset_key == BI_FILE
    ]
    return publish.metadata["written"].value


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> Nights:
    warehouse = make_warehouse(FIXTURE_LANDING, tmp_path_factory.mktemp("quiet_nights"))
    instance = dg.DagsterInstance.ephemeral()
    first = written(run_nightly_refresh(build_definitions(warehouse), instance))
    quiet = written(run_nightly_refresh(build_definitions(warehouse), instance))
    # `make erase` adds to the list and runs a full refresh; a nightly that finds the
    # list changed since its last publish writes a new file on its own too.
    write_erasures(
        warehouse.paths.warehouse_dir, Erasures(pseudonyms=("nobody in the data",), person_ids=())
    )
    after_erasure = written(run_nightly_refresh(build_definitions(warehouse), instance))
    return Nights(first, quiet, after_erasure)


def test_the_first_night_writes_a_new_file(nights):
    assert nights.first == NEW_FILE


def test_a_quiet_night_rewrites_the_changed_rows_of_the_file_it_wrote(nights):
    assert nights.quiet == CHANGED_ROWS


def test_a_night_after_an_erasure_writes_a_new_file(nights):
    assert nights.after_erasure == NEW_FILE
