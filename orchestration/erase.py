"""Erase one person, by email address, from the raw layer, the models and the BI file.

    make erase EMAIL=person@example.com

The address is turned into its pseudonym (the warehouse never stores it in plain
text); the person's record ids are looked up through it, and both are added to the
erasure list in the warehouse directory, which every later load honours, so the next
export from the CRM cannot bring them back. The build database is then rebuilt from
scratch, so no freed database page still holds their rows, and the BI file is
republished. The landing files belong to the source systems: erase the person there
too, as the GDPR request process says.
"""

from __future__ import annotations

import argparse
import sys

import dagster as dg
import duckdb

from orchestration.duckdb_sql import table_exists
from orchestration.ingest.privacy import (
    email_pseudonym,
    pseudonym_key,
    read_erasures,
    write_erasures,
)
from orchestration.settings import WarehousePaths, warehouse_paths
from orchestration.warehouse_lock import warehouse_lock


def person_ids(connection: duckdb.DuckDBPyConnection, pseudonym: str) -> set[str]:
    """Every lead, contact, Marketo person and HubSpot contact id that belongs to this
    email pseudonym."""
    # A build database from before HubSpot was read has no hubspot schema.
    hubspot_contacts = (
        "union select id from hubspot.contacts where email = $pseudonym"
        if table_exists(connection, "hubspot", "contacts")
        else ""
    )
    rows = connection.execute(
        f"""
        with leads as (
            select Id, ConvertedContactId from salesforce.lead where Email = $pseudonym
        ),
        contacts as (
            select Id from salesforce.contact
            where Email = $pseudonym or Id in (select ConvertedContactId from leads)
        ),
        marketo_people as (
            select id::varchar as Id from marketo.leads
            where email = $pseudonym
               or sfdcLeadId in (select Id from leads)
               or sfdcContactId in (select Id from contacts)
        )
        select Id from leads
        union select Id from contacts
        union select Id from marketo_people
        {hubspot_contacts}
        -- A person whose only row was set aside: the quarantine keeps pseudonyms.
        union
        select coalesce(raw_record->>'Id', raw_record->>'id') from raw_quarantine.rejected_rows
        where table_name in ('lead', 'contact', 'leads', 'contacts')
            and contains(raw_record, $pseudonym)
        """,
        {"pseudonym": pseudonym},
    ).fetchall()
    return {record_id for (record_id,) in rows if record_id}


class NobodyToErase(LookupError):
    """The address matches no lead, contact, Marketo person or HubSpot contact."""


def record_erasure(paths: WarehousePaths, email: str) -> tuple[str, set[str]]:
    """Put the person on the erasure list; nothing changes when the address matches
    nobody, as a typo must not pass for a completed erasure."""
    pseudonym = email_pseudonym(email, pseudonym_key(paths.warehouse_dir))
    ids: set[str] = set()
    if paths.build_database.exists():
        with duckdb.connect(str(paths.build_database), read_only=True) as connection:
            ids = person_ids(connection, pseudonym)
    if not ids:
        raise NobodyToErase(
            "No lead, contact or Marketo person in the warehouse has that address (nor "
            "does any HubSpot contact); "
            "nothing was changed. Check the address (and that `make run` has loaded "
            "the exports)."
        )
    write_erasures(paths.warehouse_dir, read_erasures(paths.warehouse_dir).adding(pseudonym, ids))
    return pseudonym, ids


def erase_person(
    email: str, defs: dg.Definitions, paths: WarehousePaths, instance: dg.DagsterInstance
) -> dg.ExecuteInProcessResult:
    from orchestration.nightly import run_nightly_refresh

    with warehouse_lock(paths.warehouse_dir, "make erase"):
        _, ids = record_erasure(paths, email)
        print(f"Erasing {len(ids)} record(s) of one person; rebuilding the warehouse.")
        for leftover in (paths.build_database, paths.build_database.with_name("build.duckdb.wal")):
            leftover.unlink(missing_ok=True)
        return run_nightly_refresh(defs, instance, full_refresh=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("email", help="the person's email address")
    arguments = parser.parse_args()
    from orchestration.definitions import defs

    try:
        result = erase_person(arguments.email, defs, warehouse_paths(), dg.DagsterInstance.get())
    except NobodyToErase as nobody:
        print(nobody, file=sys.stderr)
        return 2
    if not result.success:
        print(
            "The erasure is recorded, but the rebuild failed, so the BI file still holds "
            "the previous version. Fix the failing step (see `make dev`) and run "
            "`make run`: the person stays out of every later load.",
            file=sys.stderr,
        )
        return 1
    print("Done: the person is gone from the raw layer, the models and the BI file.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
