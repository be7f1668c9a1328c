"""Personal data at the door: emails, phone numbers and IP addresses are pseudonymised
on load.

A keyed hash (HMAC-SHA256) replaces each email and phone number before anything is
stored, quarantine included, so nothing downstream holds them in plain text, while the
same address still gives the same pseudonym and Marketo-to-Salesforce matching by
email keeps working. The key comes from `REVENUE_PSEUDONYM_KEY`; without it, a random
key is created once in the warehouse directory (readable by its owner only) so
pseudonyms stay stable between runs. The key is never logged or passed to dbt.

An erased person is listed (by pseudonym and record ids, never by address) in
`erasures.json` in the warehouse directory; every load drops their rows.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.json_files import replace_json

KEY_ENV = "REVENUE_PSEUDONYM_KEY"
KEY_FILE = ".pseudonym.key"
ERASURES_FILE = "erasures.json"
# Columns holding personal data, wherever they appear (normalised names). A Salesforce
# Username is a login shaped like an email address; IP addresses identify people too.
EMAIL_COLUMNS = frozenset({"email", "username", "recipient"})
PHONE_COLUMNS = frozenset({"phone", "mobilephone", "homephone", "otherphone", "fax"})
IP_COLUMNS = frozenset({"ipaddress", "clientipaddress"})
# JSON columns whose keys may hold an IP address: Marketo's activity attributes.
JSON_COLUMNS = frozenset({"attributes"})
IP_KEYS = ("Client IP Address", "IP Address")


# Read once when the code loads, and taken out of the environment: every process this
# one starts (dbt, and the log tailers Dagster starts at the beginning of each run)
# inherits the environment, and none of them needs the key.
_KEY_FROM_ENVIRONMENT = os.environ.pop(KEY_ENV, "")


def pseudonym_key(warehouse_dir: Path) -> bytes:
    configured = os.environ.get(KEY_ENV, "") or _KEY_FROM_ENVIRONMENT
    if configured:
        return configured.encode("utf-8")
    key_file = warehouse_dir / KEY_FILE
    if not key_file.exists():
        warehouse_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip().encode("utf-8")


# How each kind of contact data is normalised before hashing, so that " Ann@X.com"
# and "ann@x.com" (or "+31 (20) 123" and "+3120123") give the same pseudonym. Tabs and
# line breaks around an address count as the blanks they are, not only spaces.
NORMALISED = {
    "email": r"lower(regexp_replace({column}, '^\s+|\s+$', '', 'g'))",
    "phone": "regexp_replace({column}, '[^0-9+]', '', 'g')",
    "ip": "lower(trim({column}))",
}
HMAC_BLOCK_BYTES = 64


def pseudonym_sql(kind: str, column: str) -> str:
    """SQL for the pseudonym of `column` (an expression) holding an email or a phone.

    HMAC-SHA256 (RFC 2104) built from DuckDB's sha256(), so a million addresses are
    hashed inside DuckDB rather than one Python call each; the padded keys are the
    parameters $inner_pad and $outer_pad (see `pseudonym_parameters`). Empty stays
    empty. The only implementation: `make erase` computes pseudonyms with it too.
    """
    normalised = NORMALISED[kind].format(column=column)
    inner = f"unhex(sha256($inner_pad || encode({normalised})))"
    return f"case when {normalised} <> '' then left(sha256($outer_pad || {inner}), 32) end"


def pseudonym_parameters(key: bytes) -> dict[str, bytes]:
    block = hashlib.sha256(key).digest() if len(key) > HMAC_BLOCK_BYTES else key
    block = block.ljust(HMAC_BLOCK_BYTES, b"\0")
    return {
        "inner_pad": bytes(byte ^ 0x36 for byte in block),
        "outer_pad": bytes(byte ^ 0x5C for byte in block),
    }


def email_pseudonym(email: str, key: bytes) -> str:
    with duckdb.connect() as connection:
        (pseudonym,) = connection.execute(
            f"select {pseudonym_sql('email', '$email')}",
            {"email": email, **pseudonym_parameters(key)},
        ).fetchone()
    if pseudonym is None:
        raise ValueError("an email address is required")
    return pseudonym


@dataclass(frozen=True)
class PrivacyRules:
    key: bytes
    erased_pseudonyms: frozenset[str] = field(default_factory=frozenset)
    erased_person_ids: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Erasures:
    pseudonyms: tuple[str, ...] = ()
    person_ids: tuple[str, ...] = ()

    def adding(self, pseudonym: str, person_ids: Iterable[str]) -> Erasures:
        return Erasures(
            pseudonyms=tuple(sorted({*self.pseudonyms, pseudonym})),
            person_ids=tuple(sorted({*self.person_ids, *person_ids})),
        )


def read_erasures(warehouse_dir: Path) -> Erasures:
    path = warehouse_dir / ERASURES_FILE
    if not path.exists():
        return Erasures()
    document = json.loads(path.read_text(encoding="utf-8"))
    return Erasures(tuple(document["pseudonyms"]), tuple(document["person_ids"]))


def write_erasures(warehouse_dir: Path, erasures: Erasures) -> None:
    """Every load reads the list: a crash while `make erase` writes it must leave the
    previous list whole, not a truncated file no load can parse."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    replace_json(
        warehouse_dir / ERASURES_FILE,
        {"pseudonyms": list(erasures.pseudonyms), "person_ids": list(erasures.person_ids)},
    )


def privacy_rules(warehouse_dir: Path) -> PrivacyRules:
    erasures = read_erasures(warehouse_dir)
    return PrivacyRules(
        key=pseudonym_key(warehouse_dir),
        erased_pseudonyms=frozenset(erasures.pseudonyms),
        erased_person_ids=frozenset(erasures.person_ids),
    )
