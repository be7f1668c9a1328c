"""Shards: consecutive leads made in parallel by worker processes, and their part files
concatenated, in order, into one file per export.
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sample_generator.generator import SampleGenerator
from sample_generator.output import Output
from sample_generator.plans import Shard, Stats


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of an export file, with its header line."""

    path: Path
    lines: int
    rows: int


def parts_of(out: Output) -> dict[str, Part]:
    return {name: Part(sink.path, sink.lines, sink.rows) for name, sink in out.sinks.items()}


# The plan and its shards, in each process. Workers get them once, when they start (forked
# processes share the parent's memory), so a shard's task is only its number.
_plan: tuple[SampleGenerator, list[Shard]] | None = None


def _set_plan(generator: SampleGenerator, shards: list[Shard]) -> None:
    global _plan
    _plan = generator, shards


def make_shard(
    number: int, parts: Path, next_day: bool
) -> tuple[dict[str, Part], dict[str, Part], Stats]:
    """Write one shard's part files under `parts`: its full export's, its next day's."""
    assert _plan is not None
    planned, shards = _plan
    shard = shards[number]
    generator = planned.for_shard(shard)
    out = Output(parts / f"{number:05d}")
    delta = Output(parts / f"{number:05d}-next-day") if next_day else None
    try:
        generator.run_shard(shard, out, delta)
    finally:
        for output in (out, delta):
            if output is not None:
                output.close()
    return parts_of(out), parts_of(delta) if delta else {}, generator.stats


def made_shards(
    generator: SampleGenerator, shards: list[Shard], parts: Path, next_day: bool, workers: int
) -> Iterator[tuple[dict[str, Part], dict[str, Part], Stats]]:
    """Each shard's parts and stats, in shard order, made by up to `workers` processes."""
    make = functools.partial(make_shard, parts=parts, next_day=next_day)
    if min(workers, len(shards)) == 1:
        _set_plan(generator, shards)
        yield from map(make, range(len(shards)))
        return
    with ProcessPoolExecutor(workers, initializer=_set_plan, initargs=(generator, shards)) as pool:
        yield from pool.map(make, range(len(shards)))


class ExportFile:
    """An export file put together from parts: the first whole, the others without header."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines = self.rows = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = path.open("wb")

    def append(self, part: Part) -> int:
        """Move `part` to the end of the file; return what to add to its line numbers."""
        offset = max(0, self.lines - 1)
        with part.path.open("rb") as src:
            if self.lines:
                src.readline()
            shutil.copyfileobj(src, self._fh, 1 << 20)
        part.path.unlink()
        self.lines += part.lines - 1 if self.lines else part.lines
        self.rows += part.rows
        return offset

    def close(self) -> None:
        self._fh.close()
