"""The moderation app and the audit screen's record, history and grade change, built without a
browser: set values, click, and check what reached the store."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest

from tests.support.audits import completed_audit
from tests.support.chosen import choose
from toolkit.apps.audit.app import AuditApp
from toolkit.apps.moderation import ModerationApp, ModerationScreen
from toolkit.store import Store
from toolkit.store.moderations import Moderations

PAYLOAD = "<script>alert(1)</script>"


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def find(root, css):
    for w in _walk(root):
        if css in getattr(w, "_dom_classes", ()):
            return w
    raise AssertionError(f"no widget with class {css}")


def texts(root) -> str:
    return " ".join(w.value for w in _walk(root) if type(w).__name__ == "HTML")


@pytest.fixture
def env(app_store):
    store = app_store
    people = {
        "auditor": store.add_person("Ada Auditor", ["auditor"], team="North"),
        "practitioner": store.add_person("Priya Practitioner", ["practitioner"], team="South"),
        "moderator": store.add_person("Mo Moderator", ["moderator"]),
        "qa": store.add_person("Quinn QA", ["quality_assurance"]),
    }
    audit_id = completed_audit(
        store, people["auditor"], people["practitioner"], 6, rationale=f"Seen {PAYLOAD}"
    )
    yield store, people, audit_id
    store.close()


def as_person(person, monkeypatch, query: str = "") -> None:
    choose(person)
    monkeypatch.setenv("QUERY_STRING", query)


def test_quality_assurance_select_and_the_moderator_sees_it(env, monkeypatch) -> None:
    store, people, audit_id = env
    as_person(people["qa"], monkeypatch)
    app = ModerationApp(store)
    panel = find(app, "moderation-selection")
    find(panel, "moderation-share").value = 100
    find(panel, "moderation-select").click()
    assert "Selected 1 audits (0 Inadequate, 1 at random)" in app.messages.value
    (m,) = Moderations(store).listed(people["qa"])
    assert (m.audit_id, m.moderator_id) == (audit_id, people["moderator"].id)

    as_person(people["moderator"], monkeypatch)
    mine = ModerationApp(store)
    with pytest.raises(AssertionError):
        find(mine, "moderation-selection")  # only organisers select
    find(mine, f"open-moderation-{m.id}").click()
    screen = mine.body.children[0]
    assert isinstance(screen, ModerationScreen)
    assert "&lt;script&gt;" in texts(find(screen, "moderation-audit-pane"))
    assert PAYLOAD not in texts(screen)


def _moderation(store: Store, people: dict) -> int:
    (m,) = Moderations(store).select_and_allocate(people["qa"], dt.date.today(), 1.0, seed=1)
    return m.id


def test_moderator_disagrees_and_records_the_agreed_grade(env, monkeypatch) -> None:
    store, people, audit_id = env
    mid = _moderation(store, people)
    as_person(people["moderator"], monkeypatch, f"moderation={mid}")
    app = ModerationApp(store)
    screen = app.body.children[0]
    assert isinstance(screen, ModerationScreen)
    for key, view in screen.views.items():
        if key.endswith(("_scale", "_rating")):
            view.input.value = 4
    screen.views["feedback.good_practice"].input.value = "The child's words are in the plan."
    screen.views["feedback.development"].input.value = "Widen the network."
    screen.views["audit_actions.actions_completed"].input.value = "Partly"
    agreed = screen.views["agreement.agreed_grade"]
    assert agreed.layout.display == "none"
    screen.views["agreement.agrees"].input.value = "Disagree"
    assert agreed.layout.display is None
    agreed.input.value = "Requires improvement"
    find(screen, "action-add").click()
    (_action,) = Moderations(store).actions(mid)
    find(screen, "complete-moderation").click()
    assert "Moderation #" in app.messages.value
    assert "complete" in app.messages.value
    done = Moderations(store).get(mid)
    assert (done.state, done.agrees, done.agreed_grade, done.moderator_grade) == (
        "complete",
        False,
        "Requires improvement",
        "Requires improvement",
    )
    # the audit screen now shows both grades
    as_person(people["auditor"], monkeypatch, f"audit={audit_id}")
    audit_app = AuditApp(store)
    summary = find(audit_app, "audit-summary").value
    assert "Auditor’s grade: Good" in summary
    assert "Grade agreed with the auditor: Requires improvement" in summary


def test_only_the_moderator_edits_the_moderation_screen(env, monkeypatch) -> None:
    store, people, _audit_id = env
    mid = _moderation(store, people)
    as_person(people["qa"], monkeypatch, f"moderation={mid}")
    screen = ModerationApp(store).body.children[0]
    assert isinstance(screen, ModerationScreen)
    assert find(screen, "complete-moderation").disabled
    assert screen.views["feedback.good_practice"].input.disabled
    as_person(people["auditor"], monkeypatch, f"moderation={mid}")
    app = ModerationApp(store)
    assert "not the moderator" in app.messages.value


def test_history_tab_lists_changes_and_offers_the_record(env, monkeypatch) -> None:
    store, people, audit_id = env
    as_person(people["auditor"], monkeypatch, f"audit={audit_id}")
    app = AuditApp(store)
    find(app, "history-tab").click()
    panel = find(app, "history-panel").value
    assert "Ada Auditor" in panel
    assert "Complete" in panel
    assert "→" in panel
    find(app, "prepare-record").click()
    links = find(app, "record-links").value
    html_b64 = re.search(r'href="data:text/html;base64,([^"]+)"', links).group(1)
    html = base64.b64decode(html_b64).decode("utf-8")
    assert "&lt;script&gt;" in html
    assert PAYLOAD not in html
    assert 'download="audit-' in links
    assert "data:application/pdf;base64," in links


def test_grade_change_needs_a_reason_on_screen_too(env, monkeypatch) -> None:
    store, people, audit_id = env
    as_person(people["auditor"], monkeypatch, f"audit={audit_id}")
    app = AuditApp(store)
    app.screen.show_section("audit_outcome")
    panel = find(app, "grade-change")
    find(panel, "grade-change-rating").value = 3
    find(panel, "grade-change-save").click()
    assert "Say why" in app.messages.value
    assert store.answer_values(audit_id)["overall.overall_rating"] == 6
    find(panel, "grade-change-reason").value = "Agreed at moderation"
    find(panel, "grade-change-save").click()
    assert store.answer_values(audit_id)["overall.overall_rating"] == 3
    assert "Requires improvement" in find(app, "audit-summary").value


def test_quality_assurance_export_a_period_from_home(env, monkeypatch) -> None:
    store, people, audit_id = env
    as_person(people["qa"], monkeypatch)
    app = AuditApp(store)
    find(app, "export-csv").click()
    link = find(app, "export-links").value
    data = base64.b64decode(re.search(r"base64,([^\"]+)", link).group(1)).decode("utf-8-sig")
    assert data.splitlines()[1].startswith(f"{audit_id},LL-1,South")
    as_person(people["auditor"], monkeypatch)
    with pytest.raises(AssertionError):
        find(AuditApp(store), "period-export")
