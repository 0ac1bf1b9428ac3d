"""Widgets built without a browser: set values, click, and check what reached the store."""

from __future__ import annotations

import datetime as dt

import pytest
from traitlets import TraitError

from tests.support.chosen import choose
from toolkit.apps.audit.app import AuditApp, AuditScreen, HomeScreen
from toolkit.forms.loader import registry
from toolkit.store import Conflict, InvalidAnswer
from toolkit.store.store import Answer
from toolkit.ui.fields import FieldView
from toolkit.ui.scale import ScaleInput
from toolkit.ui.watch import ChangeWatch


@pytest.fixture
def env(app_store):
    store = app_store
    auditor = store.add_person("Ada Auditor", ["auditor", "manager"], team="North")
    practitioner = store.add_person("Priya Practitioner", ["practitioner"], team="South")
    stranger = store.add_person("Sam Stranger", ["practitioner"], team="East")
    form = registry().latest("collaborative_case_audit")
    audit = store.create_audit(
        form, child_id="LL-555", auditor=auditor, practitioner=practitioner, created_by=auditor
    )
    return store, auditor, practitioner, stranger, audit


def open_as(store, person, monkeypatch, audit_id=None) -> AuditApp:
    choose(person)
    if audit_id is not None:
        monkeypatch.setenv("QUERY_STRING", f"audit={audit_id}")
    return AuditApp(store)


def test_scale_starts_unanswered_and_clear_returns_to_unanswered():
    scale = ScaleInput("no difference", "significant difference")
    assert scale.value is None
    scale._buttons[0].click()
    assert scale.value == 0  # 0 is an answer, not "unanswered"
    scale._buttons[7].click()
    assert scale.value == 7
    assert scale._buttons[7].button_style == "primary"
    assert scale._buttons[0].button_style == ""
    scale._clear.click()
    assert scale.value is None
    with pytest.raises(TraitError):
        scale.value = 11


def test_scale_anchor_text_is_escaped():
    scale = ScaleInput("<b>low</b>", "<script>alert(1)</script>")
    html = scale.children[1].value
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_field_view_shows_a_store_refusal_and_keeps_the_old_revision():
    form = registry().latest("collaborative_case_audit")
    _, _, field = form.field("area_6.auditor_rationale")

    def refuse(key, value, revision):
        raise InvalidAnswer("The disk is full; nothing was saved.")

    view = FieldView("area_6.auditor_rationale", field, True, refuse)
    view.input.value = "Some rationale"
    assert "Not saved" in view.status.value
    assert "disk is full" in view.status.value
    assert view.revision == 0


def _refusing_after(stored: dict):
    """A save like the store's: refused when the revision is not the stored one."""

    def save(key, value, revision):
        if revision != stored["revision"]:
            raise Conflict(
                "changed",
                current=stored["value"],
                revision=stored["revision"],
                updated_by_name="Nia Other",
                updated_at=dt.datetime(2026, 7, 1, 9, 5, tzinfo=dt.timezone.utc),
            )
        stored.update(value=value, revision=revision + 1)
        return value, revision + 1

    return save


def test_typing_into_a_field_someone_else_changed_is_refused_at_every_keystroke():
    """Two people's words are never merged: the second person's text stays theirs in the box,
    each keystroke is refused with the whole text quoted back, and nothing of it is stored."""
    form = registry().latest("collaborative_case_audit")
    _, _, field = form.field("area_6.auditor_rationale")
    stored = {"value": "Their words", "revision": 3}
    view = FieldView("area_6.auditor_rationale", field, True, _refusing_after(stored))
    for typed in ("M", "My", "My w", "My words"):  # loaded at revision 0, before theirs
        view.input.value = typed
        assert view.input.value == typed  # never rewritten under the fingers
        assert "status-conflict" in view.status.value
        assert f"“{typed}”" in view.status.value  # the whole text so far, quoted back
        assert "Their text: “Their words”" in view.status.value
        assert "Nia Other changed this answer" in view.status.value
        assert "10:05" in view.status.value  # London time (BST), not UTC
    assert stored == {"value": "Their words", "revision": 3}
    view.take_theirs()  # the person chose to carry on from theirs
    assert view.input.value == "Their words"
    assert "My words" in view.status.value  # still quoted, to copy from
    view.input.value = "Their words, and mine"
    assert stored == {"value": "Their words, and mine", "revision": 4}
    assert "status-saved" in view.status.value


def test_a_scale_someone_else_changed_shows_theirs_and_says_what_was_chosen():
    form = registry().latest("collaborative_case_audit")
    _, _, field = form.field("area_6.collaborative_scale")
    stored = {"value": 7, "revision": 2}
    view = FieldView("area_6.collaborative_scale", field, True, _refusing_after(stored))
    view.input.value = 3
    assert view.input.value == 7
    assert view.revision == 2
    assert "you chose “3”" in view.status.value
    view.input.value = 4  # having seen theirs: a choice of its own
    assert stored["value"] == 4


def test_a_change_elsewhere_is_said_with_the_new_text_and_the_box_is_left_alone():
    form = registry().latest("collaborative_case_audit")
    _, _, field = form.field("area_6.strengths")
    stored = {"value": "Mine, saved", "revision": 1}
    view = FieldView("area_6.strengths", field, True, _refusing_after(stored))
    view.load("Mine, saved", 1)
    answers = {"area_6.strengths": Answer("Their new text", 2, 7, dt.datetime.now(dt.UTC))}
    watch = ChangeWatch(lambda: {"area_6.strengths": view}, lambda: answers, {7: "Nia"}.get, 1)
    assert watch.check() == 1
    assert "status-changed" in view.status.value
    assert "Nia changed this answer" in view.status.value
    assert "Their new text" in view.status.value
    assert view.input.value == "Mine, saved"
    assert watch.check() == 0  # said once, not every look
    stored.update(value="Their new text", revision=2)
    view.input.value = "Mine, saved, more"  # typed on the old version: refused, not merged
    assert stored["value"] == "Their new text"
    assert "status-conflict" in view.status.value


def test_a_scale_changed_elsewhere_shows_the_new_point():
    form = registry().latest("collaborative_case_audit")
    _, _, field = form.field("area_6.collaborative_scale")
    view = FieldView("area_6.collaborative_scale", field, True, _refusing_after({}))
    view.load(5, 1)
    answers = {"area_6.collaborative_scale": Answer(8, 2, 1, dt.datetime.now(dt.UTC))}
    ChangeWatch(lambda: {"area_6.collaborative_scale": view}, lambda: answers, str, 1).check()
    assert view.input.value == 8
    assert view.revision == 2
    assert "You (in another window) changed this answer" in view.status.value


def test_home_lists_only_my_audits(env, monkeypatch):
    store, auditor, _practitioner, stranger, _audit = env
    app = open_as(store, stranger, monkeypatch)
    assert isinstance(app.screen, HomeScreen)
    assert "LL-555" not in str([c.value for c in _html_widgets(app)])
    app = open_as(store, auditor, monkeypatch)
    assert any("LL-555" in c.value for c in _html_widgets(app))


def test_deep_link_opens_the_audit_and_clicking_a_scale_saves_it(env, monkeypatch):
    store, auditor, _practitioner, _stranger, audit = env
    app = open_as(store, auditor, monkeypatch, audit.id)
    screen = app.screen
    assert isinstance(screen, AuditScreen)
    assert screen.audit.id == audit.id
    screen.show_section("areas_of_practice", "area_9")
    view = screen.views["area_9.collaborative_scale"]
    view.input._buttons[8].click()
    assert store.answer_values(audit.id)["area_9.collaborative_scale"] == 8
    assert "Saved" in view.status.value
    screen.views[
        "area_9.auditor_rationale"
    ].input.value = "<script>alert('x')</script> evidence on file 01/04/19"
    assert store.answer_values(audit.id)["area_9.auditor_rationale"].startswith("<script>")
    assert store.audit(audit.id).state == "collaborative_audit"


def test_practitioner_edits_only_preparation(env, monkeypatch):
    store, _auditor, practitioner, _stranger, audit = env
    app = open_as(store, practitioner, monkeypatch, audit.id)
    screen = app.screen
    screen.show_section("practitioner_preparation")
    prep = screen.views["self_assessment_difference.scale"]
    assert not prep.input._buttons[0].disabled
    prep.input._buttons[6].click()
    assert store.answer_values(audit.id)["self_assessment_difference.scale"] == 6
    screen.show_section("areas_of_practice")
    assert all(b.disabled for b in screen.views["area_6.collaborative_scale"].input._buttons)
    assert screen.views["area_6.auditor_rationale"].input.disabled


def test_stranger_deep_link_is_refused_with_a_message(env, monkeypatch):
    store, _auditor, _practitioner, stranger, audit = env
    app = open_as(store, stranger, monkeypatch, audit.id)
    assert isinstance(app.screen, HomeScreen)
    assert "may not open it" in app.messages.value


def test_completing_needs_rating_rationale_and_action(env, monkeypatch):
    store, auditor, _practitioner, _stranger, audit = env
    app = open_as(store, auditor, monkeypatch, audit.id)
    screen = app.screen
    screen.show_section("audit_outcome")
    panel = _find_class(screen, "completion-panel")
    complete = _find_class(panel, "complete-audit")
    complete.click()
    confirm = _find_class(panel, "complete-confirm")
    assert store.audit(audit.id).state != "complete"
    assert "overall rating" in _texts(confirm)
    assert _find_class(confirm, "confirm-complete").disabled  # nothing to confirm yet
    _find_class(confirm, "cancel-complete").click()
    assert "nothing was changed" in app.messages.value
    screen.views["overall.overall_rating"].input._buttons[2].click()
    assert "Inadequate" in _find_class(screen, "overall-grade").value
    screen.views["overall.signs_of_impact"].input.value = "Plan unclear; no safety goal agreed."
    _find_class(screen, "action-add").click()
    row = _find_class(screen, "action-row")
    row._what.value = "Convene a network meeting"
    row._who.value = "Allocated worker"
    screen.show_section("audit_outcome")
    _find_class(_find_class(screen, "completion-panel"), "complete-audit").click()
    confirm = _find_class(screen, "complete-confirm")
    assert "immediate action to reach Good" in _texts(confirm)  # below Good: none marked
    assert _find_class(confirm, "confirm-complete").disabled
    _find_class(confirm, "add-practice-observation").click()  # Inadequate: proposed
    confirm = _find_class(screen, "complete-confirm")
    assert "Still needed" not in _texts(confirm)  # the observation is an immediate action
    fill_skip_reasons(confirm, "Not scaled in this test.")
    _find_class(confirm, "confirm-complete").click()
    assert store.audit(audit.id).state == "complete"
    assert store.actions(audit.id)[0]["what"] == "Convene a network meeting"
    assert store.actions(audit.id)[1]["immediate"] is True
    assert "Not scaled in this test." in _find_class(screen, "completion-record").value


def _texts(root) -> str:
    return " ".join(str(w.value) for w in _walk(root) if isinstance(getattr(w, "value", None), str))


def fill_skip_reasons(root, reason: str) -> int:
    """Give every unanswered item in the confirmation a reason; how many there were."""
    boxes = [w for w in _walk(root) if "skip-reason" in getattr(w, "_dom_classes", ())]
    for box in boxes:
        box.value = reason
    return len(boxes)


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _html_widgets(app):
    return [w for w in _walk(app) if type(w).__name__ == "HTML"]


def _find_class(root, css):
    for w in _walk(root):
        if css in getattr(w, "_dom_classes", ()):
            return w
    raise AssertionError(f"no widget with class {css}")


def test_names_with_html_show_as_text_in_the_summary_and_home(env, monkeypatch):
    store, auditor, _practitioner, _stranger, _audit = env
    sneaky = store.add_person('<img src=x onerror="alert(1)">Pat', ["practitioner"], team="West")
    form = registry().latest("collaborative_case_audit")
    other = store.create_audit(
        form, child_id="LL-777", auditor=auditor, practitioner=sneaky, created_by=auditor
    )
    app = open_as(store, auditor, monkeypatch, other.id)
    summary = app.screen._summary.value
    assert "<img" not in summary
    assert "&lt;img src=x" in summary
    app.show_home()
    html = " ".join(w.value for w in _html_widgets(app))
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html


def test_returning_to_an_area_shows_what_another_person_saved_meanwhile(env, monkeypatch):
    """Area pages are kept between visits; a kept page still shows the store's current answer,
    and the next save from it is checked against that answer, not the one first loaded."""
    store, auditor, _practitioner, _stranger, audit = env
    app = open_as(store, auditor, monkeypatch, audit.id)
    screen = app.screen
    screen.show_section("areas_of_practice", "area_7")
    first = screen.views["area_7.collaborative_scale"]
    first.input._buttons[3].click()
    screen.show_section("areas_of_practice", "area_8")
    # someone else changes area 4 while this person is on area 5
    other = store.answers(audit.id, auditor)["area_7.collaborative_scale"]
    store.save_answer(
        audit.id, "area_7.collaborative_scale", 6, auditor, expected_revision=other.revision
    )
    screen.show_section("areas_of_practice", "area_7")
    view = screen.views["area_7.collaborative_scale"]
    assert view is first  # the same page, not rebuilt
    assert view.input.value == 6
    pager = _find_class(screen, "area-tab-area_7")
    assert pager.description == "7 ✓"
    assert "current" in pager._dom_classes
    assert "current" not in _find_class(screen, "area-tab-area_8")._dom_classes
    view.input._buttons[7].click()
    assert "Saved" in view.status.value
    assert store.answer_values(audit.id)["area_7.collaborative_scale"] == 7
