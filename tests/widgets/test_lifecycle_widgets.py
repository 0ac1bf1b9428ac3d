"""The allocation screen, the home screen's queues and the completion record, built without a
browser: set values, click, and check the store."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.chosen import choose
from tests.support.register import World, build_world, graded_audit, snapshot
from tests.widgets.test_widgets import _find_class, _walk, fill_skip_reasons
from toolkit.apps.allocation import AllocationApp, AllocationScreen
from toolkit.apps.audit.app import AuditApp
from toolkit.store import Store

GOOD = b"Auditor,Child's ID,Allocated worker\nada,LL-500001,olly\nabe,LL-500002,pat\n"
BAD = b"Auditor,Child's ID,Allocated worker\nada,LL-500001,olly\nNobody,,pat\nada,LL-500001,pat\n"


@pytest.fixture
def world(store: Store, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    for name in ("HOST", "FROM"):
        monkeypatch.delenv(f"SOS_TOOLKIT_SMTP_{name}", raising=False)
    return build_world(store)


def upload(screen: AllocationScreen, data: bytes, name: str = "allocation.csv") -> None:
    screen.upload.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc),
        },
    )


def allocation_app(world: World, who: str) -> AllocationApp:
    choose(world[who])
    return AllocationApp(world.store)


def test_bad_rows_are_listed_nothing_is_created_then_the_corrected_file_imports(world: World):
    app = allocation_app(world, "bea")
    screen = app.body.children[0]
    before = snapshot(world.store)
    upload(screen, BAD)
    html = screen.preview.value
    assert "problem-row-3" in html
    assert "problem-row-4" in html
    assert "problem-row-2" not in html
    assert "unknown auditor" in html
    assert "child&#x27;s ID is missing" in html
    assert "duplicate" in html
    assert screen.go.disabled
    screen.go.click()  # even if clicked, nothing happens
    assert snapshot(world.store) == before

    upload(screen, GOOD)
    assert not screen.go.disabled
    assert "2 audit(s) ready" in screen.preview.value
    count = world.store.count_audits()
    screen.go.click()
    assert world.store.count_audits() == count + 2
    assert "2 audit(s) allocated" in app.messages.value
    assert screen.go.disabled


def test_warnings_must_be_accepted_with_the_box(world: World):
    screen = allocation_app(world, "bea").body.children[0]
    upload(screen, b"Auditor,Child's ID,Allocated worker\nada,LL-200002,olly\n")
    assert screen.accept.layout.display is None
    assert "last 12 months" in screen.preview.value
    count = world.store.count_audits()
    screen.go.click()
    assert world.store.count_audits() == count  # not accepted: nothing
    screen.accept.value = True
    screen.go.click()
    assert world.store.count_audits() == count + 1


def test_a_broken_file_is_explained(world: World):
    screen = allocation_app(world, "bea").body.children[0]
    upload(screen, b"PK\x03\x04garbage", "allocation.xlsx")
    assert "could not be read as an Excel workbook" in screen.preview.value
    assert screen.go.disabled


def test_the_template_is_offered_as_a_data_link(world: World):
    screen = allocation_app(world, "bea").body.children[0]
    link = _find_class(screen, "allocation-template").value
    assert 'download="allocation-template.xlsx"' in link
    assert "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64," in link


def test_a_practitioner_cannot_allocate(world: World):
    app = allocation_app(world, "pat")
    assert "Only business support or quality assurance allocate" in app.messages.value
    assert not any(isinstance(w, AllocationScreen) for w in _walk(app))


def test_home_queues_close_a_follow_up_and_an_action(world: World):
    choose(world["abe"])
    app = AuditApp(world.store)
    row = _find_class(app, f"follow-up-{world.done_audit.id}")
    assert "LL-200002" in str([c.value for c in row.children if hasattr(c, "value")])
    _find_class(app, f"record-follow-up-{world.done_audit.id}").click()
    _find_class(app, "follow-up-note").value = "Network meeting held; safety plan written."
    _find_class(app, "follow-up-save").click()
    assert "recorded and closed" in app.messages.value
    assert "No follow-ups due" in str([w.value for w in _walk(app) if hasattr(w, "value")])

    choose(world["pat"])
    app = AuditApp(world.store)
    action_id = world.store.actions(world.open_audit.id)[0]["id"]
    _find_class(app, f"mark-done-{action_id}").click()
    _find_class(app, "action-done-note").value = "Seen both children on 3 Dec."
    _find_class(app, "action-done-save").click()
    action = world.store.actions(world.open_audit.id)[0]
    assert (action["status"], action["completion_note"]) == ("done", "Seen both children on 3 Dec.")


def test_completing_an_inadequate_audit_shows_the_escalation_and_message_to_copy(
    world: World, monkeypatch: pytest.MonkeyPatch
):
    audit = graded_audit(world.store, world.people, "LL-500010", 1)
    choose(world["abe"])
    monkeypatch.setenv("QUERY_STRING", f"audit={audit.id}")
    app = AuditApp(world.store)
    app.screen.show_section("audit_outcome")
    _find_class(app, "complete-audit").click()
    assert world.store.audit(audit.id).state != "complete"  # asked first
    confirm = _find_class(app, "complete-confirm")
    assert fill_skip_reasons(confirm, "No feedback: the family moved away.") == 19 + 3
    _find_class(confirm, "confirm-complete").click()
    record = _find_class(app, "completion-record").value
    assert "No feedback: the family moved away." in record
    assert "Inadequate: escalated" in record
    assert "within 24 hours" in record
    assert "Mia &lt;Manager&gt;" in record
    assert "Head of service" in record
    assert 'class="copy-message"' in record
    assert "LL-500010" in record
    assert "Follow-up</b> due" in record
