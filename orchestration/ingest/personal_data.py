"""Personal data in the rows just read: pseudonymised before anything is written, and
the rows of people erased on request dropped (see privacy.py for the key and the list).
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from orchestration.duckdb_sql import quote_identifier, quote_literal
from orchestration.ingest.csv_reading import normalised_name
from orchestration.ingest.exports import ExportSpec
from orchestration.ingest.privacy import (
    EMAIL_COLUMNS,
    IP_COLUMNS,
    IP_KEYS,
    JSON_COLUMNS,
    PHONE_COLUMNS,
    PrivacyRules,
    pseudonym_parameters,
    pseudonym_sql,
)

KIND_OF_COLUMN = (
    (EMAIL_COLUMNS, "email"),
    (PHONE_COLUMNS, "phone"),
    (IP_COLUMNS, "ip"),
    (JSON_COLUMNS, "json"),
)


def personal_columns(columns: Iterable[str]) -> dict[str, str]:
    """The columns holding personal data and their kind: email, phone, ip, or json (a
    JSON object whose IP address keys are personal)."""
    return {
        column: kind
        for column in columns
        for names, kind in KIND_OF_COLUMN
        if normalised_name(column) in names
    }


def protect_personal_data(
    connection: duckdb.DuckDBPyConnection, spec: ExportSpec, privacy: PrivacyRules
) -> int:
    """Pseudonymise contact data in place, then drop erased people's rows; returns those."""
    columns = [c[0] for c in connection.execute("select * from read_rows limit 0").description]
    kinds = personal_columns(columns)
    emails = [c for c, kind in kinds.items() if kind == "email"]
    assignments = [
        f"{quote_identifier(c)} = "
        + (
            _json_with_ip_pseudonyms(quote_identifier(c))
            if kind == "json"
            else pseudonym_sql(kind, quote_identifier(c))
        )
        for c, kind in kinds.items()
    ]
    if assignments:
        connection.execute(
            f"update read_rows set {', '.join(assignments)}", pseudonym_parameters(privacy.key)
        )
    erased_when = [f"list_contains($pseudonyms, {quote_identifier(c)})" for c in emails] + [
        f"list_contains($ids, {quote_identifier(c)})" for c in spec.person_columns if c in columns
    ]
    if not erased_when or not (privacy.erased_pseudonyms or privacy.erased_person_ids):
        return 0
    condition = " or ".join(erased_when)
    erased_lists = {
        name: values
        for name, values in (
            ("pseudonyms", sorted(privacy.erased_pseudonyms)),
            ("ids", sorted(privacy.erased_person_ids)),
        )
        if f"${name}" in condition
    }
    (erased,) = connection.execute(
        f"select count(*) from read_rows where {condition}", erased_lists
    ).fetchone()
    connection.execute(f"delete from read_rows where {condition}", erased_lists)
    return erased


def _json_with_ip_pseudonyms(column: str) -> str:
    """SQL for a JSON text column whose IP address keys hold pseudonyms; text that is
    not valid JSON is left as it is (staging reads it as no attributes)."""
    patched = column
    for key in IP_KEYS:
        path = quote_literal(f'$."{key}"')
        value = f"json_extract_string({column}, {path})"
        patched = (
            f"case when json_exists({patched}, {path}) then json_merge_patch({patched}, "
            f"json_object({quote_literal(key)}, {pseudonym_sql('ip', value)}))::varchar "
            f"else {patched} end"
        )
    return f"case when json_valid({column}) then {patched} else {column} end"
