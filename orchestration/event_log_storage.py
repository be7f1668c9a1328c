"""The instance's event log on SQLite: Dagster's own, keeping its connections open.

Dagster's SQLite event log creates a SQLAlchemy engine and opens a SQLite connection
for every event it stores, then closes both; closing a write-ahead-logged database's
last connection checkpoints it into the database file. A nightly refresh stores about
a thousand events (324 of them planned before its first step), and that cost 5 to 6 s
of a quiet night's 31 to 32 s at size S. This storage keeps an engine, and its open
connection, per database file (the run's, the index, at most four in all) for the life
of the process. Each event is still its own committed transaction, in the same files,
so nothing is less durable and another process (the webserver, the daemon) reads each
event as soon as it is stored. Dagster starts run workers, and by default step
processes, as new processes, not forks, so no process uses another's connections.

Dagster's SQLite storage is for one machine (`make run`, `make dev`); production runs
on PostgreSQL (deploy/dagster.production.yaml), which pools its connections already.
The hooks overridden here are private to Dagster (pinned below 1.14);
tests/test_event_log_storage.py fails if Dagster stops storing events through them.
"""

from __future__ import annotations

import contextlib
import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from dagster._config import StringSource
from dagster._core.errors import DagsterInvariantViolationError
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SqliteEventLogStorage,
)
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

if TYPE_CHECKING:
    from dagster import DagsterInstance

# Where Dagster's default storage keeps the event log under the instance's directory,
# so runs stored before or by the default storage stay in the UI's history.
EVENT_LOG_DIR = Path("history", "runs")
# A run writes to its own database and the index; a few more serve a reader.
MOST_OPEN_DATABASES = 4


def event_log_dir(dagster_home: str) -> str:
    return str(Path(dagster_home) / EVENT_LOG_DIR)


class KeptOpenSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's `SqliteEventLogStorage` with one engine per database file, kept open.

    Configured with the instance's directory (`dagster_home`), as the shipped
    dagster.yaml does from `DAGSTER_HOME`.
    """

    def __init__(self, dagster_home: str, inst_data: ConfigurableClassData | None = None):
        # Dagster's constructor already connects, to bring the index up to date.
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._dagster_home = Path(dagster_home)
        super().__init__(event_log_dir(dagster_home), inst_data)

    @classmethod
    def config_type(cls) -> dict:
        return {"dagster_home": StringSource}

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: dict
    ) -> KeptOpenSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def register_instance(self, instance: DagsterInstance) -> None:
        # An instance made from a copy of dagster.yaml elsewhere would otherwise write
        # its event log into DAGSTER_HOME's run history, and its runs into its own.
        if self._dagster_home.resolve() != Path(instance.root_directory).resolve():
            raise DagsterInvariantViolationError(
                f"The event log is configured under {self._dagster_home} (DAGSTER_HOME) "
                f"but the instance is in {instance.root_directory}: set DAGSTER_HOME to "
                "the instance's directory."
            )
        super().register_instance(instance)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock, self._engine(shard).connect() as connection:
            sqlite_connection = connection.connection.dbapi_connection
            changes_before = sqlite_connection.total_changes
            with connection.begin():
                yield connection
            if shard != INDEX_SHARD_NAME and sqlite_connection.total_changes != changes_before:
                self._announce_write(shard)

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is None:
            engine = create_engine(
                self.conn_string_for_shard(shard),
                poolclass=QueuePool,
                pool_size=1,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            )
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            self._engines[shard] = engine
            # The webserver reads run after run: keep the files of the latest open.
            if len(self._engines) > MOST_OPEN_DATABASES:
                self._engines.popitem(last=False)[1].dispose()
        self._engines.move_to_end(shard)
        return engine

    def _announce_write(self, shard: str) -> None:
        """Touch the run's database file. Watchers (the webserver's live view of a run,
        in another process) learn of new events from that file changing, which closing
        the connection used to cause; with it kept open, the events wait in the
        write-ahead log until a checkpoint. Only writes touch it: a watcher reads the
        file when it changes, and must not wake itself."""
        # The event is stored by then: a failed notice must not fail the store.
        with contextlib.suppress(OSError):
            os.utime(self.path_for_shard(shard))

    def _close_engines(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines = OrderedDict()

    def wipe(self) -> None:
        # Wiping deletes the run databases' files, which open connections would keep
        # writing to: those opened before, and any another thread opens meanwhile.
        self._close_engines()
        super().wipe()
        self._close_engines()

    def dispose(self) -> None:
        # The watchers first: they would open connections again.
        super().dispose()
        self._close_engines()
