"""Who looked, in headless Chromium against a real Voilà server: the practitioner opens an audit
by its link and a practitioner of another team is refused it; its auditor then sees both under
"Who has opened this audit" on the audit's *Record and history*; quality assurance exports the
log from the reports app. Screenshots of both."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.browser import open_app, screenshot, sign_in
from toolkit.store import schema

PRACTITIONER = "Sam Achterberg"
AUDITOR = "Dominic Vashti"
OUTSIDER = "Tomasz Ferreira-Wild"  # a practitioner of another team
QUALITY_ASSURANCE = "Nadia Ishaq-Brennan"
pytestmark = pytest.mark.e2e


def test_the_auditor_sees_who_opened_the_audit_and_qa_exports_the_log(page, voila_server):
    store = voila_server.store()
    with store.engine.connect() as conn:  # the demo's audit of Sam's case, by Dominic
        audit_id = conn.execute(
            select(schema.audits.c.id).where(schema.audits.c.child_id == "LL-100234")
        ).scalar_one()
    open_app(page, voila_server, "audit.ipynb", f"audit={audit_id}")
    sign_in(page, PRACTITIONER, ".audit-screen")
    page.locator(f".audit-{audit_id}").wait_for()
    (opened,) = [r for r in store.access_log_for_admin() if r.record_id == str(audit_id)]
    assert (opened.actor, opened.screen, opened.allowed) == ("sam", "audit.ipynb", True)

    open_app(page, voila_server, "audit.ipynb", f"audit={audit_id}")
    sign_in(page, OUTSIDER, ".audit-home, .audit-screen")  # not part of this audit: refused
    page.locator(".toolkit-message .msg-error", has_text="may not open").wait_for()
    assert page.locator(".audit-screen").count() == 0

    open_app(page, voila_server, "audit.ipynb", f"audit={audit_id}")
    sign_in(page, AUDITOR, ".audit-screen")
    page.click(".history-tab")
    section = page.locator(".who-opened")
    section.wait_for()
    rows = section.locator(".opening-row")
    assert rows.count() >= 2
    assert AUDITOR in rows.nth(0).inner_text()  # newest first: the auditor's own opening
    assert PRACTITIONER in section.inner_text()
    # refused twice: on choosing Tomasz, and when this page opened as the person last chosen
    refused = section.locator(".opening-refused")
    assert refused.count() >= 1
    for row in refused.all():
        assert OUTSIDER in row.inner_text()
        assert "Refused" in row.inner_text()
    assert "Collaborative case audit (audit.ipynb)" in section.inner_text()
    section.scroll_into_view_if_needed()
    screenshot(page, "who-has-opened-this-audit")

    open_app(page, voila_server, "reports.ipynb", selector=".reports-app")
    sign_in(page, QUALITY_ASSURANCE, ".access-log-export")
    panel = page.locator(".access-log-export")
    panel.locator(".export-access-log").click()
    link = panel.locator("a.download-access-log")
    link.wait_for()
    assert "rows" in link.inner_text()
    assert link.get_attribute("href").startswith("data:text/csv;base64,")
    panel.scroll_into_view_if_needed()
    screenshot(page, "who-looked-export")
    newest = store.access_log_for_admin()[-1]
    assert (newest.actor, newest.action, newest.screen) == (
        "nadia",
        "export",
        "reports.ipynb",
    )
