"""Personal data in the rows just read: pseudonymised before anything is written, and
the rows of people erased on request dropped (see privacy.py for the key and the list).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import duckdb

from orchestration.duckdb_sql import (
    column_names,
    parameters_used,
    quote_identifier,
    quote_literal,
)
from orchestration.ingest.csv_reading import ERASED_COLUMN, normalised_name
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


def protected(
    rows: str, columns: Sequence[str], spec: ExportSpec, privacy: PrivacyRules
) -> tuple[str, dict[str, object]]:
    """SQL: the query `rows`, whose columns are `columns`, with contact data
    pseudonymised and, when people were erased on request, a column `_erased` marking
    their rows; and the parameters the SQL reads. `rows` itself when there is nothing
    to do."""
    kinds = personal_columns(columns)
    replacements = [
        (
            _json_with_ip_pseudonyms(quote_identifier(c))
            if kind == "json"
            else pseudonym_sql(kind, quote_identifier(c))
        )
        + f" as {quote_identifier(c)}"
        for c, kind in kinds.items()
    ]
    # Erasures are recorded as pseudonyms; the rows are still read as they came.
    erased_when = (
        [
            f"list_contains($pseudonyms, {pseudonym_sql('email', quote_identifier(c))})"
            for c, kind in kinds.items()
            if kind == "email"
        ]
        + [
            f"list_contains($ids, {quote_identifier(c)})"
            for c in spec.person_columns
            if c in columns
        ]
        if privacy.erased_pseudonyms or privacy.erased_person_ids
        else []
    )
    if not replacements and not erased_when:
        return rows, {}
    replaced = f" replace ({', '.join(replacements)})" if replacements else ""
    erased = (
        f", coalesce({' or '.join(erased_when)}, false) as {ERASED_COLUMN}" if erased_when else ""
    )
    query = f"select *{replaced}{erased} from ({rows})"
    available = {
        "pseudonyms": sorted(privacy.erased_pseudonyms),
        "ids": sorted(privacy.erased_person_ids),
        **pseudonym_parameters(privacy.key),
    }
    return query, parameters_used(available, query)


def drop_erased_rows(connection: duckdb.DuckDBPyConnection, table: str) -> int:
    """Delete the rows `protected` marked as erased people's from `table`, and the mark;
    returns how many. A delete leaves the other rows in place: they were numbered by
    position."""
    columns = column_names(connection, table)
    if ERASED_COLUMN not in columns:
        return 0
    (erased,) = connection.execute(f"select count(*) from {table} where {ERASED_COLUMN}").fetchone()
    if erased:
        connection.execute(f"delete from {table} where {ERASED_COLUMN}")
    connection.execute(f"alter table {table} drop column {ERASED_COLUMN}")
    return erased


def _json_with_ip_pseudonyms(column: str) -> str:
    """SQL for a JSON text column whose IP address keys hold pseudonyms; text that is
    not valid JSON is left as it is (staging reads it as no attributes).

    Activities whose text names no IP address key are left as they are after a
    substring test, without their JSON being parsed. A merge patch sets every key at
    once; a key whose value is null or empty is removed, as it has no pseudonym, and a
    key that is absent stays absent."""
    paths = [quote_literal(f'$."{key}"') for key in IP_KEYS]
    pseudonyms = ", ".join(
        f"{quote_literal(key)}, {pseudonym_sql('ip', f'json_extract_string({column}, {path})')}"
        for key, path in zip(IP_KEYS, paths, strict=True)
    )
    has_ip_key = " or ".join(f"json_exists({column}, {path})" for path in paths)
    mentions = " or ".join(f"contains({column}, {quote_literal(key)})" for key in IP_KEYS)
    return (
        f"case when ({mentions}) and json_valid({column}) and ({has_ip_key}) "
        f"then json_merge_patch({column}, json_object({pseudonyms}))::varchar "
        f"else {column} end"
    )


# Text shaped like an email or IPv4 address is personal whatever its key is called, so
# an org's own properties (`private_email__c`) are caught too.
EMAIL_SHAPE = r"[^@\s]+@[^@\s]+\.[^@\s]+"
IPV4_SHAPE = r"\d{1,3}(\.\d{1,3}){3}"
# HubSpot's own contact data properties, by their names without separators: email,
# work_email, hs_additional_emails; phone, mobilephone, hs_whatsapp_phone_number, …
EMAIL_NAME = r"emails?$"
PHONE_NAME = r"(phone|phonenumber|mobilenumber)$"
# Free text (message bodies and headers, notes, transcripts) holds names and addresses
# in no fixed place; no mart reads it, so it is not kept.
FREE_TEXT_NAME = r"(^|_)(body|text|html|headers|notes|transcript|preview)(_|$)"


def records_with_personal_data_protected(
    rows: str, record_column: str, not_json_column: str
) -> str:
    """SQL: the query `rows` with personal values inside its JSON records pseudonymised:
    the record's own keys, its `properties` and a form submission's `values`; free text
    and the property history (`propertiesWithHistory`: the history the warehouse reads
    is taken out of it beforehand) left out. Lines that are not JSON are left as they
    are: they are quarantined, where only their shape is kept. Reads the parameters
    $inner_pad and $outer_pad (`pseudonym_parameters`).

    Each step reads the record the step before wrote, so the steps are nested queries
    of one statement: updating a table in place instead keeps every changed record's
    old text in memory until the load commits."""
    record = f"{quote_identifier(record_column)}::json"
    properties = f"json_extract({record}, '$.properties')"
    values = f"json_extract({record}, '$.values[*]')"
    steps = (
        ("", f"json_merge_patch({record}, '{{\"propertiesWithHistory\": null}}')"),
        ("", _with_personal_values_pseudonymised(record)),
        (
            f"and json_type({properties}) = 'OBJECT'",
            # Replaced as a whole, so the free text left out does not survive the merge.
            f"json_merge_patch(json_merge_patch({record}, '{{\"properties\": null}}'), "
            f"json_object('properties', {_with_personal_values_pseudonymised(properties)}))",
        ),
        (
            f"and json_type({record}, '$.values') = 'ARRAY'",
            f"json_merge_patch({record}, json_object('values', to_json(list_transform("
            f"{values}, lambda entry: {_entry_with_personal_value_pseudonymised('entry')}))))",
        ),
    )
    for only, value in steps:
        rows = (
            f"select * replace (case when not {quote_identifier(not_json_column)} {only} "
            f"then ({value})::varchar else {quote_identifier(record_column)} end "
            f"as {quote_identifier(record_column)}) from ({rows})"
        )
    return rows


def drop_rows_of_erased_contacts(
    connection: duckdb.DuckDBPyConnection, column: str, privacy: PrivacyRules
) -> int:
    """Drop the rows associated with an erased person (a call with them, say): `column`
    holds the associated records as a JSON list of `{"id": …}`. Returns how many."""
    if not privacy.erased_person_ids:
        return 0
    condition = (
        f"coalesce(list_has_any(json_extract_string({quote_identifier(column)}, '$[*].id'), "
        "$ids), false)"
    )
    ids = {"ids": sorted(privacy.erased_person_ids)}
    (erased,) = connection.execute(
        f"select count(*) from read_rows where {condition}", ids
    ).fetchone()
    connection.execute(f"delete from read_rows where {condition}", ids)
    return erased


def _pseudonym_of(name: str, value: str) -> str:
    """SQL: the pseudonym of the text `value` held under the key `name` when it is
    personal (by the key's name or the value's shape), else null."""
    key = f"regexp_replace(lower({name}), '[^0-9a-z]', '', 'g')"

    def named(names: frozenset[str]) -> str:
        return f"{key} in ({', '.join(quote_literal(n) for n in sorted(names))})"

    return (
        f"case when {named(EMAIL_COLUMNS)} or regexp_matches({key}, '{EMAIL_NAME}') "
        f"or regexp_full_match({value}, '{EMAIL_SHAPE}') "
        f"then {pseudonym_sql('email', value)} "
        f"when {named(PHONE_COLUMNS)} or regexp_matches({key}, '{PHONE_NAME}') "
        f"then {pseudonym_sql('phone', value)} "
        f"when {named(IP_COLUMNS)} or regexp_full_match({value}, '{IPV4_SHAPE}') "
        f"then {pseudonym_sql('ip', value)} end"
    )


def _with_personal_values_pseudonymised(json_object: str) -> str:
    """SQL: the JSON object with each text value that is personal replaced by its
    pseudonym and free text left out; other values (numbers, nested objects) as they
    are."""
    value = f"json_extract({json_object}, '$.\"' || replace(key, '\"', '\\\"') || '\"')"
    text = f"json_extract_string({value}, '$')"
    pseudonym = (
        f"case when json_type({value}) = 'VARCHAR' then to_json({_pseudonym_of('key', text)}) end"
    )
    kept = (
        f"list_filter(json_keys({json_object}), "
        f"lambda key: not regexp_matches(key, '{FREE_TEXT_NAME}'))"
    )
    return (
        f"to_json(map_from_entries(list_transform({kept}, lambda key: "
        f"{{'key': key, 'value': coalesce({pseudonym}, {value})}})))"
    )


def _entry_with_personal_value_pseudonymised(entry: str) -> str:
    """SQL: a form field `{"name": …, "value": …}` with its value pseudonymised when
    personal."""
    pseudonym = _pseudonym_of(
        f"json_extract_string({entry}, '$.name')", f"json_extract_string({entry}, '$.value')"
    )
    return (
        f"case when ({pseudonym}) is not null "
        f"then json_merge_patch({entry}, json_object('value', {pseudonym})) else {entry} end"
    )
