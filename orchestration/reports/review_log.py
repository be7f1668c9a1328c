"""Which Monday reviews were rendered: the evidence that both teams review every week.

The review pages in the warehouse's reports/ directory are the record; each night
they are listed into the build database, where alignment_maturity counts the weeks
of a quarter that had one.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import dagster as dg

from orchestration.agreements.tables import ConfigTable, replace_config_tables
from orchestration.resources import WarehouseResource

REVIEW_PAGE = re.compile(r"weekly-(\d{4})-W(\d{2})\.html")
REVIEW_LOG_ASSET_KEY = dg.AssetKey("weekly_reviews_rendered")


def rendered_reviews(reports_dir: Path) -> list[tuple[dt.date, dt.datetime]]:
    """Monday of each week with a review page, and when the page was last written."""
    if not reports_dir.is_dir():
        return []
    reviews = []
    for path in sorted(reports_dir.iterdir()):
        if (week_start := _monday_named(path.name)) is not None:
            written = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
            reviews.append((week_start, written))
    return reviews


def _monday_named(file_name: str) -> dt.date | None:
    """The Monday of the ISO week a review page is named after; None for any other file
    (a week 54 is no week)."""
    if not (match := REVIEW_PAGE.fullmatch(file_name)):
        return None
    try:
        return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


@dg.asset(
    key=REVIEW_LOG_ASSET_KEY,
    group_name="rituals",
    kinds={"html", "duckdb"},
    description=(
        "The Monday reviews rendered so far (reports/weekly-<week>.html), one row per "
        "week: the evidence alignment_maturity reads for a weekly review every week."
    ),
)
def weekly_reviews_rendered(warehouse: WarehouseResource) -> dg.MaterializeResult:
    reviews = rendered_reviews(warehouse.paths.warehouse_dir / "reports")
    table = ConfigTable(
        "weekly_reviews_rendered", {"week_start": "DATE", "rendered_at": "TIMESTAMPTZ"}, reviews
    )
    with warehouse.connect() as connection:
        replace_config_tables(connection, "review_log", [table])
    return dg.MaterializeResult(metadata={"weeks_reviewed": len(reviews)})
