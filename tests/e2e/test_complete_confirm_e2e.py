"""Completing an audit in the browser goes through a confirmation: Cancel completes nothing;
confirming with a reason for each unanswered item completes it and keeps the reasons."""

from __future__ import annotations

import pytest

from tests.support.audits import new_audit
from tests.support.axe import describe, violations
from tests.support.browser import open_app, screenshot, sign_in
from toolkit.audit import completion
from toolkit.store import Store

pytestmark = pytest.mark.e2e
AUDITOR = "Priya Okafor-Lund"
PRACTITIONER = "Grace Mbeki-Thorne"


@pytest.fixture
def graded(voila_server) -> tuple[Store, int, str]:
    """An Inadequate audit of the demonstration's, rated, with one action not marked immediate."""
    store = voila_server.store()
    people = {p.name: p for p in store.people()}
    auditor, practitioner = people[AUDITOR], people[PRACTITIONER]
    audit = new_audit(store, auditor, practitioner, f"LL-CONF-{len(store.audits_for(auditor))}")
    store.save_answer(audit.id, "overall.overall_rating", 1, auditor)
    store.save_answer(audit.id, "overall.signs_of_impact", "No safety plan since March.", auditor)
    store.add_action(audit.id, auditor, what="See both children alone.", who="Grace")
    return store, audit.id, auditor.name


def _open_confirmation(page, voila_server, audit_id: int, auditor: str):
    open_app(page, voila_server)
    sign_in(page, auditor)
    open_app(page, voila_server, query=f"audit={audit_id}", selector=".audit-screen")
    page.click(".section-tab-audit_outcome")
    page.click(".complete-audit")
    confirm = page.locator(".complete-confirm")
    confirm.wait_for(timeout=15_000)
    return confirm


def test_cancelling_the_confirmation_completes_nothing(page, voila_server, graded):
    store, audit_id, auditor = graded
    confirm = _open_confirmation(page, voila_server, audit_id, auditor)
    text = confirm.inner_text()
    assert f"Complete audit #{audit_id}?" in text
    assert "Immediate actions to improve to ‘Good’ must be recorded." in text
    assert "Area 6 not scaled" in text
    assert "Nothing recorded: Feedback from the family" in text
    assert confirm.locator(".confirm-complete").is_disabled()  # no immediate action yet
    screenshot(page, "confirm-complete-blocked")
    found = violations(page)  # the confirmation passes axe (WCAG 2.2 A/AA)
    assert found == [], describe(found)
    confirm.locator(".cancel-complete").click()
    page.locator(".toolkit-message", has_text="nothing was changed").wait_for(timeout=15_000)
    assert page.locator(".complete-confirm").count() == 0
    assert store.audit(audit_id).state == "graded"
    assert completion.follow_up(store, audit_id) is None
    assert completion.skipped_items(store, audit_id) == []


def test_completing_through_the_confirmation_keeps_the_reasons(page, voila_server, graded):
    store, audit_id, auditor = graded
    confirm = _open_confirmation(page, voila_server, audit_id, auditor)
    confirm.locator(".add-practice-observation").click()  # Inadequate: the source's action
    page.locator(".action-row .action-immediate input:checked").first.wait_for(timeout=15_000)
    confirm = page.locator(".complete-confirm")
    confirm.locator(".confirm-complete:not([disabled])").wait_for(timeout=15_000)
    boxes = confirm.locator(".skip-reason input")
    assert boxes.count() == 19 + 3
    boxes.first.fill("Area 1 is read from the file by the auditor later.")
    confirm.locator(".skip-all-reason input").fill("Not covered: the case closed early.")
    confirm.locator(".skip-all-apply").click()  # every box still empty gets it
    page.wait_for_function(
        "() => [...document.querySelectorAll('.skip-reason input')].every(i => i.value)"
    )
    screenshot(page, "confirm-complete-reasons")
    confirm.locator(".confirm-complete").click()
    page.locator(".audit-state", has_text="Complete").wait_for(timeout=15_000)
    page.locator(".completion-record .skip-record").wait_for(timeout=15_000)
    record = page.locator(".completion-record").inner_text()
    assert "Area 1 is read from the file by the auditor later." in record
    assert store.audit(audit_id).state == "complete"
    kept = completion.skipped_items(store, audit_id)
    assert len(kept) == 22
    assert kept[0]["reason"] == "Area 1 is read from the file by the auditor later."
    assert {k["reason"] for k in kept[1:]} == {"Not covered: the case closed early."}
    assert any(a["immediate"] for a in store.actions(audit_id))
    screenshot(page, "confirm-complete-record")
