"""Fingerprints of a version's rules, key by key, so a change can be named.

What is fingerprinted is the parsed document, never its text: whitespace, comments,
quoting and the order of keys do not change a rule, and `10` is the same number as
`10.0`. A mapping is followed down to its leaves; a list counts as one value, since
its order can matter (the first matching content rule wins).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any


def rule_digests(rules: Mapping[str, Any]) -> dict[str, str]:
    """A digest per leaf key path (`lead_definition.min_employees`) of `rules`."""
    return {path: _digest(value) for path, value in _leaves(rules, "")}


def fingerprint(digests: Mapping[str, str]) -> str:
    """One digest of every key's digest: equal exactly when every key is."""
    return _digest(sorted(digests.items()))


def changed_keys(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """Key paths added, removed or changed between two sets of digests."""
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


def _leaves(value: Any, path: str):
    if isinstance(value, Mapping) and value:
        for key, child in value.items():
            yield from _leaves(child, f"{path}.{key}" if path else str(key))
    else:
        yield path, value


def _digest(value: Any) -> str:
    canonical = json.dumps(_canonical(value), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _canonical(child) for key, child in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(child) for child in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
