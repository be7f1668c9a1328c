"""The agreement over time: versions in force, drafts, and applied versions that
cannot change (orchestration/agreements/history.py, applied.py). Pure logic, no dbt."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from orchestration.agreements.applied import (
    APPLIED_FILE,
    AppliedVersionChanged,
    verify_and_record,
)
from orchestration.agreements.documents import ConfigurationError, load_agreed_definitions
from orchestration.agreements.history import definition_files, load_agreement_history
from orchestration.settings import DEFAULT_DEFINITIONS_DIR, warehouse_paths
from tests.conftest import SHIPPED_DEFINITIONS, write_version

NOW = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)


def stricter(document):
    document["lead_definition"]["min_employees"] = 50


@pytest.fixture
def versions_dir(tmp_path):
    """2026.1 from 1 January, 2026.2 from 1 April (signed), draft 2026.3 from 1 July."""
    directory = tmp_path / "agreed_definitions"
    write_version(directory, "2026.1", "2026-01-01")
    write_version(directory, "2026.2", "2026-04-01", stricter)
    write_version(directory, "2026.3", "2026-07-01", stricter, signed_by=("sales",))
    return directory


def test_each_signed_version_is_in_force_from_its_date_until_the_next(versions_dir):
    history = load_agreement_history(versions_dir)
    first, second = history.signed
    (draft,) = history.drafts
    assert [first.version, second.version, draft.version] == ["2026.1", "2026.2", "2026.3"]
    # The first version also judges what came before it; the last is open-ended.
    assert history.in_force_window(first) == (None, dt.date(2026, 4, 1))
    assert history.in_force_window(second) == (dt.date(2026, 4, 1), None)
    assert history.in_force_window(draft) == (None, None)
    assert history.in_force_on(dt.date(2025, 11, 3)) is first
    assert history.in_force_on(dt.date(2026, 3, 31)) is first
    assert history.in_force_on(dt.date(2026, 4, 1)) is second
    # The draft's effective date has come, but a draft is never in force.
    assert history.in_force_on(dt.date(2026, 8, 1)) is second
    assert history.latest is second


def test_a_single_file_is_a_history_of_one_version():
    history = load_agreement_history(SHIPPED_DEFINITIONS)
    assert [v.version for v in history.signed] == ["2026.1"] and history.drafts == ()
    assert definition_files(SHIPPED_DEFINITIONS) == [SHIPPED_DEFINITIONS]


def test_a_version_signed_by_one_team_or_with_a_pending_signature_is_a_draft(tmp_path):
    one = load_agreed_definitions(write_version(tmp_path, "a", "2026-05-01", signed_by=("sales",)))
    assert not one.is_signed

    def pending(document):
        document["sign_off"][1]["signed_on"] = None

    assert not load_agreed_definitions(
        write_version(tmp_path, "b", "2026-05-01", pending)
    ).is_signed
    assert load_agreed_definitions(write_version(tmp_path, "c", "2026-05-01")).is_signed


def test_a_signature_after_the_effective_date_is_refused(tmp_path):
    def late(document):
        document["sign_off"][1]["signed_on"] = dt.date(2026, 5, 2)

    path = write_version(tmp_path, "2026.2", "2026-05-01", late)
    with pytest.raises(ConfigurationError) as error:
        load_agreed_definitions(path)
    assert re.search(
        r"2026\.2\.yml at 'sign_off\[1\]\.signed_on': signed on 2026-05-02, after the "
        r"effective_date 2026-05-01",
        str(error.value),
    )


@pytest.mark.parametrize(
    ("second", "problem"),
    [
        (("2026.1", "2026-04-01", stricter), r"at 'version': 2026\.1 is also the version of"),
        (("2026.2", "2026-01-01", stricter), r"two signed versions cannot take effect on the same"),
        (
            ("2026.2", "2026-04-01", lambda d: d["reporting"].update(time_zone="Europe/London")),
            r"at 'reporting\.time_zone': Europe/London differs from Europe/Amsterdam",
        ),
        (
            ("2026.2", "2026-04-01", lambda d: d["reporting"].update(currency="USD")),
            r"at 'reporting\.currency': USD differs from EUR",
        ),
    ],
)
def test_versions_that_cannot_live_together_are_refused(tmp_path, second, problem):
    write_version(tmp_path / "versions", "2026.1", "2026-01-01")
    version, effective, edit = second
    (tmp_path / "versions" / "second").mkdir()
    write_version(tmp_path / "versions" / "second", version, effective, edit).rename(
        tmp_path / "versions" / "z.yml"
    )
    with pytest.raises(ConfigurationError, match=problem):
        load_agreement_history(tmp_path / "versions")


def test_a_history_needs_a_signed_version(tmp_path):
    write_version(tmp_path / "unsigned", "2026.1", "2026-01-01", signed_by=("marketing",))
    with pytest.raises(
        ConfigurationError, match="no version is signed by both marketing and sales"
    ):
        load_agreement_history(tmp_path / "unsigned")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigurationError, match=r"empty: no version files \(\*\.yml\)"):
        load_agreement_history(tmp_path / "empty")


def test_signed_versions_are_recorded_once_drafts_never(versions_dir, tmp_path):
    warehouse = tmp_path / "warehouse"
    history = load_agreement_history(versions_dir)
    assert verify_and_record(history, warehouse, NOW) == ["2026.1", "2026.2"]
    assert verify_and_record(history, warehouse, NOW) == []
    recorded = json.loads((warehouse / APPLIED_FILE).read_text())["versions"]
    assert sorted(recorded) == ["2026.1", "2026.2"]
    assert recorded["2026.2"]["first_applied_at"] == "2026-03-01T02:00:00+00:00"
    assert recorded["2026.2"]["rules"]["lead_definition.min_employees"]
    # A draft stays open to change: both teams are still negotiating it.
    write_version(versions_dir, "2026.3", "2026-07-01", signed_by=("sales",))
    assert verify_and_record(load_agreement_history(versions_dir), warehouse, NOW) == []


def test_layout_whitespace_comments_and_equal_numbers_do_not_count(versions_dir, tmp_path):
    warehouse = tmp_path / "warehouse"
    verify_and_record(load_agreement_history(versions_dir), warehouse, NOW)
    path = versions_dir / "2026.1.yml"
    text = path.read_text()
    assert "window_hours: 24\n" in text
    text = "# Signed at the January offsite.\n\n" + text.replace(
        "window_hours: 24\n", "window_hours:   24.0   # one working day\n"
    )
    path.write_text(text)
    assert verify_and_record(load_agreement_history(versions_dir), warehouse, NOW) == []


def test_changing_an_applied_version_names_the_version_and_the_keys(versions_dir, tmp_path):
    warehouse = tmp_path / "warehouse"
    verify_and_record(load_agreement_history(versions_dir), warehouse, NOW)
    before = (warehouse / APPLIED_FILE).read_text()

    def raise_the_bar(document):
        document["lead_definition"]["min_employees"] = 50
        document["sla_targets"]["sales_ready_leads"]["target"] = 60
        document["freshness"]["stale_after_days"] = 2

    write_version(versions_dir, "2026.1", "2026-01-01", raise_the_bar)
    with pytest.raises(AppliedVersionChanged) as error:
        verify_and_record(load_agreement_history(versions_dir), warehouse, NOW)
    message = str(error.value)
    assert (
        "2026.1.yml: the rules of version 2026.1 (applied since 2026-03-01) changed at " in message
    )
    assert (
        "'freshness.stale_after_days', 'lead_definition.min_employees', "
        "'sla_targets.sales_ready_leads.target'; a signed version never changes" in message
    )
    assert "put the change in a new version" in message
    # The record is untouched: the next run fails the same way until it is restored.
    assert (warehouse / APPLIED_FILE).read_text() == before


def test_withdrawing_an_applied_version_or_a_signature_fails(versions_dir, tmp_path):
    warehouse = tmp_path / "warehouse"
    verify_and_record(load_agreement_history(versions_dir), warehouse, NOW)
    write_version(versions_dir, "2026.2", "2026-04-01", stricter, signed_by=("marketing",))
    with pytest.raises(AppliedVersionChanged, match=r"2026\.2\.yml at 'sign_off': version 2026\.2"):
        verify_and_record(load_agreement_history(versions_dir), warehouse, NOW)
    (versions_dir / "2026.2.yml").unlink()
    with pytest.raises(
        AppliedVersionChanged, match=r"version 2026\.2 .*file 2026\.2\.yml\) is missing"
    ):
        verify_and_record(load_agreement_history(versions_dir), warehouse, NOW)


def test_maturity_thresholds_default_and_are_validated(tmp_path):
    def without_section(document):
        del document["alignment_maturity"]

    defaults = load_agreed_definitions(write_version(tmp_path, "a", "2026-01-01", without_section))
    assert {(t.criterion, t.threshold) for t in defaults.maturity_thresholds} >= {
        ("disqualification_reasons_given", 0.95),
        ("feedback_loop_changes_source_mix", 0.05),
    }

    def unknown(document):
        document["alignment_maturity"]["aligned"]["joint_offsites"] = 1

    with pytest.raises(
        ConfigurationError, match=r"at 'alignment_maturity\.aligned': unknown aligned criterion"
    ):
        load_agreed_definitions(write_version(tmp_path, "b", "2026-01-01", unknown))

    def above_one(document):
        document["alignment_maturity"]["integrated"]["shared_kpis_met"] = 1.5

    with pytest.raises(
        ConfigurationError,
        match=r"at 'alignment_maturity\.integrated\.shared_kpis_met': must be at least 0",
    ):
        load_agreed_definitions(write_version(tmp_path, "c", "2026-01-01", above_one))


def test_the_definitions_folder_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("REVENUE_DEFINITIONS_DIR", raising=False)
    monkeypatch.delenv("REVENUE_DEFINITIONS_FILE", raising=False)
    assert warehouse_paths().definitions_dir == DEFAULT_DEFINITIONS_DIR
    # The variable from before versions had files of their own still names one file.
    monkeypatch.setenv("REVENUE_DEFINITIONS_FILE", str(SHIPPED_DEFINITIONS))
    assert warehouse_paths().definitions_dir == SHIPPED_DEFINITIONS
    monkeypatch.setenv("REVENUE_DEFINITIONS_DIR", str(tmp_path))
    assert warehouse_paths().definitions_dir == tmp_path
