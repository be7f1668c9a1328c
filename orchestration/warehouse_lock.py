"""One writer per warehouse directory: `make run`, `make erase` and the refresh runs.

DuckDB lets one process write `build.duckdb`: two refreshes at once both fail with lock
errors, and an erasure would delete the file under a running refresh. Each takes this
lock, an exclusive `flock` on `warehouse.lock` in the warehouse directory, for its
whole length; a second one says who holds the warehouse and waits until it is free.
The kernel releases the lock when its holder ends, however it ends (`kill -9`
included), so a dead run never leaves the warehouse locked.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = "warehouse.lock"

# Lock files this process holds, and how many times over: `make erase` holds the lock
# around the refresh it runs, whose own step takes it again.
_held: dict[Path, int] = {}


def _tell_waiting(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def warehouse_lock(
    warehouse_dir: Path, holder: str, waiting: Callable[[str], None] = _tell_waiting
) -> Iterator[None]:
    """Hold the warehouse for `holder` (e.g. "make run"); if another process holds it,
    pass `waiting` a message naming that process, then wait for it to finish."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = (warehouse_dir / LOCK_FILE).resolve()
    if path in _held:
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    with path.open("a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            other = lock.read().strip() or "another process"
            waiting(f"The warehouse {warehouse_dir} is in use by {other}; waiting for it to end.")
            fcntl.flock(lock, fcntl.LOCK_EX)
        lock.truncate(0)
        lock.write(f"{holder} (pid {os.getpid()}, since {dt.datetime.now():%Y-%m-%d %H:%M:%S})")
        lock.flush()
        _held[path] = 1
        try:
            yield
        finally:
            del _held[path]
            lock.truncate(0)
            lock.flush()
            fcntl.flock(lock, fcntl.LOCK_UN)
