"""The Monday report asset: last week's review as Markdown and a chart, from the BI file."""

import datetime as dt
import zoneinfo

import dagster as dg
import duckdb

from orchestration.agreements.documents import load_agreed_definitions
from orchestration.publish.assets import analytics_duckdb
from orchestration.reports.weekly_review import (
    latest_complete_week,
    load_weekly_review,
    render_funnel_svg,
    render_markdown,
    report_week,
)
from orchestration.resources import WarehouseResource

REPORTS_GROUP = "reports"


class WeeklyReviewConfig(dg.Config):
    week_start: str | None = None
    """Monday of the week to report (YYYY-MM-DD); default: last week."""


@dg.asset(
    key=dg.AssetKey(["reports", "weekly_pipeline_review"]),
    deps=[analytics_duckdb],
    group_name=REPORTS_GROUP,
    kinds={"markdown"},
    description=(
        "Last week's pipeline review for the Monday meeting: the funnel, top "
        "disqualification reasons, follow-up breaches, SLA month to date and a suggested "
        "action per missed target. Written to `reports/weekly-<week>.md` with a chart."
    ),
)
def weekly_pipeline_review_report(
    context: dg.AssetExecutionContext, config: WeeklyReviewConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    definitions = load_agreed_definitions(warehouse.paths.definitions_file)
    today = dt.datetime.now(zoneinfo.ZoneInfo(definitions.time_zone)).date()
    with duckdb.connect(str(warehouse.paths.analytics_database), read_only=True) as connection:
        week_start = (
            dt.date.fromisoformat(config.week_start)
            if config.week_start
            else report_week(today, latest_complete_week(connection))
        )
        review = load_weekly_review(connection, week_start, definitions.follow_up_window_hours)
    reports_dir = warehouse.paths.warehouse_dir / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    chart_path = reports_dir / f"weekly-{review.week_label}-funnel.svg"
    chart_path.write_text(render_funnel_svg(review), encoding="utf-8")
    markdown = render_markdown(review, chart_file=chart_path.name)
    report_path = reports_dir / f"weekly-{review.week_label}.md"
    report_path.write_text(markdown, encoding="utf-8")
    context.log.info(f"Weekly review for {review.week_label} written to {report_path}")
    return dg.MaterializeResult(
        metadata={
            "week": review.week_label,
            "report": dg.MetadataValue.path(str(report_path)),
            "funnel_chart": dg.MetadataValue.path(str(chart_path)),
            "preview": dg.MetadataValue.md(markdown),
            "leads_in": review.numbers.leads_in,
        }
    )
