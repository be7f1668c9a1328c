"""The `hubspot:` section of the source mapping: defaults, tables, and mistakes named."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
import yaml

from orchestration.agreements.documents import (
    ConfigurationError,
    load_agreed_definitions,
    load_source_mapping,
)
from orchestration.agreements.hubspot_mapping import HubSpotSignalRule
from orchestration.agreements.tables import hubspot_mapping_tables
from orchestration.ingest.assets import export_assets
from orchestration.settings import DEFAULT_SOURCE_MAPPING_FILE
from tests.conftest import FIXTURE_LANDING, HUBSPOT_PORTAL, SHIPPED_DEFINITIONS, make_warehouse

PORTAL_MAPPING = HUBSPOT_PORTAL / "source_mapping.yml"


def edited(tmp_path: Path, change) -> Path:
    document = yaml.safe_load(PORTAL_MAPPING.read_text())
    change(document["hubspot"])
    path = tmp_path / "source_mapping.yml"
    path.write_text(yaml.safe_dump(document))
    return path


def test_a_hubspot_only_mapping_with_defaults():
    mapping = load_source_mapping(PORTAL_MAPPING)
    hubspot = mapping.hubspot
    assert mapping.systems == ("hubspot",) and mapping.instance_url is None
    assert mapping.record_link_base == "https://app-eu1.hubspot.com/contacts/4711/record/0-1"
    assert hubspot.owner_teams == {
        "Sales": "sales",
        "Inside Sales": "sales",
        "Marketing": "marketing",
    }
    # HubSpot's standard lead statuses, as the mapping lists none.
    assert hubspot.lead_statuses["UNQUALIFIED"] == "disqualified"
    assert hubspot.lead_statuses["BAD_TIMING"] == "nurture"
    assert hubspot.properties_for("contacts") == {
        "disqualification_reason": "disqualification_reason"
    }
    assert hubspot.signal_rules == (
        HubSpotSignalRule("demo_request", "form_submission", form_name_like="Request a Demo%"),
        HubSpotSignalRule("information_request", "form_submission", form_id="f-contact"),
        HubSpotSignalRule("product_page_view", "page_view", url_like="%/products/%"),
        HubSpotSignalRule("email_click", "email_event", event_type="CLICK"),
        HubSpotSignalRule("call_me_request", "meeting_booked"),
    )
    tables = {table.name: table.rows for table in hubspot_mapping_tables(hubspot)}
    assert tables["hubspot_settings"] == [
        ("https://app-eu1.hubspot.com/contacts/4711", "disqualification_reason", None, None)
    ]
    assert ("PAID_SEARCH", "Google Ads") in tables["hubspot_analytics_sources"]
    assert len(tables["hubspot_signal_rules"]) == 5


def test_a_salesforce_only_mapping_writes_empty_hubspot_tables(tmp_path):
    document = yaml.safe_load(DEFAULT_SOURCE_MAPPING_FILE.read_text())
    del document["hubspot"]
    path = tmp_path / "source_mapping.yml"
    path.write_text(yaml.safe_dump(document))
    mapping = load_source_mapping(path)
    assert mapping.systems == ("salesforce",)
    assert mapping.record_link_base == "https://example.my.salesforce.com"
    tables = {table.name: table.rows for table in hubspot_mapping_tables(mapping.hubspot)}
    assert tables["hubspot_settings"] == [(None, None, None, None)]
    assert tables["hubspot_owner_teams"] == tables["hubspot_signal_rules"] == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda h: h.pop("portal_url"), r"at 'hubspot': missing required key 'portal_url'"),
        (lambda h: h.update(portal_url="http://app.hubspot.com/x"), r"at 'hubspot\.portal_url'"),
        (
            lambda h: h["owner_teams"].update(Support="service"),
            r"at 'hubspot\.owner_teams\.Support': must be one of sales, marketing",
        ),
        (
            lambda h: h.update(lead_statuses={"NEW": "fresh"}),
            r"at 'hubspot\.lead_statuses\.NEW': must be one of open, working",
        ),
        (
            lambda h: h["signal_rules"]["forms"].append({"signal": "demo_request"}),
            r"at 'hubspot\.signal_rules\.forms\[2\]': give form_id or form_name_like",
        ),
        (
            lambda h: h["signal_rules"].update(
                lifecycle_stages=[{"signal": "x", "lifecycle_stage": "customer"}]
            ),
            r"at 'hubspot\.signal_rules\.lifecycle_stages\[0\]\.lifecycle_stage'",
        ),
        (
            lambda h: h.update(currency={"org_currency": "USD"}),
            r"at 'hubspot\.currency': the org currency USD is not the corporate currency",
        ),
    ],
)
def test_mistakes_in_the_hubspot_section_name_file_and_key(tmp_path, change, problem):
    path = edited(tmp_path, change)
    with pytest.raises(ConfigurationError, match=problem) as failure:
        load_source_mapping(path).check_currency_against(
            load_agreed_definitions(SHIPPED_DEFINITIONS)
        )
    assert str(path) in str(failure.value)


def test_a_mapping_needs_a_section_for_some_crm(tmp_path):
    path = tmp_path / "source_mapping.yml"
    path.write_text("volume_guard:\n  max_shrink_share: 0.2\n")
    with pytest.raises(ConfigurationError, match="expected a 'salesforce' or a 'hubspot' section"):
        load_source_mapping(path)


def test_salesforce_exports_need_the_salesforce_section(tmp_path):
    user = next(
        asset for asset in export_assets if asset.key == dg.AssetKey(["salesforce", "user"])
    )
    warehouse = make_warehouse(
        FIXTURE_LANDING, tmp_path / "wh", source_mapping_file=str(PORTAL_MAPPING)
    )
    with pytest.raises(ConfigurationError, match="mapping has no 'salesforce' section"):
        dg.materialize([user], resources={"warehouse": warehouse})
