"""Completing a thematic audit, and thematic audits in the quarterly report, in headless Chromium
against a real Voilà server (and the report exported by the command line)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_thematic_e2e import AUDITOR, SAVED, item, reopen, sign_in
from tests.store.test_reports_thematic import BL02_TEXT, E01_TEXT, TRF, _all, _thematic
from tests.support.browser import SCREENSHOTS_DIR, open_app, remember_person, screenshot

pytestmark = pytest.mark.e2e
REPO_DIR = Path(__file__).resolve().parents[2]


def _rate(page, item_id: str, label: str) -> None:
    box = page.locator(item(item_id))
    box.locator("label").filter(has_text=re.compile(rf"^\s*{label}\s*$")).click()
    box.locator(SAVED).first.wait_for()


def test_completing_with_a_bottom_line_not_met_flags_it_and_makes_it_read_only(page, voila_server):
    open_app(page, voila_server, "thematic_audit.ipynb", selector=".thematic-app")
    sign_in(page, AUDITOR)
    page.locator(".area-choice-trf input[type=checkbox]").check()
    page.fill(".start-child-id input", "LL-THEME-02")
    page.click(".start-thematic")
    page.locator(".thematic-screen").wait_for()
    for item_id in TRF[:-2]:
        _rate(page, item_id, "Met")
    _rate(page, "trf_bl02", "Not met")

    # one bottom line still unrated: refused, the message names it, nothing changes
    page.click(".complete-thematic")
    message = page.locator(".toolkit-message .msg-error")
    message.wait_for()
    assert "cannot be completed yet" in message.inner_text()
    assert "1 not rated" in message.inner_text()
    assert "When families transfer between services there will always" in message.inner_text()
    assert page.locator(".complete-thematic").count() == 1

    _rate(page, "trf_bl01", "Met")
    page.click(".complete-thematic")
    page.locator(".thematic-state.state-complete").wait_for()
    done = page.locator(".toolkit-message .msg-ok").inner_text()
    assert "is complete and read only" in done
    assert "1 bottom line not met is flagged for your action" in done
    flags = page.locator(".bottom-line-flags .flags").inner_text()
    assert "1 bottom line not met" in flags
    bottom_line = page.locator(".bottom-lines " + item("trf_bl02"))
    assert "flagged" in bottom_line.get_attribute("class")
    assert page.locator(".complete-thematic").count() == 0
    assert "read only" in page.locator(".thematic-summary").inner_text()
    radios = page.locator(".thematic-item input[type=radio]")
    assert radios.count() == 7 * 4
    assert all(radios.nth(i).is_disabled() for i in range(radios.count()))
    assert page.locator(".thematic-item textarea").first.is_disabled()
    assert "In progress → Complete" in page.locator(".thematic-history").inner_text()
    assert AUDITOR in page.locator(".thematic-history").inner_text()
    page.locator(".thematic-summary").scroll_into_view_if_needed()
    screenshot(page, "thematic-completed-top", full_page=False)
    screenshot(page, "thematic-completed")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the screen scrolls sideways ({width}px)"

    page.click(".thematic-back")
    row = page.locator(".thematic-row", has_text="LL-THEME-02")
    row.wait_for()
    assert "Complete" in row.inner_text()
    assert "1 bottom line(s) not met" in row.inner_text()
    open_button = page.locator(".open-thematic").first
    assert open_button.evaluate("b => b.scrollWidth <= b.clientWidth"), "Open is cut off"
    screenshot(page, "thematic-list-completed", full_page=False)

    # a new kernel: still read only, straight from the store
    thematic_id = int(row.inner_text().split("#")[1].split()[0])
    reopen(page, voila_server, thematic_id)
    assert page.locator(item("trf_e01") + " input[type=radio]").first.is_disabled()
    assert page.locator(".complete-thematic").count() == 0


def _seed_report(store) -> None:
    """Six Bexley transfer-of-cases audits completed in 2026 Q3: e01 not met in five, bl02 in
    one (enough audits, 6 ≥ 5, for the figures to show; an item is listed as most often not
    met from 5 times, so e01 is and bl02 is not)."""
    auditor = next(p for p in store.people() if "auditor" in p.roles)
    for n in range(6):
        not_met = {"trf_e01": "not_met"} if n < 5 else {}
        if n == 0:
            not_met["trf_bl02"] = "not_met"
        _thematic(store, auditor, ["trf"], _all(TRF, **not_met), child=f"LL-R{n}")


def test_the_report_shows_thematic_audits_in_the_app_and_the_exported_file(
    page, voila_server, browser
):
    store = voila_server.store()
    _seed_report(store)
    reader = store.add_person("Report Reader Thematic", ["quality_assurance"], team="QA")
    remember_person(page.context, voila_server, reader)
    open_app(page, voila_server, "reports.ipynb", selector=".report-tabs")
    page.locator(".period-kind button", has_text="Month").click()
    page.locator(".period-month input").fill("2026-08")  # the audits were completed in August
    page.locator(".show-report").click()
    page.locator(".toolkit-message", has_text="August 2026 ready").wait_for()
    page.get_by_role("tab", name="Thematic audits").click()
    tab = page.locator(".tab-thematic")
    tab.locator(".table-thematic_by_area table").wait_for()
    text = tab.inner_text()
    assert "Transfer of Cases Practice Expectations and Bottom Lines" in text
    assert E01_TEXT in text
    assert BL02_TEXT not in text  # not met once: too few to list
    assert not any(f"LL-R{n}" in text for n in range(6))
    # five tabs fit: choosing the last one does not scroll the report out of view on the left
    assert page.locator(".report-header h1").bounding_box()["x"] > 50
    screenshot(page, "reports-app-thematic")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the screen scrolls sideways ({width}px)"

    env = {**os.environ, "SOS_TOOLKIT_DATA_DIR": str(voila_server.data_dir)}
    env.pop("SOS_TOOLKIT_DATABASE_URL", None)
    out = voila_server.data_dir.parent / "report-out"
    run = subprocess.run(
        [sys.executable, "-m", "toolkit", "report", "--quarter", "2026Q3", "--out", str(out)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO_DIR,
    )
    html = next(Path(line) for line in run.stdout.split() if line.endswith(".html"))
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    exported = context.new_page()
    try:
        exported.goto(html.as_uri())
        section = exported.locator(".section-thematic")
        section.wait_for()
        assert "When we are handing a family over" in section.inner_text()
        section.scroll_into_view_if_needed()
        SCREENSHOTS_DIR.mkdir(exist_ok=True)
        section.screenshot(path=str(SCREENSHOTS_DIR / "report-export-thematic.png"))
    finally:
        context.close()
