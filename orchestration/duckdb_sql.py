"""Quoting names and values into DuckDB SQL text, where parameters cannot go, the named
parameters a statement reads, the column names of a relation, and whether a table
exists."""

import duckdb


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def column_names(connection: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    """The columns of the table or view `relation` (SQL text), in order."""
    return [c[0] for c in connection.execute(f"select * from {relation} limit 0").description]


def parameters_used(parameters: dict[str, object], query: str) -> dict[str, object]:
    """The named parameters `query` reads: DuckDB refuses any other."""
    return {name: value for name, value in parameters.items() if f"${name}" in query}


def table_exists(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    (count,) = connection.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return count > 0
