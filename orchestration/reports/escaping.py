"""Making CRM data safe to show: everything the report renders comes from exports that
anyone with a Salesforce login can type into, so no value may become markup.

HTML values are escaped by the template engine (autoescape); what is left here is the
Markdown text, the JSON that carries chart data inside a <script> element, and links
to CRM records.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any

# Characters that start Markdown syntax inside a table cell or a line of text: table
# pipes, emphasis, code, links and images, raw HTML, escapes themselves.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_HTML_IN_MARKDOWN = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# A JSON string may hold "</script>" or "<!--", which end or confuse a script element;
# the same characters as unicode escapes mean the same to JSON.parse.
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def markdown_text(value: Any) -> str:
    """`value` as literal Markdown text: one line, no syntax, no HTML."""
    text = " ".join(str(value).split())
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return "".join(_HTML_IN_MARKDOWN.get(character, character) for character in text)


def json_for_script(value: Any) -> str:
    """JSON to place inside <script type="application/json">, which HTML never escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "".join(_SCRIPT_UNSAFE.get(character, character) for character in text)


def crm_record_url(instance_url: str, record_id: str) -> str:
    """The record's page in Salesforce; the id is percent-encoded, so it stays one path
    segment whatever the export holds."""
    return f"{instance_url}/{urllib.parse.quote(str(record_id), safe='')}"
