"""The production instance config works against a real PostgreSQL server.

The test starts its own throwaway server (initdb into a temporary directory, a free
localhost port, password authentication over TCP) and loads
deploy/dagster.production.yaml with the DAGSTER_PG_* variables pointing at it. The
server binaries are a test requirement (`make test` installs them): missing binaries
fail the test rather than skip it, so CI cannot silently stop covering production.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import psycopg2
import pytest
import yaml
from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

from orchestration.settings import PROJECT_ROOT

PRODUCTION_CONFIG = PROJECT_ROOT / "deploy" / "dagster.production.yaml"
SERVER_BINARIES = ("initdb", "pg_ctl")
# initdb refuses to run as root; as root the server runs as the Debian package's user.
SERVER_USER_WHEN_ROOT = "postgres"
DB_USER = "dagster"
DB_PASSWORD = "test-only-password"
DB_NAME = "dagster"
START_TIMEOUT_S = 60
CONNECTION_ENV = {
    "hostname": "DAGSTER_PG_HOST",
    "port": "DAGSTER_PG_PORT",
    "username": "DAGSTER_PG_USER",
    "password": "DAGSTER_PG_PASSWORD",
    "db_name": "DAGSTER_PG_DB",
}


@dataclass(frozen=True)
class PostgresServer:
    port: int
    env: dict[str, str]

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with (
            psycopg2.connect(
                host="127.0.0.1",
                port=self.port,
                user=DB_USER,
                password=DB_PASSWORD,
                dbname=DB_NAME,
            ) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
            return cursor.fetchall()


def server_bin_dir() -> Path:
    """Where initdb and pg_ctl are: pg_config's answer, Debian's versioned dirs, or PATH."""
    candidates = []
    if pg_config := shutil.which("pg_config"):
        candidates.append(
            subprocess.run([pg_config, "--bindir"], capture_output=True, text=True).stdout.strip()
        )
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if pg_ctl := shutil.which("pg_ctl"):
        candidates.append(str(Path(pg_ctl).resolve().parent))
    for candidate in candidates:
        if candidate and all((Path(candidate) / binary).is_file() for binary in SERVER_BINARIES):
            return Path(candidate)
    pytest.fail(
        "PostgreSQL server binaries (initdb, pg_ctl) not found; `make test` installs them "
        "(make postgres-server), or install Debian's `postgresql` package.",
        pytrace=False,
    )


def run_as_server_user(command: list[str], cwd: Path, log_file: Path | None = None) -> None:
    """Run a server command as the user that owns the data directory."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", SERVER_USER_WHEN_ROOT, "--", *command]
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        server_log = log_file.read_text() if log_file and log_file.is_file() else ""
        pytest.fail(
            f"{' '.join(command)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}\n{server_log}",
            pytrace=False,
        )


def server_root(cleanup: ExitStack) -> Path:
    """A private directory the server user owns (pytest's tmp dirs are root-only)."""
    root = Path(tempfile.mkdtemp(prefix="revenue-warehouse-pg-"))
    cleanup.callback(shutil.rmtree, root, ignore_errors=True)
    if os.geteuid() == 0:
        try:
            server_user = pwd.getpwnam(SERVER_USER_WHEN_ROOT)
        except KeyError:
            pytest.fail(
                f"running as root and there is no `{SERVER_USER_WHEN_ROOT}` user to run "
                "PostgreSQL as; install Debian's `postgresql` package (make postgres-server).",
                pytrace=False,
            )
        os.chown(root, server_user.pw_uid, server_user.pw_gid)
    return root


def init_cluster(bin_dir: Path, root: Path) -> Path:
    """A new cluster whose TCP logins need DB_USER's password, as a production server's do."""
    data_dir, password_file = root / "data", root / "password"
    password_file.write_text(DB_PASSWORD)
    if os.geteuid() == 0:
        shutil.chown(password_file, SERVER_USER_WHEN_ROOT)
    run_as_server_user(
        [
            str(bin_dir / "initdb"),
            f"--pgdata={data_dir}",
            f"--username={DB_USER}",
            f"--pwfile={password_file}",
            "--auth-host=scram-sha-256",
            "--auth-local=peer",
            "--no-sync",
        ],
        cwd=root,
    )
    return data_dir


def start_server(bin_dir: Path, data_dir: Path, port: int, cleanup: ExitStack) -> None:
    root = data_dir.parent
    pg_ctl = [str(bin_dir / "pg_ctl"), f"--pgdata={data_dir}"]
    # Its own port and socket directory, so a system PostgreSQL is never touched.
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    log_file = root / "server.log"
    run_as_server_user(
        [
            *pg_ctl,
            "-o",
            options,
            f"--log={log_file}",
            "--wait",
            f"--timeout={START_TIMEOUT_S}",
            "start",
        ],
        cwd=root,
        log_file=log_file,
    )
    cleanup.callback(run_as_server_user, [*pg_ctl, "--mode=fast", "--wait", "stop"], root)


def create_database(port: int) -> None:
    # Not `with connection:`, which opens a transaction that CREATE DATABASE refuses.
    connection = psycopg2.connect(
        host="127.0.0.1", port=port, user=DB_USER, password=DB_PASSWORD, dbname="postgres"
    )
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"create database {DB_NAME}")
    finally:
        connection.close()


def free_local_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = server_bin_dir()
    with ExitStack() as cleanup:
        data_dir = init_cluster(bin_dir, server_root(cleanup))
        port = free_local_port()
        start_server(bin_dir, data_dir, port, cleanup)
        create_database(port)
        settings = {
            "hostname": "127.0.0.1",
            "port": str(port),
            "username": DB_USER,
            "password": DB_PASSWORD,
            "db_name": DB_NAME,
        }
        yield PostgresServer(
            port, {CONNECTION_ENV[field]: value for field, value in settings.items()}
        )


@dg.asset
def heartbeat() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"ok": True})


@pytest.fixture
def production_instance(
    postgres_server: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dg.DagsterInstance]:
    for name, value in postgres_server.env.items():
        monkeypatch.setenv(name, value)
    shutil.copy(PRODUCTION_CONFIG, tmp_path / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        yield instance


def test_production_config_stores_runs_and_events_in_postgres(postgres_server, production_instance):
    result = dg.materialize([heartbeat], instance=production_instance)

    assert result.success
    assert postgres_server.query("select status from runs where run_id = %s", [result.run_id]) == [
        ("SUCCESS",)
    ]
    assert postgres_server.query(
        "select asset_key from event_logs where run_id = %s "
        "and dagster_event_type = 'ASSET_MATERIALIZATION'",
        [result.run_id],
    ) == [(dg.AssetKey("heartbeat").to_string(),)]
    assert production_instance.get_latest_materialization_event(dg.AssetKey("heartbeat"))


def test_production_config_keeps_schedules_in_postgres_too(production_instance):
    assert isinstance(production_instance.run_storage, PostgresRunStorage)
    assert isinstance(production_instance.event_log_storage, PostgresEventLogStorage)
    assert isinstance(production_instance.schedule_storage, PostgresScheduleStorage)


def test_production_config_takes_connection_settings_only_from_the_environment():
    """No host, user or password is written into the file; the server's env supplies them."""
    postgres_db = yaml.safe_load(PRODUCTION_CONFIG.read_text())["storage"]["postgres"][
        "postgres_db"
    ]
    assert {field: postgres_db[field] for field in CONNECTION_ENV} == {
        field: {"env": name} for field, name in CONNECTION_ENV.items()
    }
