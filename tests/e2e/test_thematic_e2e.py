"""The thematic audit and timescale screens in headless Chromium against a real Voilà server.

An auditor audits one service area (Bexley R&A), marks a bottom line Not met and sees it flagged
on the item and listed at the top; after a reload everything is back from the store. The
timescale screen shows both readings where the source states a timescale two ways.
"""

from __future__ import annotations

import pytest

from tests.support import browser
from tests.support.browser import open_app, screenshot

AUDITOR = "Priya Okafor-Lund"
SAVED = ".status-saved"
pytestmark = pytest.mark.e2e


def sign_in(page, name: str) -> None:
    browser.sign_in(page, name, home=".thematic-home")


def reopen(page, server, thematic_id: int) -> None:
    """Reload: a new kernel, so what shows comes back from the store."""
    page.reload()
    open_app(
        page,
        server,
        "thematic_audit.ipynb",
        query=f"thematic={thematic_id}",
        selector=".thematic-screen",
    )


def item(key: str) -> str:
    return ".item-" + key.replace("_", "-")


def test_a_bottom_line_not_met_is_flagged_and_listed_at_the_top(page, voila_server):
    open_app(page, voila_server, "thematic_audit.ipynb", selector=".thematic-app")
    sign_in(page, AUDITOR)
    page.locator(".area-choice-ra input[type=checkbox]").check()
    page.fill(".start-child-id input", "LL-THEME-01")
    screenshot(page, "thematic-start")
    page.click(".start-thematic")
    page.locator(".thematic-screen").wait_for()
    assert "No bottom line is rated Not met" in page.locator(".bottom-line-flags").inner_text()

    expectation = page.locator(item("ra_e09"))
    expectation.locator("label", has_text="Partly met").click()
    expectation.locator(SAVED).first.wait_for()

    bottom_line = page.locator(".bottom-lines " + item("ra_bl02"))
    bottom_line.locator("label", has_text="Not met").click()
    bottom_line.locator(SAVED).first.wait_for()
    bottom_line.locator(".field--ra-bl02--evidence textarea").fill(
        "No family network meeting within 15 working days; first FNM on day 31."
    )
    bottom_line.locator(".field--ra-bl02--evidence " + SAVED).wait_for()
    bottom_line.locator(".field--ra-bl02--location input").fill("Case notes, 14/03/2026")
    bottom_line.locator(".field--ra-bl02--location " + SAVED).wait_for()

    flags = page.locator(".bottom-line-flags")
    flags.locator(".flags").wait_for()
    assert "1 bottom line not met" in flags.inner_text()
    assert "within 15 working days of an assessment being started" in flags.inner_text()
    assert "flagged" in bottom_line.get_attribute("class")
    assert "Bottom line not met" in bottom_line.locator(".item-flag").inner_text()
    counts = page.locator(".thematic-counts")
    assert counts.locator(".count-not_met").inner_text() == "1"
    assert counts.locator(".count-partly_met").inner_text() == "1"
    screenshot(page, "thematic-audit")
    page.locator(".thematic-summary").scroll_into_view_if_needed()
    screenshot(page, "thematic-audit-top", full_page=False)
    bottom_line.scroll_into_view_if_needed()
    screenshot(page, "thematic-audit-bottom-line", full_page=False)

    # a refresh starts a new kernel: the answers and the flag come back from the store
    thematic_id = int(page.locator(".thematic-summary").inner_text().split("#")[1].split()[0])
    reopen(page, voila_server, thematic_id)
    assert "1 bottom line not met" in page.locator(".bottom-line-flags").inner_text()
    again = page.locator(".bottom-lines " + item("ra_bl02"))
    assert "flagged" in again.get_attribute("class")
    assert "day 31" in again.locator(".field--ra-bl02--evidence textarea").input_value()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the screen scrolls sideways ({width}px)"


def test_timescale_screen_shows_both_readings_where_the_source_reads_two_ways(page, voila_server):
    open_app(page, voila_server, "timescales.ipynb", selector=".timescale-screen")
    page.locator(".timescale-authority select").select_option(label="Manchester City Council")
    page.locator(".date-first-visit").wait_for()  # Manchester's key dates are shown
    page.fill(".date-icpc input[type=date]", "2024-12-20")
    page.fill(".date-first-core-group input[type=date]", "2025-01-03")
    row = page.locator(".timescale-first_core_group")
    row.locator(".both-readings").wait_for()
    text = row.inner_text()
    assert "Not met" in text
    assert "Met" in text
    assert "Wed 08 Jan 2025" in text  # 10 working days: Christmas, Boxing Day, New Year skipped
    assert "Mon 30 Dec 2024" in text  # 10 calendar days
    page.locator(".timescale-authority select").select_option(label="London Borough of Bexley")
    page.locator(".date-strategy-discussion").wait_for()  # Bexley's key dates are shown
    page.fill(".date-strategy-discussion input[type=date]", "2024-12-16")
    page.fill(".date-icpc input[type=date]", "2025-01-09")
    page.fill(".date-report-shared input[type=date]", "2025-01-03")
    page.locator(".timescale-icpc .badge-met").wait_for()
    assert "Thu 09 Jan 2025" in page.locator(".timescale-icpc").inner_text()
    screenshot(page, "timescale-check")
    page.locator(".timescale-report_before_conference").scroll_into_view_if_needed()
    screenshot(page, "timescale-check-readings", full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the screen scrolls sideways ({width}px)"


def start_manchester(page, voila_server, areas: list[str], child_id: str) -> None:
    """Sign in as the auditor and start a Manchester thematic audit of these standards."""
    open_app(page, voila_server, "thematic_audit.ipynb", selector=".thematic-app")
    sign_in(page, AUDITOR)
    page.locator(".start-authority select").select_option(label="Manchester City Council")
    page.locator(".area-choice-s37 input[type=checkbox]").wait_for()
    screenshot(page, "thematic-start-manchester")
    for area in areas:
        page.locator(f".area-choice-{area} input[type=checkbox]").check()
    page.fill(".start-child-id input", child_id)
    page.click(".start-thematic")
    page.locator(".thematic-screen").wait_for()


def test_manchester_supervision_is_audited_under_its_printed_sub_headings(page, voila_server):
    start_manchester(page, voila_server, ["s14"], "LL-MANC-14")
    headings = page.locator(".principle-heading").all_inner_texts()
    assert headings == [
        "Quality of decision making and interventions",
        "Line management and organisational accountability",
        "Caseload and workload management",
        "Further personal learning, career and development opportunities",
    ]
    record = page.locator(item("s14_e02"))
    assert "within 48 hours of the discussion" in record.inner_text()
    record.locator("label", has_text="Met").first.click()
    record.locator(SAVED).first.wait_for()
    screenshot(page, "thematic-audit-manchester-supervision")


def test_manchester_later_standards_show_their_sub_headings(page, voila_server):
    """S23 Re-assessment Timeframes: two printed lead-ins head its two lists of items."""
    start_manchester(page, voila_server, ["s23", "s37"], "LL-THEME-23")
    headings = page.locator(".principle-heading").all_inner_texts()
    assert headings == [
        "Re-assessment timeframes are:",
        "Other situations or events that trigger re-assessment include:",
    ]
    assert "continuous assessment process" in page.locator(item("s23_e11")).inner_text()
    timeframe = page.locator(item("s23_e04"))
    assert "good practice will be every 6 months" in timeframe.inner_text()
    timeframe.locator("label", has_text="Partly met").click()
    timeframe.locator(SAVED).first.wait_for()
    screenshot(page, "thematic-manchester-reassessment")
    page.click(".area-tab-s37")
    page.locator(item("s37_e05")).wait_for()
    assert "Where interpreters, specialist workers" in page.locator(item("s37_e05")).inner_text()
    # the unbulleted paragraph on non-blaming language is rated, listed where the seed prints it
    shown = page.locator(".thematic-item").evaluate_all(
        "els => els.map(e => [...e.classList].find(c => /^item-s37/.test(c)))"
    )
    assert shown == ["item-s37-e06", *(f"item-s37-e0{n}" for n in range(1, 6))]
    language = page.locator(item("s37_e06"))
    assert "does not blame families" in language.inner_text()
    language.locator("label", has_text="Not met").click()
    language.locator(SAVED).first.wait_for()
    screenshot(page, "thematic-manchester-case-recording")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the screen scrolls sideways ({width}px)"
