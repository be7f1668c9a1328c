"""Salesforce and Marketo ids, email addresses, the exports' date formats and the calendar
the generator draws moments from.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import Counter
from datetime import date, datetime, timedelta
from random import Random

from sample_generator.reference import DAY, HOUR, LAST_MOMENT

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
ID_START = 62**4 * 11 + 4_321  # gives ids a realistic run of leading zeros


def salesforce_id(prefix: str, number: int) -> str:
    """18-char id: prefix, pod, reserved 0, base-62 counter, and the real case-safe checksum.

    The first ten characters change only every 62**5 ids, so they come from a cache; the last
    five digits are put together from cached pieces of one or two digits."""
    high, low = divmod(number, 62**5)
    head, head_suffix = _id_head(prefix, high)
    first, rest = divmod(low, 62**4)
    middle, last = divmod(rest, 62**2)
    digit, first_bits = _base62(first, 1)
    pair1, middle_bits = _base62(middle, 2)
    pair2, last_bits = _base62(last, 2)
    suffix = _SUFFIX[first_bits | middle_bits << 1 | last_bits << 3]
    return f"{head}{digit}{pair1}{pair2}{head_suffix}{suffix}"


@functools.cache
def _base62(number: int, width: int) -> tuple[str, int]:
    """`number` as `width` base-62 digits, and the checksum bits of those digits."""
    digits = ""
    for _ in range(width):
        number, rest = divmod(number, 62)
        digits = _B62[rest] + digits
    return digits, _upper_case_bits(digits)


@functools.cache
def _id_head(prefix: str, high: int) -> tuple[str, str]:
    """The id's first ten characters and the two checksum characters they determine."""
    head = f"{prefix}7Q0{_base62(high, 4)[0]}"
    return head, _SUFFIX[_upper_case_bits(head[:5])] + _SUFFIX[_upper_case_bits(head[5:])]


def _upper_case_bits(chunk: str) -> int:
    return sum(1 << i for i, ch in enumerate(chunk) if "A" <= ch <= "Z")


class IdFactory:
    """Sequential ids per key prefix, so ids are unique and sort in creation order."""

    def __init__(self, counters: dict[str, int] | None = None, start: int = ID_START) -> None:
        self._next = dict(counters or {})
        self._start = start

    def new(self, prefix: str) -> str:
        number = self._next.get(prefix, self._start)
        self._next[prefix] = number + 1
        return salesforce_id(prefix, number)

    def shifted(self, offset: int) -> IdFactory:
        """A factory counting on from where this one is, `offset` further on (a shard's range)."""
        return IdFactory({p: n + offset for p, n in self._next.items()}, self._start + offset)

    def highest(self) -> int:
        """The highest counter value handed out (or about to be)."""
        return max([self._start, *self._next.values()])


class EmailBook:
    """Unique addresses: the n-th person called jan.jansen at a domain is jan.jansen<n> there.

    Shard `shard` of `shards` numbers its i-th jan.jansen ``before + i * shards + shard + 1``
    (``before``: how many the plan gave out), so no two shards give out the same address and
    a single shard numbers 1, 2, 3... as one stream always did."""

    def __init__(self, before: Counter | None = None, shard: int = 0, shards: int = 1) -> None:
        self.before = before or Counter()
        self.uses: Counter = Counter()
        self.shard, self.shards = shard, shards

    def address(self, local: str, domain: str) -> str:
        email = f"{local}@{domain}"
        n = self.before[email] + self.uses[email] * self.shards + self.shard + 1
        self.uses[email] += 1
        return email if n == 1 else f"{local}{n}@{domain}"

    def for_shard(self, shard: int, shards: int) -> EmailBook:
        """The book of a shard made after the plan this book (a single stream) recorded."""
        assert self.shards == 1
        return EmailBook(self.before + self.uses, shard, shards)


compact_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def sf_dt(at: datetime) -> str:
    return f"{at.isoformat()}.000Z"


def mk_dt(at: datetime) -> str:
    return f"{at.isoformat()}Z"


def sf_bool(flag: bool) -> str:
    return "true" if flag else "false"


def secs(seconds: float) -> timedelta:
    # whole seconds only, so isoformat() never grows a microsecond part
    return timedelta(0, int(seconds))  # (days, seconds): quicker than seconds=


def month_end(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1) - timedelta(days=1)


def modstamp(rng: Random, at: datetime, max_days: float = 3.0) -> datetime:
    """A last-modified time a little after `at` but never after the export."""
    # shrink the range rather than clip it, so rows do not pile up on the export instant
    room = max(0.0, min(max_days * DAY, (LAST_MOMENT - at).total_seconds()))
    return at + secs(rng.uniform(0, room))


def working_hours(rng: Random, at: datetime) -> datetime:
    """Move a sales action that would fall at night or on a weekend into the next working day."""
    if 7 <= at.hour < 19 and at.weekday() < 5:
        return at
    day = at.date() if at.hour < 7 else at.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 8) + secs(rng.uniform(0, 10 * HOUR))


@functools.cache
def newsletter_sent(year: int, month: int) -> datetime:
    """The monthly newsletter goes out on the month's first Tuesday at 09:00."""
    return datetime(year, month, 1, 9) + timedelta(days=(1 - date(year, month, 1).weekday()) % 7)


def meeting_slot(rng: Random, day: date) -> datetime:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, rng.randint(8, 16), rng.choice((0, 30)))


@functools.cache  # names and companies come from short lists
def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())
