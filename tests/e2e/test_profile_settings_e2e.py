"""Under a non-grading authority (Manchester) in a real Voilà server: the audit outcome shows the
rating with the profile's note and no grade, the summary its "Signs of…", and the supervision
home the profile's frequency with a group's next session."""

from __future__ import annotations

import os

import pytest

from tests.e2e import test_audit_e2e as audit_e2e
from tests.e2e import test_supervision_e2e as supervision_e2e
from tests.support.browser import open_app, screenshot

pytestmark = pytest.mark.e2e
MANCHESTER_NOTE = "The Manchester practice standards set no audit grades"


@pytest.fixture(scope="module", autouse=True)
def manchester():
    """Set before the module's server starts (autouse first), so its kernels inherit it."""
    before = os.environ.get("SOS_TOOLKIT_AUTHORITY")
    os.environ["SOS_TOOLKIT_AUTHORITY"] = "manchester"
    yield
    if before is None:
        os.environ.pop("SOS_TOOLKIT_AUTHORITY", None)
    else:
        os.environ["SOS_TOOLKIT_AUTHORITY"] = before


def test_manchester_audit_outcome_has_the_rating_and_note_but_no_grade(page, voila_server):
    open_app(page, voila_server)
    audit_e2e.sign_in(page, audit_e2e.AUDITOR)
    audit_id = audit_e2e.start_audit(page, "LL-E2E-MAN")
    assert "worked under Signs of Safety" in page.locator(".audit-summary").inner_text()
    page.click(".section-tab-audit_outcome")
    audit_e2e.scale(page, "overall.overall_rating", 2)
    shown = page.locator(".overall-grade").inner_text()
    assert "Overall rating 2" in shown
    assert MANCHESTER_NOTE in shown
    assert page.locator(".grade-name").count() == 0
    assert page.locator(".rubric").count() == 0
    assert MANCHESTER_NOTE in page.locator(".area-profile").inner_text()
    assert voila_server.store().answer_values(audit_id)["overall.overall_rating"] == 2
    screenshot(page, "profile-manchester-audit-outcome", full_page=False)


def test_manchester_supervision_home_lists_the_frequency_and_a_groups_next(page, voila_server):
    open_app(page, voila_server, "supervision.ipynb", selector=".supervision-app")
    supervision_e2e.sign_in(page, supervision_e2e.SUPERVISOR)
    supervision_e2e.start_session(page, "Group case mapping", "Mapping", group="North team")
    page.click(".back-home")
    panel = page.locator(".frequencies-panel")
    panel.wait_for()
    text = panel.inner_text()
    assert "We ensure each team holds group supervision monthly" in text
    assert "appropriate frequency as outlined in the supervision policy" in text
    assert "North team" in page.locator(".group-cycles").inner_text()
    assert "Not yet due" in page.locator(".group-cycles").inner_text()
    panel.scroll_into_view_if_needed()
    screenshot(page, "profile-manchester-supervision-home", full_page=True)
    supervision_e2e.no_sideways_scroll(page)
