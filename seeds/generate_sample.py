"""Generate a deterministic sample of Salesforce + Marketo exports for the revenue warehouse.

Usage::

    python seeds/generate_sample.py [--size sample|S|M|L] [--out DIR] [--seed 20261031]
                                    [--leads N] [--delta-out DIR | --no-delta]
                                    [--leads-per-shard 25000] [--workers N]

Sizes (``--leads`` overrides the lead count and keeps the size's per-lead rates):

======  ==========  ==================  ==========  ===============  ==================
size    leads       Marketo activities  tasks       opportunities    for
======  ==========  ==================  ==========  ===============  ==================
sample  3,000       ~50k                ~10k        ~330             the shipped sample
S       100,000     ~1M                 ~0.5M       ~20k             benchmark, minutes
M       1,000,000   ~10M                ~5M         ~200k            benchmark target
L       5,000,000   ~50M                ~25M        ~1M              5x M
======  ==========  ==================  ==========  ===============  ==================

``sample`` keeps the rates the shipped sample was made with (it is byte-identical to before
sizes existed); S, M and L share fewer page views and more sales work per lead so their
volumes have the benchmark's proportions. ``--out`` defaults to ``seeds/sample`` only for
``sample``. Rows are streamed; memory grows only with the lead plan (about 200 bytes a lead).

Speed: the leads are planned first, in one stream (each lead's source and creation time, a few
microseconds a lead), then made in shards of ``--leads-per-shard`` consecutive leads (25,000: S
is 4 shards, M 40, L 200, the shipped sample one) by ``--workers`` processes (one per core).
Each shard writes part files, and as the shards finish, in order, their parts are appended to
the one file per export the loader reads. A lead costs about 0.35 ms of one core, at any size;
on two cores S takes about 20 s, M 3 minutes, L 14 (on one core before shards: S 40-48 s, M
8-18 minutes, L 1.5 hours, more than five times M as each converted lead scanned every account
executive, 11,000 at L). Why shards: making a lead costs a few hundred random draws and some
twenty CSV rows, spread over the whole generator (after caching the pieces of Salesforce ids
and reusing one JSON encoder, a third of the time is the csv module's own formatting and
writing, the rest is many small steps), and those draws must keep their order for the shipped
sample to stay as it is; so the remaining speed is in cores. Scaling a smaller generated base
up in DuckDB would be quicker still, but its copies of people, addresses and planted rows would
lose the data's realistic shape.

Next-day delta: besides the full export as of ``SNAPSHOT``, S, M and L also write the next
day's incremental export (``--delta-out DIR`` elsewhere, ``--no-delta`` to skip; ``sample``
writes one only with ``--delta-out``) in the landing layout the loader reads next to the full
files: ``salesforce/<Object>/2026-11-01.csv`` and ``marketing/<name>/2026-11-01.csv``. It holds
the day's new leads (a day's volume, about 0.3%) with their Marketo person, form and first
call, and a newer version (later SystemModstamp) of one in every hundred existing leads: open
leads get their first call, worked leads another call and then a conversion (new account,
contact, opportunity; Marketo syncs the contact), a disqualification or nothing more, decided
leads only an edit; each status change has its LeadHistory row, and the changed leads' people
browse the site that day. Objects without changes get a header-only file.

The same arguments always produce byte-identical files, whatever ``--workers``: the plan
comes from one ``random.Random(seed)`` consumed in a fixed order; a single shard draws on from
it (LeadHistory from its own ``random.Random(seed + HISTORY_SEED_OFFSET)``, so it leaves every
other file as it was), so the shipped sample is what it was before shards existed; shard k of
several draws from streams seeded with (seed, k), and numbers its Salesforce ids, Marketo ids
and activity GUIDs ``k * SHARD_ID_ROOM`` further on (and its duplicate email addresses apart,
see ``EmailBook``), so shards never share an id. The export instant is the constant
``SNAPSHOT`` (2026-11-01T00:00:00Z), never the wall clock. Leads are created between
2025-11-01 and 2026-10-31 (UTC). Every volume except the calendar-driven campaign plan scales
with ``--leads``.

Output (``<out>/salesforce/<Object>.csv`` as the Bulk API / Data Loader writes them, and
``<out>/marketing/*.csv`` as Marketo bulk exports):

- salesforce: User, Account, Lead, LeadHistory, Contact, Opportunity, OpportunityHistory, Task,
  Event, Campaign, CampaignMember, DatedConversionRate
- marketing: leads, activity_types, activities

Story: about 22% of leads meet the agreed lead definition (>= 10 employees, a budget-authority
title that is not an assistant/intern/student, and an intent form - Request Information,
Request a Demo, Call Me Back, Pricing Question - within 30 days of CreatedDate). Ready leads
convert at ~30%, the rest at ~4%; lead sources differ visibly in volume, quality and cost.
``meets_lead_definition`` is the reference implementation; the script prints the monthly
share it finds in the written files, plus row counts and funnel rates.

LeadHistory holds the tracked Status and Owner changes, consistent with Lead.csv and Task.csv.
Every lead starts ``Open - Not Contacted`` (no row for the initial value); the first sales task
moves it to ``Working - Contacted``, and the decision to its current status (``Closed -
Converted`` at the opportunity's CreatedDate, ``Closed - Not Converted`` after the last contact
attempt, ``Nurture`` when recycled). Recycled leads also get an Owner row from the sales user who
worked them to their marketing owner, at the same instant. About 10% of the sales-owned leads
that marketing brought in (not those sales entered itself) start in a marketing user's queue and
are handed to their sales owner minutes to hours after creation, before the first sales touch and
no later than the lead's SystemModstamp. Soft-deleted and deliberately broken leads have no
history.

Deliberately broken rows. They are isolated: never converted, no Marketo person (the only
Salesforce leads without one), no task, event or campaign membership points at them, so a
quarantine step can drop them safely. The script prints their exact line numbers.

- Lead.csv: 3 leads whose NumberOfEmployees is not a number (``approx. 50``, ``n/a``,
  ``10-50``).
- Lead.csv: 2 leads with an invalid CreatedDate (``2026-02-30T10:00:00.000Z``, ``yesterday``).
- Lead.csv: 1 line with an unquoted comma in Company, so it has one column too many.
- Lead.csv: 1 lead whose Title contains a (correctly quoted) newline.
- activities.csv: 2 extra Visit Webpage rows with an unparseable activityDate.
- Task.csv: 1 extra follow-up task with an impossible CreatedDate (``2026-04-31...``).

Cosmetic mess that is valid data and takes part in every relationship:

- Titles with odd casing/whitespace (e.g. ``  head of SALES ``) on ~1% of leads.
- Lead emails in mixed case (~2%); Marketo holds them lower-cased, so email links must
  ignore case.
- Soft-deleted rows (IsDeleted=true, as queryAll returns them): ~0.5% of leads (with their
  tasks and campaign memberships) plus a few tasks that were logged twice.
- Activities (tasks/events) stay on the lead after conversion; follow-up after conversion is
  logged on the new contact and opportunity.
- Campaign memberships created after a lead converted are contact-only (empty LeadId), as in
  Salesforce; earlier memberships of a converted lead carry both LeadId and ContactId.
- Intent forms of leads that fail only on intent sit clearly outside the 30-day window (35+
  days), and "ready" leads have theirs within 29 days, so date-vs-timestamp window logic agrees.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sample_generator.generator import SampleGenerator
from sample_generator.output import HEADERS, Output, export_path
from sample_generator.plans import Stats
from sample_generator.reference import LEADS_PER_SHARD, OLD_COHORT_END, SIZES, SNAPSHOT, SOURCES
from sample_generator.shards import ExportFile, made_shards, parts_of

SHIPPED_SAMPLE = Path(__file__).resolve().parent / "sample"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="sample")
    parser.add_argument("--out", type=Path, help="default: seeds/sample for --size sample")
    parser.add_argument("--seed", type=int, default=20261031)
    parser.add_argument("--leads", type=int, help="override the size's lead count")
    delta = parser.add_mutually_exclusive_group()
    delta.add_argument(
        "--delta-out", type=Path, help="write the next day's delta here (default: --out)"
    )
    delta.add_argument("--no-delta", action="store_true", help="write no next-day delta")
    parser.add_argument(
        "--leads-per-shard",
        type=int,
        default=LEADS_PER_SHARD,
        help="leads made as one shard (the data depends on it; the shipped sample is one shard)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes making shards (default: one per core; the data does not depend on it)",
    )
    args = parser.parse_args(argv)
    if args.out is None and args.size != "sample":
        parser.error(f"--out is required with --size {args.size}")
    args.out = args.out or SHIPPED_SAMPLE
    args.leads = args.leads or SIZES[args.size].leads
    if args.leads < 100:
        parser.error("--leads must be at least 100 so the planted messy rows stay distinct")
    if args.leads_per_shard < 1 or args.workers < 1:
        parser.error("--leads-per-shard and --workers must be at least 1")
    return args


def delta_root(args: argparse.Namespace) -> Path | None:
    """The shipped sample has no delta unless asked for, so `make sample` stays as it was."""
    if args.no_delta:
        return None
    return args.delta_out or (None if args.size == "sample" else args.out)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    files, next_day, stats = generate(args)
    print_report(args.out, files, stats, time.perf_counter() - started)
    next_day_root = delta_root(args)
    if next_day_root is not None:
        print_file_sizes(next_day_root, next_day)


def generate(args: argparse.Namespace) -> tuple[dict, dict, Stats]:
    """Plan, make the shards, and append each shard's parts to the export files as it is done;
    return the full export's files, the next day's (if any) and the stats."""
    volumes = replace(SIZES[args.size], leads=args.leads)
    next_day_root = delta_root(args)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".parts-", dir=args.out) as tmp:
        parts = Path(tmp)
        plan_out = Output(parts / "plan")
        generator = SampleGenerator(args.seed, volumes, plan_out, next_day_root is not None)
        try:
            shards = generator.plan_shards(max(1, round(args.leads / args.leads_per_shard)))
        finally:
            plan_out.close()
        generator.out = None  # the workers get the plan, not its open files
        files = {name: ExportFile(export_path(args.out, name, None)) for name in HEADERS}
        next_day = {}
        if next_day_root is not None:
            day = SNAPSHOT.date()
            next_day = {name: ExportFile(export_path(next_day_root, name, day)) for name in HEADERS}
        stats = Stats()
        for name, part in parts_of(plan_out).items():
            files[name].append(part)
        made = made_shards(generator, shards, parts, next_day_root is not None, args.workers)
        for shard_parts, next_day_parts, shard_stats in made:
            stats.add(shard_stats, {name: files[name].append(p) for name, p in shard_parts.items()})
            for name, part in next_day_parts.items():
                next_day[name].append(part)
        for file in (*files.values(), *next_day.values()):
            file.close()
    return files, next_day, stats


def print_file_sizes(
    root: Path, files: dict[str, ExportFile], seconds: float | None = None
) -> None:
    total = 0
    print(f"wrote {root}")
    for file in files.values():
        size = file.path.stat().st_size
        total += size
        print(f"  {file.path.relative_to(root)!s:38} {file.rows:>8} rows {size / 1e6:7.2f} MB")
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    print(f"  {'total':38} {'':>8}      {total / 1e6:7.2f} MB{took}")


def print_report(root: Path, files: dict[str, ExportFile], stats: Stats, seconds: float) -> None:
    print_file_sizes(root, files, seconds)
    print("leads meeting the lead definition per month (evaluated on the written data):")
    for month in sorted(stats.month_leads):
        leads, ready = stats.month_leads[month], stats.month_ready[month]
        print(f"  {month}: {ready:>5} of {leads:>6} = {ready / leads:6.1%}")
    old = stats.old
    for group in ("ready", "other"):
        n = max(1, old[group])
        print(
            f"{group:>5} leads created before {OLD_COHORT_END:%Y-%m-%d}: {old[group]}, converted "
            f"{old[group, 'converted'] / n:.1%}, won {old[group, 'won'] / n:.1%}"
        )
    print(f"latent/evaluated definition mismatches: {old['latent_mismatch']}")
    n_old = max(1, sum(stats.status_old.values()))
    print(
        "status of leads created before the cohort end: "
        + ", ".join(f"{k} {v / n_old:.0%}" for k, v in stats.status_old.most_common())
    )
    n_touch = max(1, sum(stats.touch.values()))
    print("first touch: " + ", ".join(f"{k} {v / n_touch:.0%}" for k, v in stats.touch.items()))
    n_own = max(1, sum(stats.owners.values()))
    print("owners: " + ", ".join(f"{k} {v / n_own:.0%}" for k, v in stats.owners.items()))
    h = stats.history
    print(
        f"lead history: Status {h['Status']}, Owner {h['Owner']} rows; recycled to marketing "
        f"{h['recycled']}, marketing-to-sales hand-offs {h['handoff']} "
        f"({h['handoff'] / max(1, stats.owners['sales']):.1%} of sales-owned leads)"
    )
    o = stats.opps
    print(
        f"opportunities {o['total']}: closed {o['closed']}, won {o['won']} "
        f"({o['won'] / max(1, o['closed']):.0%} of closed), EUR {o['EUR'] / o['total']:.0%}"
    )
    print(f"marketo activities per Salesforce lead: {stats.sf_activities / stats.sf_persons:.1f}")
    print("by source (leads, meets definition, converted):")
    for s in SOURCES:
        leads = max(1, stats.source[s.name, "leads"])
        print(
            f"  {s.name or '(empty)':17} {stats.source[s.name, 'leads']:>6} "
            f"{stats.source[s.name, 'meets'] / leads:6.1%} "
            f"{stats.source[s.name, 'converted'] / leads:6.1%}"
        )
    print("planted messy rows:")
    for name, line, detail in sorted(stats.messy):
        print(f"  {name} line {line}: {detail}")


if __name__ == "__main__":
    main()
