"""WCAG 2.2 AA: axe-core finds no serious or critical violation on any screen of the audit app,
and a whole audit can be completed with the keyboard alone."""

from __future__ import annotations

import pytest

from tests.e2e.test_audit_e2e import (
    AUDITOR,
    SECTIONS,
    field,
    scale,
    sign_in,
    start_audit,
    type_into,
)
from tests.support.axe import describe, violations
from tests.support.browser import open_app, screenshot, wait_until_remembered
from tests.support.keyboard import choose_with_keys, tab_to

pytestmark = pytest.mark.e2e


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


def saved(page, key: str) -> None:
    page.locator(field(key) + " .status-saved").wait_for(timeout=15_000)


def test_an_audit_can_be_completed_with_the_keyboard_only(page, voila_server):
    """Tab / Shift+Tab to move, Enter and Space to press, typing to answer: no mouse at all."""
    open_app(page, voila_server, selector=".audit-home, .person-picker")
    if page.locator(".person-picker").count() == 0:
        tab_to(page, ".change-person")
        page.keyboard.press("Enter")
    page.locator(".person-picker select").wait_for()
    tab_to(page, ".person-picker select")
    choose_with_keys(page, ".person-picker select", "Priya")
    tab_to(page, ".person-continue")
    page.keyboard.press("Enter")
    page.locator(".audit-home").wait_for()
    assert AUDITOR in page.locator(".app-header").inner_text()
    wait_until_remembered(page)  # chosen by keyboard, remembered by this browser as by a click

    tab_to(page, ".start-child-id input")
    page.keyboard.type("LL-KEYS-001")
    tab_to(page, ".start-practitioner select")
    choose_with_keys(page, ".start-practitioner select", "Grace")
    tab_to(page, ".start-audit")
    page.keyboard.press("Enter")
    page.locator(".audit-screen").wait_for()

    tab_to(page, ".section-tab-areas_of_practice")
    page.keyboard.press("Enter")
    page.locator(field("area_6.collaborative_scale")).wait_for()
    tab_to(page, field("area_6.collaborative_scale") + " .scale-point-7")
    page.keyboard.press("Space")
    saved(page, "area_6.collaborative_scale")
    tab_to(page, field("area_6.auditor_rationale") + " textarea")
    page.keyboard.type("Agreed at the screen with the practitioner.")
    saved(page, "area_6.auditor_rationale")
    # back up the page with Shift+Tab to the area navigation, and on to area 7
    tab_to(page, ".area-tab-area_7", backwards=True)
    page.keyboard.press("Enter")
    page.locator(field("area_7.collaborative_scale")).wait_for()
    tab_to(page, field("area_7.collaborative_scale") + " .scale-point-5")
    page.keyboard.press("Space")
    saved(page, "area_7.collaborative_scale")

    tab_to(page, ".section-tab-audit_outcome", backwards=True)
    page.keyboard.press("Enter")
    page.locator(".completion-panel").wait_for()
    tab_to(page, field("overall.overall_rating") + " .scale-point-6")
    page.keyboard.press("Space")
    saved(page, "overall.overall_rating")
    assert "Good" in page.locator(".overall-grade").inner_text()
    tab_to(page, field("overall.signs_of_impact") + " textarea")
    page.keyboard.type("The family can say what the plan is for.")
    saved(page, "overall.signs_of_impact")
    tab_to(page, ".action-add")
    page.keyboard.press("Enter")
    page.locator(".action-row").first.wait_for()
    tab_to(page, ".action-row .action-what textarea", backwards=True)
    page.keyboard.type("Share the plan at the staff conference")
    page.locator(".action-row .status-saved").wait_for(timeout=15_000)
    tab_to(page, ".complete-audit")
    page.keyboard.press("Enter")
    confirm = page.locator(".complete-confirm")  # asked first: each unanswered item skipped
    confirm.wait_for(timeout=15_000)
    reasons = confirm.locator(".skip-reason").evaluate_all(
        "els => els.map(e => [...e.classList].find(c => c.startsWith('skip-reason-')))"
    )
    assert reasons, "the audit leaves areas unscaled: the confirmation lists them"
    for css in reasons:
        tab_to(page, f".{css} input")
        page.keyboard.type("Not covered in this keyboard test.")
    tab_to(page, ".confirm-complete")
    page.keyboard.press("Enter")
    page.locator(".audit-state", has_text="Complete").wait_for(timeout=15_000)
    screenshot(page, "keyboard-completed")
    store = voila_server.store()
    audit_id = int(page.locator(".audit-summary").inner_text().split("Audit #")[1].split()[0])
    assert store.audit(audit_id).state == "complete"
    assert store.answer_values(audit_id)["area_6.collaborative_scale"] == 7
