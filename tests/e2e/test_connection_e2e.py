"""The page says when it has lost its server: the server's process group killed while a person
types, then started again (issue 16, "Honest connection state")."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.test_audit_e2e import field
from tests.e2e.test_proof_e2e import new_audit, open_audit
from tests.support.browser import screenshot
from tests.support.voila import start_voila_server

pytestmark = pytest.mark.e2e
TEXT = "area_7.strengths"
OTHER = "area_7.areas_to_develop"
LOST = "The connection to the server is lost"

SHOWN_STATUS = """el => {
  const before = getComputedStyle(el, '::before').content;
  return (before && before !== 'none' ? before.replace(/^"|"$/g, '') : '') + el.innerText;
}"""


def to_area_7(page) -> None:
    page.click(".section-tab-areas_of_practice")
    page.click(".area-tab-area_7")
    page.locator(field(TEXT) + " textarea").wait_for()


def statuses(page) -> list[str]:
    """What each field's status shows (its ::before included), as a person reads it."""
    return page.locator(".field-status").evaluate_all(f"els => els.map({SHOWN_STATUS})")


def test_a_killed_server_is_said_within_two_seconds_and_nothing_typed_after_shows_saved(
    browser, tmp_path
):
    server = start_voila_server(tmp_path)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        audit_id = new_audit(server, "LL-CONN-016")
        open_audit(page, server, audit_id)
        to_area_7(page)
        box = page.locator(field(TEXT)).locator("textarea")
        box.click()
        box.press_sequentially("Mum walks the children to school", delay=30)
        expect(page.locator(field(TEXT)).locator(".status-saved")).to_be_visible(timeout=10_000)
        saved = server.store().answers(audit_id)[TEXT].value
        assert saved == "Mum walks the children to school"
        assert page.locator("#sos-connection").is_hidden()

        server.kill()  # SIGKILL to the server's process group and its kernels
        killed = time.monotonic()
        box.press_sequentially(" every day", delay=50)
        banner = page.locator("#sos-connection")
        expect(banner).to_contain_text(LOST, timeout=2000)
        said_within = time.monotonic() - killed
        assert said_within <= 2.0 + 0.5  # 0.5 s of typing went before the first look
        shown = statuses(page)
        assert shown, "no field statuses on the page"
        assert all("Not saved" in s and "✓" not in s for s in shown), shown
        other = page.locator(field(OTHER)).locator("textarea")
        other.click()
        other.press_sequentially("Dad has a new job", delay=20)
        page.wait_for_timeout(300)
        kept = banner.locator("textarea.sos-kept")
        expect(kept).to_have_value(re.compile("Dad has a new job"))
        assert "Mum walks the children to school every day" in kept.input_value()
        screenshot(page, "connection-lost")
        shown = statuses(page)
        assert all("✓" not in s and "Not saved" in s for s in shown), shown

        server.start()
        expect(banner).to_contain_text("The server is back", timeout=15_000)
        expect(banner.locator("button.sos-reload")).to_be_focused()
        screenshot(page, "connection-back")
        # nothing typed after the kill reached the store
        answers = server.store().answers(audit_id)
        assert answers[TEXT].value == saved
        assert OTHER not in answers or answers[OTHER].value in (None, "")

        banner.locator("button.sos-reload").click()
        page.locator(".audit-screen").wait_for(timeout=60_000)
        expect(banner).to_contain_text("not saved", timeout=10_000)
        after = banner.locator("textarea.sos-kept").input_value()
        assert "Dad has a new job" in after
        assert "every day" in after
        to_area_7(page)
        expect(page.locator(field(TEXT)).locator("textarea")).to_have_value(saved)
        screenshot(page, "connection-kept-after-reload")
        banner.locator("button.sos-forget").click()
        expect(banner).to_be_hidden()
        page.reload()
        page.locator(".audit-screen").wait_for(timeout=60_000)
        assert page.locator("#sos-connection").is_hidden()  # forgotten: nothing kept
    finally:
        context.close()
        server.close()
