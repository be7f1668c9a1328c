"""Regular expressions in the agreed definitions: one dialect, evaluated in linear time.

dbt matches the title rules with DuckDB (RE2); the Python checks re-evaluate them on
their own. A pattern must therefore mean the same to both, and be understood by
anyone who tries it in Python: only patterns that both DuckDB and Python's `re`
accept pass, so a lookbehind or a backreference fails when the file loads, naming the
key, not later inside dbt. Python evaluates them with RE2 too (a newer release of
the library DuckDB ships, which reads every pattern DuckDB's does): matching takes
time linear in the title, so `(a+)+$` against a long title cannot hang a check, and
`\\w` or `\\b` mean in the check what they meant in SQL (ASCII word characters).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from functools import cache

import duckdb
import re2

Matcher = re2._Regexp

# DuckDB's `regexp_matches(..., 'i')`: case-insensitive, otherwise RE2's defaults.
_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False


# Every step that reads the agreed definitions validates them again; each answer costs
# a DuckDB connection, and is the same for the life of the process.
@cache
def dialect_problem(pattern: str) -> str | None:
    """Why `pattern` is outside the dialect DuckDB and Python share, or None."""
    try:
        # Python warns about, and still compiles, syntax it will read differently later
        # (a POSIX class such as `[[:alpha:]]`): in a signed document that is an error.
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            re.compile(pattern)
    except (re.error, FutureWarning, DeprecationWarning) as error:
        return f"Python's re rejects it ({error})"
    # Ask the engine dbt runs the pattern on.
    try:
        with duckdb.connect() as connection:
            connection.execute("select regexp_matches('', $pattern, 'i')", {"pattern": pattern})
    except duckdb.Error as error:
        return f"DuckDB (RE2) rejects it ({str(error).splitlines()[0]})"
    return None


def any_of(patterns: Sequence[str]) -> Matcher | None:
    """One case-insensitive RE2 pattern matching wherever any of `patterns` matches."""
    if not patterns:
        return None
    return re2.compile("|".join(f"(?:{pattern})" for pattern in patterns), _OPTIONS)
