"""The screens pass the revision they loaded: when someone saved the same answer since (another
tab, another person), the screen shows their version (a typed field quotes it and keeps what
was typed here in the box), who changed it and when; nothing typed here overwrites theirs.
Moderation, supervision (a list note and a rating) and calibration; the audit's own field is in
``test_widgets.py``."""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from tests.support.audits import completed_audit
from tests.support.chosen import choose
from toolkit.apps.calibration import CalibrationApp, LearnerScreen
from toolkit.apps.moderation import ModerationApp, ModerationScreen
from toolkit.apps.supervision.app import SessionScreen, SupervisionApp
from toolkit.store.moderations import Moderations
from toolkit.supervision.store import SupervisionStore
from toolkit.training.calibration import CalibrationStore
from toolkit.training.demo_store import open_training_store, trainer


def find(widget: w.Widget, css: str) -> list[w.Widget]:
    found = [widget] if css in getattr(widget, "_dom_classes", ()) else []
    for child in getattr(widget, "children", ()):
        found += find(child, css)
    return found


def shown(widget: w.Widget) -> str:
    parts = [widget.value] if isinstance(widget, w.HTML) else []
    for child in getattr(widget, "children", ()):
        parts.append(shown(child))
    return " ".join(parts)


def test_the_moderation_screen_shows_the_other_version_and_who(app_store, monkeypatch):
    store = app_store
    auditor = store.add_person("Ada Auditor", ["auditor"])
    practitioner = store.add_person("Priya Practitioner", ["practitioner"])
    moderator = store.add_person("Mo Moderator", ["moderator"])
    qa = store.add_person("Quinn QA", ["quality_assurance"])
    completed_audit(store, auditor, practitioner, 6)
    book = Moderations(store)
    (m,) = book.select_and_allocate(qa, dt.date.today(), 1.0, seed=1)
    key = "feedback.good_practice"
    choose(moderator)
    monkeypatch.setenv("QUERY_STRING", f"moderation={m.id}")
    screen = ModerationApp(store).body.children[0]
    assert isinstance(screen, ModerationScreen)
    book.save(m.id, key, "Written in the other tab", moderator, 0)  # after this screen loaded
    view = screen.views[key]
    view.input.value = "Written here"
    assert book.values(m.id)[key] == "Written in the other tab"
    status = view.status.value
    assert "status-conflict" in status
    assert "Mo Moderator changed this answer" in status
    assert "Written here" in status  # what was typed is said, not lost
    assert "Their text: “Written in the other tab”" in status
    assert view.input.value == "Written here"  # the box is never rewritten while typing
    view.input.value = "Written here, still typing"  # refused again: nothing merged
    assert book.values(m.id)[key] == "Written in the other tab"
    view.take_theirs()
    assert view.input.value == "Written in the other tab"
    view.input.value = "Written here, having seen theirs"  # now on their revision: saved
    assert book.values(m.id)[key] == "Written here, having seen theirs"


def test_a_list_note_and_a_rating_show_the_other_version(app_store, monkeypatch):
    store = app_store
    manager = store.add_person("Maya Manager", ["manager"])
    sup = SupervisionStore(store)
    record = sup.create_session("group_mapping", manager, group_name="North")
    sup.save_note(record.id, "scale.zero", "Jo will be hurt again", manager)
    sup.save_note(record.id, "scale.ten", "Everyone knows Jo is safe", manager)
    people = [{"name": "Ann", "role": "facilitator"}]
    sup.save_note(record.id, "participants", people, manager)
    choose(manager)
    monkeypatch.setenv("QUERY_STRING", f"session={record.id}")
    app = SupervisionApp(store)
    assert isinstance(app.screen, SessionScreen), app.messages.value
    group = app.screen.screen
    group.go("scaling")
    (row,) = find(group, "rating-row")
    sup.save_rating(record.id, "Ann", 7, "From the other tab", manager, 0)
    find(row, "scale-point-2")[0].click()
    assert [(r.value, r.reason) for r in sup.ratings(record.id)] == [(7, "From the other tab")]
    status = find(row, "field-status")[0].value
    assert "status-conflict" in status
    assert "Maya Manager changed Ann" in status
    assert find(row, "rating-reason")[0].value == "From the other tab"

    group.go("participants")
    (editor,) = find(group, "list-editor")
    theirs = [*people, {"name": "Bo", "role": "observer"}]
    sup.save_note(record.id, "participants", theirs, manager, 1)  # another tab added Bo
    find(editor, "list-name")[0].value = "Annie"  # this one edits the old list
    assert sup.note_values(record.id)["participants"] == theirs
    assert "status-conflict" in editor.status.value
    assert "Annie" in editor.status.value
    assert [i["name"] for i in editor.items] == ["Ann", "Bo"]


def test_a_learner_in_two_tabs_sees_the_other_score(data_dir, monkeypatch):
    cal = CalibrationStore(open_training_store())
    exercise = cal.start("pellow", trainer(cal.store))
    monkeypatch.setenv("QUERY_STRING", f"exercise={exercise.code}")
    app = CalibrationApp()
    screen = app.body.children[0]
    assert isinstance(screen, LearnerScreen)
    screen.name.value = "Dee"
    find(screen, "learner-join")[0].click()
    learner = cal.join(exercise, "Dee")
    cal.score(learner, "area_7", 8, 0)  # the other tab
    (box,) = [b for b in find(screen, "learner-area") if find(b, "learner-scale--area-7")]
    find(box, "learner-scale--area-7")[0].value = 2
    assert cal.learner_scores(learner) == {"area_7": 8}
    status = shown(box)
    assert "status-conflict" in status
    assert "You gave 2" in status
    assert find(box, "learner-scale--area-7")[0].value == 8
    find(box, "learner-scale--area-7")[0].value = 3  # on the revision it now shows: saved
    assert cal.learner_scores(learner) == {"area_7": 3}
