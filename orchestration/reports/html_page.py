"""The review as one self-contained HTML page: tables, charts and the Vega JavaScript
inline, so it opens from a file, a mail attachment or a share without a network.

The template is rendered with autoescaping: every value from the CRM reaches the page
as text. The only markup passed through unescaped is this project's own: the chart
specifications (JSON made safe for a script element) and the bundled Vega script.
"""

from __future__ import annotations

import functools
import itertools
import re

import jinja2
from markupsafe import Markup

from orchestration.reports import wording
from orchestration.reports.actions import suggested_actions
from orchestration.reports.charts import review_charts, vega_javascript
from orchestration.reports.escaping import crm_record_url, json_for_script
from orchestration.reports.weekly_review import MOVES, WeeklyReview

# A script element ends at the first "</script", wherever it stands.
_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("orchestration.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters.update(
        percent=wording.percent,
        euros=wording.euros,
        commitment_label=wording.commitment_label,
        owner_label=wording.owner_label,
    )
    environment.globals.update(
        commitment_value=wording.commitment_value,
        crm_record_url=crm_record_url,
        draft_effect=wording.draft_effect,
        follow_up_problem=wording.follow_up_problem,
        step_labels=wording.FUNNEL_STEP_LABELS,
        movement_labels=wording.MOVEMENT_LABELS,
        pace_labels=wording.PACE_LABELS,
        moves=MOVES,
    )
    return environment


@functools.cache
def _inline_vega_javascript() -> Markup:
    return Markup(_SCRIPT_END.sub(r"<\\/\1", vega_javascript()))


def render_html(review: WeeklyReview) -> str:
    follow_up_by_owner = [
        (owner, list(leads))
        for owner, leads in itertools.groupby(review.follow_up_leads, key=lambda lead: lead.owner)
    ]
    return (
        _environment()
        .get_template("weekly_review.html.j2")
        .render(
            review=review,
            n=review.numbers,
            actions=suggested_actions(review),
            follow_up_by_owner=follow_up_by_owner,
            chart_specs=Markup(json_for_script(review_charts(review))),
            vega_javascript=_inline_vega_javascript(),
        )
    )
