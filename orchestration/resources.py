"""The warehouse resource: where files are, and connections to the build database."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.run_tags import is_writer
from orchestration.settings import WarehousePaths, warehouse_paths
from orchestration.warehouse_lock import warehouse_lock


class WarehouseResource(dg.ConfigurableResource):
    """Paths of the landing zone, configuration files and the DuckDB build database."""

    landing_dir: str
    warehouse_dir: str
    definitions_dir: str
    source_mapping_file: str
    memory_limit: str = "4GB"
    threads: int = 2

    @classmethod
    def from_environment(cls) -> "WarehouseResource":
        paths = warehouse_paths()
        return cls(
            landing_dir=str(paths.landing_dir),
            warehouse_dir=str(paths.warehouse_dir),
            definitions_dir=str(paths.definitions_dir),
            source_mapping_file=str(paths.source_mapping_file),
        )

    @property
    def paths(self) -> WarehousePaths:
        return WarehousePaths(
            landing_dir=Path(self.landing_dir),
            warehouse_dir=Path(self.warehouse_dir),
            definitions_dir=Path(self.definitions_dir),
            source_mapping_file=Path(self.source_mapping_file),
        )

    @property
    def duckdb_limits(self) -> dict[str, object]:
        """What every DuckDB connection of a run may use, the publish's included."""
        return {"memory_limit": self.memory_limit, "threads": self.threads}

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["WarehouseResource"]:
        """A run that writes the warehouse holds its lock from start to end."""
        if context.run is None or not is_writer(context.run):
            yield self
            return
        with warehouse_lock(
            self.paths.warehouse_dir,
            f"Dagster run {context.run.run_id}",
            waiting=context.log.warning,
        ):
            yield self

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived connection: DuckDB allows one writing process per file, and
        dbt needs the file as soon as ingestion is done with it."""
        database = self.paths.build_database
        database.parent.mkdir(parents=True, exist_ok=True)
        connection = duckdb.connect(
            str(database),
            read_only=read_only,
            config=self.duckdb_limits,
        )
        try:
            yield connection
        finally:
            connection.close()
