"""After the audit, in headless Chromium against a real Voilà server: a practitioner's deep link
to another's audit shows a clear refusal and none of its data; a spreadsheet with bad rows
creates nothing and lists each bad row, then the corrected one imports; the home screen's queues.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.axe import accessible_names
from tests.support.browser import SCREENSHOTS_DIR, open_app, screenshot, sign_in
from toolkit.store import schema

pytestmark = pytest.mark.e2e

BAD = (
    "Auditor,Child's ID,Allocated worker,Staying Together worker\n"
    "Harriet Quenby,LL-E2E-701,Sam Achterberg,\n"  # row 2: fine
    "Nobody Here,LL-E2E-702,Sam Achterberg,\n"  # row 3: unknown auditor
    "Dominic Vashti,,Tomasz Ferreira-Wild,\n"  # row 4: missing child's ID
    "Priya Okafor-Lund,LL-E2E-704,Sam Achterberg,\n"  # row 5: auditor in the worker's own team
    "Harriet Quenby,LL-E2E-701,Grace Mbeki-Thorne,\n"  # row 6: duplicate of row 2
    "Dominic Vashti,LL-102690,Sam Achterberg,Leah Coulthwaite\n"  # row 7: audited this year
)
GOOD = (
    "Auditor,Child's ID,Allocated worker,Staying Together worker\n"
    "Harriet Quenby,LL-E2E-701,Sam Achterberg,\n"
    "Dominic Vashti,LL-E2E-702,Sam Achterberg,\n"
    "Dominic Vashti,LL-E2E-704,Tomasz Ferreira-Wild,\n"
    "Harriet Quenby,LL-E2E-705,Grace Mbeki-Thorne,\n"
    "Dominic Vashti,LL-102690,Sam Achterberg,Leah Coulthwaite\n"
)


def upload(page, name: str, text: str) -> None:
    """Choose a file through the upload button, as a user does."""
    with page.expect_file_chooser() as chooser:
        page.click(".allocation-upload")
    chooser.value.set_files(files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}])


def audit_of_child(server, child_id: str) -> int:
    with server.store().engine.connect() as conn:
        return conn.execute(
            select(schema.audits.c.id).where(schema.audits.c.child_id == child_id)
        ).scalar_one()


def test_a_practitioner_cannot_open_another_practitioners_audit(page, voila_server):
    other = audit_of_child(voila_server, "LL-103318")  # Grace's Inadequate demo audit
    open_app(page, voila_server)
    sign_in(page, "Sam Achterberg", ".audit-home")
    page.locator(".audit-home").wait_for()
    open_app(page, voila_server, query=f"audit={other}")
    message = page.locator(".toolkit-message .msg-error")
    message.wait_for()
    assert (
        f"Sam Achterberg is not part of audit {other} and may not open it." in message.inner_text()
    )
    page.locator(".audit-home").wait_for()  # back on his own home screen
    assert page.locator(".audit-screen").count() == 0
    text = page.locator(".audit-app").inner_text()
    for secret in ("LL-103318", "Grace Mbeki-Thorne", "No safety plan for four months"):
        assert secret not in text


def test_bad_rows_create_nothing_then_the_corrected_spreadsheet_imports(page, voila_server):
    store = voila_server.store()
    before = store.count_audits()
    open_app(page, voila_server, "allocation.ipynb", selector=".allocation-app")
    sign_in(page, "Colin Pettifer", ".allocation-screen")
    page.locator(".allocation-screen").wait_for()
    assert "allocation-template.xlsx" in page.locator(".allocation-template a").get_attribute(
        "download"
    )

    upload(page, "allocation.csv", BAD)
    preview = page.locator(".allocation-preview")
    preview.locator(".problem-row-3").wait_for()
    reasons = {n: preview.locator(f".problem-row-{n}").inner_text() for n in (3, 4, 5, 6, 7)}
    assert "Nobody Here" in reasons[3]
    assert "not in the people register" in reasons[3]
    assert "child's ID is missing" in reasons[4]
    assert "own team" in reasons[5]
    assert "duplicate" in reasons[6]
    assert "row 2" in reasons[6]
    assert "last 12 months" in reasons[7]
    assert "Warning" in reasons[7]
    assert preview.locator(".problem-row-2").count() == 0
    assert page.locator(".import-allocation").is_disabled()
    screenshot(page, "allocation-errors")
    assert store.count_audits() == before  # nothing created

    upload(page, "allocation-fixed.csv", GOOD)
    preview.locator(".allocation-rows").wait_for()
    assert "5 audit(s) ready to allocate" in preview.inner_text()
    page.locator(".accept-warnings input").check()  # LL-102690 was audited this year
    page.click(".import-allocation")
    page.locator(".allocation-result .msg-ok").wait_for()
    screenshot(page, "allocation-imported")
    assert "5 audit(s) allocated" in page.locator(".toolkit-message").inner_text()
    assert store.count_audits() == before + 5
    with store.engine.connect() as conn:
        states = (
            conn.execute(
                select(schema.audits.c.state).where(schema.audits.c.child_id.like("LL-E2E-7%"))
            )
            .scalars()
            .all()
        )
    assert states == ["allocated"] * 4


def test_a_misspelt_heading_is_named_on_screen_and_nothing_is_allocated(page, voila_server):
    store = voila_server.store()
    before = store.count_audits()
    open_app(page, voila_server, "allocation.ipynb", selector=".allocation-app")
    sign_in(page, "Colin Pettifer", ".allocation-screen")
    misspelt = GOOD.replace("Staying Together worker", "Stayng Together wrker")
    upload(page, "allocation.csv", misspelt)
    message = page.locator(".allocation-preview .msg-error")
    message.wait_for()
    text = message.inner_text()
    assert "column D is headed “Stayng Together wrker”" in text
    assert "looks like “Staying Together worker”" in text
    assert "Nothing was imported" in text
    assert page.locator(".import-allocation").is_disabled()
    screenshot(page, "allocation-misspelt-heading")
    assert store.count_audits() == before


def test_home_shows_follow_ups_and_actions_due(page, voila_server):
    open_app(page, voila_server)
    sign_in(page, "Priya Okafor-Lund", ".audit-home")
    inadequate = audit_of_child(voila_server, "LL-103318")
    queues = page.locator(".queues-panel")
    queues.wait_for()
    assert "LL-103318" in queues.locator(f".follow-up-{inadequate}").inner_text()
    # the Inadequate audit's three open actions: the visit, the practice observation proposed
    # at completion (002 L705-709) and the one after it
    assert queues.locator(".actions-due .queue-row").count() == 3
    # its grade is said in the queue, marked; each button names what it closes
    grade = queues.locator(f".follow-up-{inadequate} .grade-mark").inner_text().strip()
    assert grade == "⚠ Inadequate"
    page.wait_for_timeout(300)  # the names are given as the buttons are drawn
    buttons = [n for _r, n in accessible_names(page, {"button"})]
    assert f"Record follow-up: audit #{inadequate}, LL-103318" in buttons, buttons
    done = [n for n in buttons if n.startswith("Mark done: ")]
    assert len(done) == 3, done
    assert len(set(done)) == 3, done
    assert "Record follow-up" not in buttons, buttons
    assert "Mark done" not in buttons, buttons
    no_sideways = page.evaluate(
        "Array.from(document.querySelectorAll('.queues-panel *')).every("
        "e => e.scrollWidth <= e.clientWidth + 2 || getComputedStyle(e).overflowX === 'visible')"
    )
    assert no_sideways
    screenshot(page, "home-queues")
    page.click(f".open-audit-{inadequate}")
    page.click(".section-tab-audit_outcome")
    record = page.locator(".completion-record")
    record.wait_for()
    assert "Inadequate: escalated" in record.inner_text()
    assert "Imogen Strand-Fairweather" in record.inner_text()
    SCREENSHOTS_DIR.mkdir(exist_ok=True)  # the completion panel alone: the page is very tall
    page.locator(".completion-panel").screenshot(
        path=str(SCREENSHOTS_DIR / "escalation-record.png")
    )
