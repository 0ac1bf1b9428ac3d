"""The first run, as a newcomer meets it on the run command's demonstration data: the person
picker says who is who, and the reports show figures and say they are a demonstration."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.browser import open_app, screenshot, sign_in
from toolkit.reports.period import previous_quarter

#: where the screenshots a reviewer looks at are kept besides the suite's own folder
SHOTS = os.environ.get("SOS_TOOLKIT_SHOTS_DIR")


def _shot(page, name: str) -> None:
    path = screenshot(page, f"first-run-{name}")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        Path(SHOTS, path.name).write_bytes(path.read_bytes())


def _measure(page, tab: str, measure: str) -> str:
    row = page.locator(f".tab-{tab} .table-activity tr", has_text=measure).first
    return row.locator("td").nth(1).inner_text().strip()


@pytest.mark.e2e
def test_the_picker_says_who_is_who(voila_server, page):
    open_app(page, voila_server, selector=".person-picker")
    options = [  # the widget writes its spaces as no-break spaces
        o.replace("\xa0", " ")
        for o in page.locator(".person-picker select option").all_inner_texts()
    ]
    assert "Priya Okafor-Lund — Assessment Team 1 — Auditor, Team manager" in options
    assert "Nadia Ishaq-Brennan — Quality Assurance Team — Quality assurance, Trainer" in options
    assert "Sam Achterberg — Assessment Team 1 — Practitioner" in options
    label = page.locator(".person-picker select").bounding_box()
    assert label
    assert label["width"] >= 600  # the whole label shows, roles included
    _shot(page, "picker")
    # every option at once, as the open list shows them (a <select> draws its list outside
    # the page, where a screenshot cannot see it)
    page.locator(".person-picker select").evaluate(
        "s => { s.size = 36; s.style.setProperty('height', 'auto', 'important');"
        " let e = s.parentElement; for (let i = 0; i < 4 && e; i++, e = e.parentElement) {"
        " e.style.setProperty('height', 'auto', 'important');"
        " e.style.setProperty('overflow', 'visible', 'important'); } }"
    )
    _shot(page, "picker-options")


@pytest.mark.e2e
def test_the_reports_show_the_demonstration_and_say_so(voila_server, page):
    open_app(page, voila_server, selector=".person-picker")
    sign_in(page, "Nadia Ishaq-Brennan", ".audit-home")
    open_app(page, voila_server, "reports.ipynb", selector=".report-tabs")
    header = page.locator(".report-header")
    assert previous_quarter().label in header.inner_text()
    notice = header.locator(".demonstration-note")
    assert notice.is_visible()
    assert "Demonstration data, not real figures." in notice.inner_text()
    assert "No real audit is counted" in notice.inner_text()
    allocated = _measure(page, "how_much", "Audits allocated")
    completed = _measure(page, "how_much", "Audits completed")
    assert allocated.isdigit()
    assert int(allocated) >= 20
    assert completed.isdigit()
    assert int(completed) >= 20
    assert page.locator(".tab-how_much table").count() >= 2
    _shot(page, "reports-how-much")
    for tab, name in (
        ("how_well", "How well did we do it"),
        ("better_off", "Is anyone better off"),
        ("themes", "Themes and follow-through"),
    ):
        page.get_by_role("tab", name=name).click()
        page.locator(f".tab-{tab} table").first.wait_for()
        assert "Nothing to show" not in page.locator(f".tab-{tab} table").first.inner_text()
        _shot(page, f"reports-{tab}")
