"""Moderation in headless Chromium against a real Voilà server: a moderator completes a moderation
that disagrees and records the grade agreed with the auditor; the audit then shows both grades and
its history. Screenshots of the moderation screens and the history panel."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.browser import field_selector as field
from tests.support.browser import open_app, screenshot, sign_in
from toolkit.store.moderations import Moderations

MODERATOR = "Harriet Quenby"
QUALITY_ASSURANCE = "Nadia Ishaq-Brennan"
SAVED = ".status-saved"
pytestmark = pytest.mark.e2e


def _people(store) -> dict:
    return {p.name: p for p in store.people()}


@pytest.fixture(scope="module")
def moderation_id(voila_server) -> int:
    """The demo's Inadequate audit selected (every Inadequate is) and allocated to the one
    moderator; the moderator's area scales given in the store so the browser does the rest."""
    store = voila_server.store()
    people = _people(store)
    book = Moderations(store)
    (made,) = book.select_and_allocate(
        people[QUALITY_ASSURANCE], dt.date.today(), 0.0, seed=1, include_demo=True
    )
    audit = store.audit(made.audit_id)
    for key in book.scale_keys(audit)[:-1]:  # all but the overall rating
        book.save(made.id, key, 3, people[MODERATOR])
    return made.id


def test_moderator_disagrees_and_records_the_agreed_grade(page, voila_server, moderation_id):
    store = voila_server.store()
    open_app(page, voila_server, "moderation.ipynb", f"moderation={moderation_id}")
    sign_in(page, MODERATOR, ".moderation-screen")
    form = page.locator(".moderation-form-pane")
    assert "The audit (read only)" in page.locator(".moderation-audit-pane").inner_text()

    overall = form.locator(field("overall.overall_rating"))
    overall.locator(".scale-point-4").click()
    overall.locator(SAVED).wait_for(timeout=15_000)
    for key, text in (
        ("feedback.good_practice", "The children's words are in the plan."),
        ("feedback.development", "No safety plan; widen the network."),
    ):
        box = form.locator(field(key))
        box.locator("textarea").fill(text)
        box.locator(SAVED).wait_for(timeout=15_000)
    done = form.locator(field("audit_actions.actions_completed"))
    done.get_by_label("Partly", exact=True).check()
    done.locator(SAVED).wait_for(timeout=15_000)
    agreement = form.locator(field("agreement.agrees"))
    agreement.get_by_label("Disagree", exact=True).check()
    agreement.locator(SAVED).wait_for(timeout=15_000)
    agreed = form.locator(field("agreement.agreed_grade"))
    agreed.wait_for(state="visible")
    agreed.get_by_label("Requires improvement", exact=True).check()
    agreed.locator(SAVED).wait_for(timeout=15_000)
    form.locator(".moderation-actions .action-add").click()
    row = form.locator(".moderation-actions .action-row").first
    row.locator(".action-what textarea").fill("Safety planning meeting with the network")
    row.locator(".field-status .status-saved").wait_for(timeout=15_000)
    row.locator(".action-due input[type=date]").fill("2026-12-18")
    row.locator(".field-status .status-saved").wait_for(timeout=15_000)
    screenshot(page, "moderation-screen")

    page.click(".complete-moderation")
    page.locator(".moderation-state", has_text="Complete").wait_for(timeout=15_000)
    record = Moderations(store).get(moderation_id)
    assert (record.state, record.agrees, record.agreed_grade, record.actions_completed) == (
        "complete",
        False,
        "Requires improvement",
        "partly",
    )
    summary = page.locator(".moderation-summary").inner_text()
    assert "Auditor’s grade: Inadequate" in summary
    assert "Grade agreed with the auditor: Requires improvement" in summary

    # the moderator may read the audit they moderated: both grades, and its history
    open_app(page, voila_server, "audit.ipynb", f"audit={record.audit_id}", ".audit-screen")
    summary = page.locator(".audit-summary").inner_text()
    assert "Auditor’s grade: Inadequate" in summary
    assert "Grade agreed with the auditor: Requires improvement" in summary
    page.click(".history-tab")
    history = page.locator(".history-panel")
    history.wait_for()
    text = history.inner_text()
    assert "Moderation — agreement" in text or "Moderation — Moderator records" in text
    assert MODERATOR in text
    assert "Requires improvement" in text
    page.click(".prepare-record")
    page.locator(".download-pdf").wait_for(timeout=30_000)
    screenshot(page, "history-panel")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the history scrolls sideways ({width}px)"


def test_quality_assurance_see_the_selection_and_every_moderation(
    page, voila_server, moderation_id
):
    open_app(page, voila_server, "moderation.ipynb")
    sign_in(page, QUALITY_ASSURANCE, ".moderation-home")
    page.locator(".moderation-selection").wait_for()
    assert page.locator(f".moderation-row-{moderation_id}").count() == 1
    # the audit selected for being Inadequate says so in the list, in words and a sign
    assert "Audit grade" in page.locator(".moderation-list .home-head").inner_text()
    mark = page.locator(f".moderation-row-{moderation_id} .grade-mark")
    assert mark.inner_text().strip() == "⚠ Inadequate"
    assert "grade-inadequate" in (mark.get_attribute("class") or "")
    # the sample and who moderates it are the toolkit's rules, and the page says so
    decided = page.locator(".moderation-selection .toolkit-decides")
    assert decided.count() == 2
    sample = decided.first.inner_text()
    assert sample.startswith("The toolkit’s setting, not the source’s.")
    assert "A list of cases audited over the last 6 months" in sample
    assert "(002 L734–735)" in sample
    screenshot(page, "moderation-home")
