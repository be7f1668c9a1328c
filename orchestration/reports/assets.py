"""The Monday report asset: last week's review as HTML and Markdown, from the BI file."""

import datetime as dt
import zoneinfo

import dagster as dg
import duckdb

from orchestration.agreements.documents import load_source_mapping
from orchestration.agreements.history import load_agreement_history
from orchestration.publish.assets import analytics_duckdb
from orchestration.reports.markdown import render_markdown
from orchestration.reports.review_queries import load_weekly_review
from orchestration.reports.weekly_review import latest_complete_week, report_week
from orchestration.resources import WarehouseResource

REPORTS_GROUP = "reports"
REPORT_ASSET_KEY = dg.AssetKey(["reports", "weekly_pipeline_review"])


class WeeklyReviewConfig(dg.Config):
    week_start: str | None = None
    """Monday of the week to report (YYYY-MM-DD); default: last week."""


@dg.asset(
    key=REPORT_ASSET_KEY,
    deps=[analytics_duckdb],
    group_name=REPORTS_GROUP,
    kinds={"html", "markdown"},
    description=(
        "Last week's pipeline review for the Monday meeting: the funnel step by step, "
        "13-week trends, disqualification reasons, follow-up per owner with links to the "
        "CRM, SLA pacing, pipeline movement and suggested actions. Written to "
        "`reports/weekly-<week>.html` (self-contained, charts inline) and `.md`."
    ),
)
def weekly_pipeline_review_report(
    context: dg.AssetExecutionContext, config: WeeklyReviewConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    # Imported here, not with the module: the chart library takes 0.3 s to import, and
    # every process that loads these definitions (each nightly run among them) would
    # pay it for a page only this asset draws.
    from orchestration.reports.charts import chart_svg, funnel_chart
    from orchestration.reports.html_page import render_html

    history = load_agreement_history(warehouse.paths.definitions_dir)
    mapping = load_source_mapping(warehouse.paths.source_mapping_file)
    today = dt.datetime.now(zoneinfo.ZoneInfo(history.time_zone)).date()
    with duckdb.connect(str(warehouse.paths.analytics_database), read_only=True) as connection:
        week_start = (
            dt.date.fromisoformat(config.week_start)
            if config.week_start
            else report_week(today, latest_complete_week(connection))
        )
        review = load_weekly_review(
            connection,
            week_start,
            history.in_force_on(week_start).follow_up_window_hours,
            mapping.record_link_base,
        )
    reports_dir = warehouse.paths.warehouse_dir / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    stem = f"weekly-{review.week_label}"
    chart_path = reports_dir / f"{stem}-funnel.svg"
    chart_path.write_text(chart_svg(funnel_chart(review).to_dict()), encoding="utf-8")
    markdown = render_markdown(review, chart_file=chart_path.name)
    report_path = reports_dir / f"{stem}.md"
    report_path.write_text(markdown, encoding="utf-8")
    html_path = reports_dir / f"{stem}.html"
    html_path.write_text(render_html(review), encoding="utf-8")
    context.log.info(f"Weekly review for {review.week_label} written to {html_path}")
    return dg.MaterializeResult(
        metadata={
            "week": review.week_label,
            "html_report": dg.MetadataValue.path(str(html_path)),
            "report": dg.MetadataValue.path(str(report_path)),
            "funnel_chart": dg.MetadataValue.path(str(chart_path)),
            "preview": dg.MetadataValue.md(markdown),
            "leads_in": review.numbers.leads_in,
        }
    )
