"""The agreed-definitions and source-mapping files: parsing, validation, title rule."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from orchestration.agreements.documents import (
    CampaignResponseRule,
    ConfigurationError,
    LeadFieldRule,
    LeadSourceRule,
    OrgCurrency,
    load_agreed_definitions,
    load_source_mapping,
    unproduced_signals,
)
from orchestration.agreements.history import load_agreement_history
from orchestration.agreements.tables import agreed_definition_tables, source_mapping_tables
from orchestration.settings import DEFAULT_DEFINITIONS_DIR, DEFAULT_SOURCE_MAPPING_FILE
from tests.conftest import SHIPPED_DEFINITIONS


def edited_definitions(tmp_path: Path, edit) -> Path:
    document = yaml.safe_load(SHIPPED_DEFINITIONS.read_text())
    edit(document)
    path = tmp_path / "agreed_definitions.yml"
    path.write_text(yaml.safe_dump(document))
    return path


def test_shipped_definitions_hold_the_agreed_numbers():
    definitions = load_agreed_definitions(SHIPPED_DEFINITIONS)
    assert definitions.min_employees == 10
    assert definitions.follow_up_window_hours == 24
    assert definitions.time_zone == "Europe/Amsterdam"
    assert definitions.currency == "EUR"
    assert definitions.min_contact_attempts == 3
    targets = {t.commitment: (t.owner, t.target) for t in definitions.sla_targets}
    assert targets == {
        "sales_ready_leads": ("marketing", 50),
        "sales_ready_to_opportunity_rate": ("sales", 0.3),
        "picked_up_within_window_share": ("sales", 0.9),
        "marketing_pipeline_eur": ("shared", 100000),
        "lead_to_won_rate_floor": ("shared", 0.13),
    }
    assert {s.team for s in definitions.sign_off} == {"marketing", "sales"}


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Chief Financial Officer", True),
        ("  head of SALES ", True),
        ("VP Marketing", True),
        ("Managing Director", True),
        ("Founder & CEO", True),
        ("Sales Manager", False),
        ("Marketing Assistant", False),
        ("Assistant to the CEO", False),
        ("Student", False),
        ("", False),
        (None, False),
    ],
)
def test_budget_authority_title_rule(title, expected):
    assert load_agreed_definitions(SHIPPED_DEFINITIONS).is_budget_authority(title) is expected


def test_missing_key_names_file_and_key_path(tmp_path):
    path = edited_definitions(tmp_path, lambda d: d["lead_definition"].pop("min_employees"))
    with pytest.raises(
        ConfigurationError,
        match=r"agreed_definitions\.yml at 'lead_definition': missing required key 'min_employees'",
    ):
        load_agreed_definitions(path)


def with_title_pattern(pattern: str):
    return lambda d: d["lead_definition"]["budget_authority_titles"]["include"].append(pattern)


# The shipped file has six include patterns, so an appended one is include[6].
APPENDED_PATTERN_KEY = r"at 'lead_definition\.budget_authority_titles\.include\[6\]'"


@pytest.mark.parametrize(
    ("pattern", "engine"),
    [
        ("(unclosed", "Python's re"),
        # Python only: RE2 runs in linear time and has none of these.
        ("(?<=vice )president", "DuckDB (RE2)"),
        (r"(chief)\s+\1", "DuckDB (RE2)"),
        (r"\bdirector++", "DuckDB (RE2)"),
        ("(?>head) of", "DuckDB (RE2)"),
        (r"owner\Z", "DuckDB (RE2)"),
        # RE2 only.
        (r"\pL+ of", "Python's re"),
        (r"\Qhead of\E", "Python's re"),
        # Python compiles it with a warning that it will read it differently one day.
        ("[[:alpha:]]+ director", "Python's re"),
    ],
)
def test_title_pattern_outside_the_shared_dialect_fails_at_load(tmp_path, pattern, engine):
    path = edited_definitions(tmp_path, with_title_pattern(pattern))
    with pytest.raises(ConfigurationError) as error:
        load_agreed_definitions(path)
    message = str(error.value)
    assert re.search(rf"agreed_definitions\.yml {APPENDED_PATTERN_KEY}", message)
    assert f"invalid regular expression {pattern!r}: {engine} rejects it" in message


def test_title_rule_reads_word_characters_as_duckdb_does(tmp_path):
    # RE2, DuckDB's engine, counts only ASCII letters as word characters; Python's re
    # counts every letter. The check must read the pattern as dbt's SQL did.
    definitions = load_agreed_definitions(
        edited_definitions(tmp_path, with_title_pattern(r"^\w+$"))
    )
    assert definitions.is_budget_authority("Gerant")
    assert not definitions.is_budget_authority("Gérant")


# Runs in its own interpreter: a backtracking engine would never return, and the test
# then fails on the timeout instead of hanging the suite.
CATASTROPHIC_TITLE_SCRIPT = """
import sys
from pathlib import Path
from orchestration.agreements.documents import load_agreed_definitions
definitions = load_agreed_definitions(Path(sys.argv[1]))
print(definitions.is_budget_authority("a" * 5000 + "!"))
"""
NEVER_RETURNS_S = 120


def test_catastrophic_title_pattern_cannot_hang_the_check(tmp_path):
    path = edited_definitions(tmp_path, with_title_pattern("(a+)+$"))
    finished = subprocess.run(
        [sys.executable, "-c", CATASTROPHIC_TITLE_SCRIPT, str(path)],
        capture_output=True,
        text=True,
        timeout=NEVER_RETURNS_S,
        check=True,
    )
    # "a…a!" ends in "!", so `(a+)+$` cannot match; no other pattern matches either.
    assert finished.stdout.strip() == "False"


def alias_bomb(levels: int = 9, width: int = 9) -> list[str]:
    """The "billion laughs": each level lists the previous one `width` times, so the
    last anchor stands for width ** levels values in a few hundred bytes."""
    lines = [f"laugh_0: &laugh_0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        aliases = ", ".join([f"*laugh_{level - 1}"] * width)
        lines.append(f"laugh_{level}: &laugh_{level} [{aliases}]")
    return lines


def test_yaml_alias_bomb_is_refused_naming_file_and_line(tmp_path):
    document = yaml.safe_load(SHIPPED_DEFINITIONS.read_text())
    document.pop("disqualification_reasons")
    bomb = alias_bomb()
    path = tmp_path / "agreed_definitions.yml"
    path.write_text(
        "\n".join([yaml.safe_dump(document), *bomb, "disqualification_reasons: *laugh_8", ""])
    )
    first_anchor_line = path.read_text().splitlines().index(bomb[0]) + 1
    # The anchor `&laugh_0` starts after "laugh_0: ", in column 10.
    with pytest.raises(
        ConfigurationError,
        match=rf"agreed_definitions\.yml, line {first_anchor_line}, column 10: not valid YAML: "
        r"anchors and aliases \(&name, \*name\) are not allowed",
    ):
        load_agreed_definitions(path)


def test_oversized_configuration_file_is_refused_unread(tmp_path):
    path = tmp_path / "source_mapping.yml"
    text = DEFAULT_SOURCE_MAPPING_FILE.read_text()
    path.write_text(text + "#" * (1_000_001 - len(text.encode())) + "\n")
    with pytest.raises(
        ConfigurationError,
        match=r"source_mapping\.yml: 1,000,002 bytes, more than the 1,000,000 a configuration",
    ):
        load_source_mapping(path)


def test_a_document_is_parsed_once_and_again_once_edited(tmp_path):
    path = tmp_path / "source_mapping.yml"
    text = DEFAULT_SOURCE_MAPPING_FILE.read_text()
    assert "max_shrink_share: 0.2\n" in text
    path.write_text(text)
    first = load_source_mapping(path)
    assert load_source_mapping(path) is first
    # Same size, same second: only the text tells the edit apart.
    path.write_text(text.replace("max_shrink_share: 0.2\n", "max_shrink_share: 0.5\n"))
    assert load_source_mapping(path).max_shrink_share == 0.5
    path.write_text(text)
    assert load_source_mapping(path).max_shrink_share == 0.2


def test_unknown_time_zone_is_rejected(tmp_path):
    path = edited_definitions(tmp_path, lambda d: d["reporting"].update(time_zone="Mars/Olympus"))
    with pytest.raises(ConfigurationError, match="unknown time zone 'Mars/Olympus'"):
        load_agreed_definitions(path)


def test_lead_source_in_two_channels_is_rejected(tmp_path):
    path = edited_definitions(
        tmp_path, lambda d: d["channels"]["paid_social"]["lead_sources"].append("Web")
    )
    with pytest.raises(ConfigurationError, match="lead source 'Web' is listed more than once"):
        load_agreed_definitions(path)


def test_rate_target_above_one_is_rejected(tmp_path):
    path = edited_definitions(
        tmp_path, lambda d: d["sla_targets"]["sales_ready_to_opportunity_rate"].update(target=30)
    )
    with pytest.raises(ConfigurationError, match="at most 1"):
        load_agreed_definitions(path)


def test_every_measured_commitment_needs_a_target(tmp_path):
    path = edited_definitions(tmp_path, lambda d: d["sla_targets"].pop("marketing_pipeline_eur"))
    with pytest.raises(ConfigurationError, match=r"missing target\(s\) for marketing_pipeline_eur"):
        load_agreed_definitions(path)


def test_definition_tables_carry_version_and_channel_mapping():
    tables = {
        t.name: t for t in agreed_definition_tables(load_agreement_history(DEFAULT_DEFINITIONS_DIR))
    }
    # The one shipped version is in force for every day: no start, no end.
    assert tables["definition_versions"].rows[0][:5] == (
        "2026.1",
        dt.date(2026, 1, 1),
        False,
        None,
        None,
    )
    assert tables["reporting"].rows == [("Europe/Amsterdam", "EUR")]
    lead_sources = {source: channel for _, source, channel in tables["channel_lead_sources"].rows}
    assert lead_sources["Marktplaats"] == lead_sources["AutoTrack"] == "classifieds"
    assert ("2026.1", "sales_outbound", False) in tables["channels"].rows
    assert ("2026.1", "mql", "product_page_view", 3) in tables["lifecycle_stage_rules"].rows
    assert ("2026.1", "aligned", "weekly_review_every_week", 1.0) in (
        tables["maturity_thresholds"].rows
    )


def test_source_mapping_handles_standard_lead_statuses():
    mapping = load_source_mapping(DEFAULT_SOURCE_MAPPING_FILE)
    assert mapping.lead_statuses["Open - Not Contacted"] == "open"
    assert mapping.lead_statuses["Working - Contacted"] == "working"
    assert mapping.lead_statuses["Closed - Converted"] == "converted"
    assert mapping.lead_statuses["Closed - Not Converted"] == "disqualified"
    assert mapping.custom_fields_for("Lead") == {
        "disqualification_reason": "Disqualified_Reason__c"
    }
    assert mapping.custom_fields_for("User") == {"team_attribute": "Department"}
    tables = {t.name for t in source_mapping_tables(mapping)}
    assert tables == {
        "user_teams",
        "lead_status_stages",
        "opportunity_stages",
        "marketo_signal_rules",
        "marketo_content_rules",
        "crm_campaign_response_rules",
        "crm_lead_field_rules",
        "crm_lead_source_rules",
        "org_currency",
        "data_quality",
    }
    # The shipped mapping adds no CRM signals, so the sample's numbers stay Marketo's.
    assert mapping.crm_signal_rules.all == ()
    assert mapping.org_currency == OrgCurrency(None, None)


def mapping_with(tmp_path, salesforce: dict, drop_marketo: bool = False) -> Path:
    document = yaml.safe_load(DEFAULT_SOURCE_MAPPING_FILE.read_text())
    document["salesforce"].update(salesforce)
    if drop_marketo:
        del document["marketo"]
    path = tmp_path / "source_mapping.yml"
    path.write_text(yaml.safe_dump(document))
    return path


def test_source_mapping_orders_the_opportunity_stage_picklist():
    mapping = load_source_mapping(DEFAULT_SOURCE_MAPPING_FILE)
    assert mapping.instance_url == "https://example.my.salesforce.com"
    stages = [(s.stage, s.outcome, s.order) for s in mapping.opportunity_stages]
    assert stages[0] == ("Prospecting", "open", 1)
    assert stages[7] == ("Negotiation/Review", "open", 8)
    assert stages[8:] == [("Closed Won", "won", 9), ("Closed Lost", "lost", 10)]


@pytest.mark.parametrize(
    "address",
    [
        "http://example.my.salesforce.com",
        "example.my.salesforce.com",
        "https://example.my.salesforce.com/?q=1",
        "https://example.my.salesforce.com/x)y",
        'https://example.my.salesforce.com/"onmouseover=',
    ],
)
def test_instance_url_must_be_a_plain_https_address(tmp_path, address):
    path = mapping_with(tmp_path, {"instance_url": address})
    with pytest.raises(ConfigurationError, match=r"at 'salesforce\.instance_url'"):
        load_source_mapping(path)


def test_opportunity_stage_listed_twice_is_rejected(tmp_path):
    shipped = yaml.safe_load(DEFAULT_SOURCE_MAPPING_FILE.read_text())["salesforce"]
    stages = [*shipped["opportunity_stages"], {"stage": "Prospecting", "outcome": "open"}]
    path = mapping_with(tmp_path, {"opportunity_stages": stages})
    with pytest.raises(ConfigurationError, match="stage 'Prospecting' is listed more than once"):
        load_source_mapping(path)


def test_sales_cycle_is_a_whole_number_of_days(tmp_path):
    assert load_agreed_definitions(SHIPPED_DEFINITIONS).sales_cycle_days == 90
    path = edited_definitions(tmp_path, lambda d: d["sales_cycle"].update(days=0))
    with pytest.raises(ConfigurationError, match=r"at 'sales_cycle\.days': must be at least 1"):
        load_agreed_definitions(path)
    path = edited_definitions(tmp_path, lambda d: d.pop("sales_cycle"))
    with pytest.raises(ConfigurationError, match="missing required key 'sales_cycle'"):
        load_agreed_definitions(path)


def test_content_rules_name_the_asset_as_the_mapping_says(tmp_path):
    mapping = load_source_mapping(DEFAULT_SOURCE_MAPPING_FILE)
    assert [(r.content_type, r.activity_type_id, r.asset) for r in mapping.content_rules] == [
        ("whitepaper", 2, "after_prefix"),
        ("webinar", 104, "whole_value"),
        ("page_group", 1, "first_path_segment"),
    ]
    assert mapping.content_rules[0].prefix == "Whitepaper Download - "
    document = yaml.safe_load(DEFAULT_SOURCE_MAPPING_FILE.read_text())
    document["marketo"]["content_rules"][0]["primary_attribute_like"] = "%Whitepaper%"
    path = tmp_path / "source_mapping.yml"
    path.write_text(yaml.safe_dump(document))
    with pytest.raises(ConfigurationError, match="a fixed start and a final %"):
        load_source_mapping(path)


def test_crm_signal_rules_are_read_for_a_salesforce_only_org(tmp_path):
    path = mapping_with(
        tmp_path,
        {
            "signal_rules": {
                "campaign_responses": [
                    {"signal": "webinar_attendance", "campaign_type": "Webinar"},
                    {
                        "signal": "demo_request",
                        "campaign_name_like": "Demo%",
                        "member_status": "Responded",
                        "responded_only": False,
                    },
                ],
                "lead_fields": [{"signal": "demo_request", "field": "Demo__c", "equals": True}],
                "lead_sources": [{"signal": "information_request", "lead_source": "Web Form"}],
            }
        },
        drop_marketo=True,
    )
    mapping = load_source_mapping(path)
    rules = mapping.crm_signal_rules
    assert rules.campaign_responses == (
        CampaignResponseRule("webinar_attendance", "Webinar", None, None, True),
        CampaignResponseRule("demo_request", None, "Demo%", "Responded", False),
    )
    assert rules.lead_fields == (LeadFieldRule("demo_request", "Demo__c", "true"),)
    assert rules.lead_sources == (LeadSourceRule("information_request", "Web Form"),)
    assert mapping.signal_rules == () and mapping.lead_signal_fields == ("Demo__c",)
    definitions = load_agreed_definitions(SHIPPED_DEFINITIONS)
    # The default definitions count product-page views, pricing questions and more,
    # which these rules never produce: the run warns about each.
    assert unproduced_signals(definitions, mapping) == [
        "call_me_request",
        "pricing_question",
        "product_page_view",
        "whitepaper_download",
    ]


def test_a_campaign_response_rule_must_name_the_campaign(tmp_path):
    path = mapping_with(
        tmp_path, {"signal_rules": {"campaign_responses": [{"signal": "demo_request"}]}}
    )
    with pytest.raises(
        ConfigurationError,
        match=r"campaign_responses\[0\]': give campaign_type or campaign_name_like",
    ):
        load_source_mapping(path)


@pytest.mark.parametrize(
    ("currency", "problem"),
    [
        ({"org_currency": "USD"}, "declare units_per_corporate_unit"),
        ({"units_per_corporate_unit": 1.1}, "applies only to an org_currency other than"),
        ({"org_currency": "EUR", "units_per_corporate_unit": 1.1}, "applies only to"),
    ],
)
def test_an_org_currency_must_convert_to_the_corporate_currency(tmp_path, currency, problem):
    mapping = load_source_mapping(mapping_with(tmp_path, {"currency": currency}))
    definitions = load_agreed_definitions(SHIPPED_DEFINITIONS)
    with pytest.raises(ConfigurationError, match=rf"at 'salesforce\.currency': .*{problem}"):
        mapping.check_currency_against(definitions)


def test_an_org_currency_with_its_rate_or_the_corporate_one_is_fine(tmp_path):
    definitions = load_agreed_definitions(SHIPPED_DEFINITIONS)
    for currency in (
        {"org_currency": "USD", "units_per_corporate_unit": 1.08},
        {"org_currency": "EUR"},
    ):
        load_source_mapping(mapping_with(tmp_path, {"currency": currency})).check_currency_against(
            definitions
        )


def test_the_user_team_attribute_must_be_mapped(tmp_path):
    path = mapping_with(tmp_path, {"custom_fields": {"Lead": {"disqualification_reason": "X"}}})
    with pytest.raises(ConfigurationError, match=r"User\.team_attribute is required"):
        load_source_mapping(path)


def edited_mapping(tmp_path: Path, edit) -> Path:
    document = yaml.safe_load(DEFAULT_SOURCE_MAPPING_FILE.read_text())
    edit(document)
    path = tmp_path / "source_mapping.yml"
    path.write_text(yaml.safe_dump(document))
    return path


def test_unknown_funnel_stage_in_status_mapping_is_rejected(tmp_path):
    path = edited_mapping(
        tmp_path, lambda d: d["salesforce"]["lead_statuses"].update(Nurture="warming")
    )
    with pytest.raises(ConfigurationError, match=r"lead_statuses\.Nurture': must be one of"):
        load_source_mapping(path)


def test_shipped_mapping_sets_a_handful_of_bad_records_aside():
    data_quality = load_source_mapping(DEFAULT_SOURCE_MAPPING_FILE).data_quality
    assert data_quality.max_opportunity_amount_eur == 100_000_000
    assert data_quality.set_aside_max_records == 5
    assert data_quality.set_aside_max_share == 0.001
    tables = {
        t.name: t for t in source_mapping_tables(load_source_mapping(DEFAULT_SOURCE_MAPPING_FILE))
    }
    assert tables["data_quality"].rows == [(100_000_000,)]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["data_quality"]["set_aside"].update(max_share=5),
            r" at 'data_quality\.set_aside\.max_share': must be at least 0\.0 and at most 1,",
        ),
        (
            lambda d: d["data_quality"]["set_aside"].update(max_records=-1),
            r" at 'data_quality\.set_aside\.max_records': must be at least 0,",
        ),
        # EUR amounts are DECIMAL(18, 2): a bound they cannot hold bounds nothing.
        (
            lambda d: d["data_quality"].update(max_opportunity_amount_eur=1e16),
            r" at 'data_quality\.max_opportunity_amount_eur': must be at least 1 and at most "
            r"1000000000000000,",
        ),
    ],
)
def test_bad_data_quality_settings_are_rejected(tmp_path, edit, message):
    with pytest.raises(ConfigurationError, match=rf"source_mapping\.yml{message}"):
        load_source_mapping(edited_mapping(tmp_path, edit))


def test_a_mapping_without_data_quality_sets_aside_as_the_shipped_one_does(tmp_path):
    mapping = load_source_mapping(edited_mapping(tmp_path, lambda d: d.pop("data_quality")))
    assert mapping.data_quality == load_source_mapping(DEFAULT_SOURCE_MAPPING_FILE).data_quality
