"""The HTML review as people see it: opened from a file in a real headless Chromium
(Debian's, installed by `make test`), with no network, no console errors, the charts
drawn and the key numbers on screen. A screenshot of each page is kept as an artefact
in $REVENUE_TEST_ARTIFACTS (default: test-artifacts/)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

from orchestration.reports.html_page import render_html
from orchestration.settings import PROJECT_ROOT
from tests.test_weekly_report import HOSTILE, hostile_review

CHARTS = ("funnel", "trend", "reasons", "pacing", "movement", "stages")
ARTIFACTS = Path(os.environ.get("REVENUE_TEST_ARTIFACTS", PROJECT_ROOT / "test-artifacts"))


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    """Headless Chromium as root on a closed network: no sandbox, no background traffic,
    a fresh profile."""
    chromium = shutil.which("chromium")
    chromedriver = shutil.which("chromedriver")
    assert chromium and chromedriver, "Chromium is missing: run `make test`, which installs it"
    profile = tempfile.mkdtemp(prefix="review-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Selenium must not look for a driver online: the Debian one is given.
    os.environ.setdefault("SE_OFFLINE", "true")
    driver = webdriver.Chrome(options=options, service=Service(chromedriver))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(driver: webdriver.Chrome, page: Path) -> list[dict]:
    """Open a page, wait until every chart is drawn, return what its console said."""
    driver.get_log("browser")  # drop what an earlier page logged
    driver.get(page.as_uri())
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script(
            "return arguments[0].every(n => document.querySelector('#chart-' + n + ' svg'))",
            list(CHARTS),
        )
    )
    return driver.get_log("browser")


def save_screenshot(driver: webdriver.Chrome, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1280, min(height + 40, 8000))
    path = ARTIFACTS / name
    assert driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
    return path


def test_fixture_week_opens_offline_with_its_numbers(browser, fixture_review):
    _, _, materialization = fixture_review
    page = Path(materialization.metadata["html_report"].value)
    console = open_page(browser, page)
    assert console == []
    # Nothing was fetched: scripts, styles and data are all in the file.
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    text = browser.find_element("tag name", "body").text
    assert "Weekly pipeline review 2026-W03" in text
    assert "month to date as of 18 January 2026" in text
    tiles = browser.find_element("id", "headline").text.split("\n")
    # 2 leads, 0 sales-ready, 0 picked up within 24 h, 0 opportunities, 1 not qualified.
    assert tiles[:10] == [
        "2",
        "leads came in",
        "0",
        "sales-ready",
        "0",
        "picked up within 24 h",
        "0",
        "became an opportunity",
        "1",
        "not qualified",
    ]
    assert "No budget 1 100% +1" in text
    assert "Sid Dev 2 0% 1 1" in text
    assert "Sales-ready leads delivered Marketing 50 1 29 2 behind" in text
    assert "January 2026 40% 13% maturing until 01 May 2026" in text
    link = browser.find_element("link text", "Charlie VOF")
    assert link.get_attribute("href") == "https://example.my.salesforce.com/00Q0000000000000L3"
    # The funnel chart draws the week's numbers: 2 leads in, 2 (100%) to MQL.
    labels = browser.execute_script(
        "return [...document.querySelectorAll('#chart-funnel svg text')].map(t => t.textContent)"
    )
    assert {"Leads in", "2", "2  100%", "0  0%"} <= set(labels)
    save_screenshot(browser, f"weekly-review-{materialization.metadata['week'].value}.png")


def test_crm_text_plants_no_script(browser, tmp_path):
    page = tmp_path / "hostile.html"
    page.write_text(render_html(hostile_review()), encoding="utf-8")
    console = open_page(browser, page)
    assert console == []
    assert browser.execute_script("return window.__planted === undefined")
    assert HOSTILE in browser.find_element("id", "reasons").text
    save_screenshot(browser, "weekly-review-hostile-data.png")
