"""Training screens built without a kernel: demonstration mode on the training store (banner,
case file, model answers revealed one area at a time, reset), and a learner scoring."""

from __future__ import annotations

import ipywidgets as w
import pytest

from tests.support.chosen import choose
from toolkit.apps import session
from toolkit.apps.audit.app import AuditApp, AuditScreen
from toolkit.apps.calibration import CalibrationApp, LearnerScreen, TrainerView
from toolkit.apps.common import page_store
from toolkit.store import Store
from toolkit.training.calibration import CalibrationStore
from toolkit.training.demo_store import open_training_store, trainer


def _find(widget: w.Widget, css: str) -> list[w.Widget]:
    found = [widget] if css in getattr(widget, "_dom_classes", ()) else []
    for child in getattr(widget, "children", ()):
        found += _find(child, css)
    return found


@pytest.fixture
def demo(data_dir, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "mode=demo")
    store = open_training_store()
    choose(trainer(store))
    return store


def test_demo_mode_opens_the_training_store_and_keeps_its_own_person(
    demo, data_dir, monkeypatch
) -> None:
    assert page_store().url == demo.url
    app = AuditApp()
    assert _find(app, "training-banner")
    assert "DEMONSTRATION" in _find(app, "training-banner")[0].children[0].value
    assert app.person == trainer(demo)
    # the same browser on a live page: the demonstration's choice names nobody there
    monkeypatch.setenv("QUERY_STRING", "")
    assert session.current_person(Store()) is None


def test_model_answers_are_revealed_area_by_area_beside_the_fields(demo, monkeypatch) -> None:
    audit_id = {a.child_id: a.id for a in demo.audits_for(trainer(demo), include_demo=True)}
    monkeypatch.setenv("QUERY_STRING", f"mode=demo&audit={audit_id['DEMO-greenfield']}")
    app = AuditApp()
    screen = _find(app, "audit-screen")[0]
    assert isinstance(screen, AuditScreen)
    assert "Maddy" in _find(screen, "demo-case-file")[0].children[0].value
    screen.show_section("areas_of_practice", "area_7")
    (reveal,) = _find(screen, "reveal-model")
    (shown,) = _find(screen, "model-answer")
    assert shown.value == ""  # not before the trainer asks
    reveal.click()
    assert "Model scale <b>7</b>" in shown.value
    assert "bottom lines" in shown.value
    screen.show_section("audit_outcome")
    texts = [m for m in _find(screen, "reveal-model")]
    assert len(texts) == 2  # overall rating and actions
    texts[0].click()
    assert "Requires improvement" in _find(screen, "model-answer")[0].value


def test_no_model_answers_or_banner_on_live_data(data_dir, monkeypatch) -> None:
    monkeypatch.delenv("QUERY_STRING", raising=False)
    live = Store()
    person = live.add_person("Live", ["auditor"], team="A")
    other = live.add_person("Other", ["practitioner"], team="B")
    from toolkit.training.cases import audit_form

    audit = live.create_audit(
        audit_form(),
        child_id="DEMO-greenfield",
        auditor=person,
        practitioner=other,
        created_by=person,
    )  # even a live audit named like an example case gets no model answers
    choose(person)
    monkeypatch.setenv("QUERY_STRING", f"audit={audit.id}")
    app = AuditApp()
    assert not _find(app, "training-banner")
    assert not _find(app, "reveal-model")
    assert not _find(app, "demo-case-file")


def test_reset_drops_every_demonstration_answer_in_one_action(demo, monkeypatch) -> None:
    audit = demo.audits_for(trainer(demo), include_demo=True)[0]
    demo.save_answer(audit.id, "area_1.auditor_rating", 3, trainer(demo))
    cal = CalibrationStore(demo)
    running = cal.start("pellow", trainer(demo))
    cal.join(running, "Ana")  # in progress: Ana has not scored yet
    app = AuditApp()
    reset_button = _find(app, "demo-reset")[0]
    assert reset_button.layout.display is None  # offered: the trainer is signed in
    reset_button.click()  # asks first
    (confirm,) = _find(app, "reset-confirm")
    assert demo.answer_values(audit.id)["area_1.auditor_rating"] == 3
    said = " ".join(c.value for c in confirm.children if isinstance(c, w.HTML))
    assert f"<li><b>{running.code}</b>" in said  # says which exercise it keeps
    _find(confirm, "confirm-cancel")[0].click()
    assert not _find(app, "reset-confirm")
    assert demo.answer_values(audit.id)["area_1.auditor_rating"] == 3  # cancelled: kept
    reset_button.click()
    _find(_find(app, "reset-confirm")[0], "confirm-yes")[0].click()
    assert demo.answer_values(audit.id).get("area_1.auditor_rating") is None
    assert len(demo.audits_for(trainer(demo), include_demo=True)) == 6
    assert "back at the start" in app.messages.value
    assert f"Kept 1 calibration exercise in progress: {running.code}" in app.messages.value
    assert CalibrationStore(demo).exercise(running.code).id == running.id


def test_the_reset_is_not_offered_to_learners_or_on_the_flashcards(demo, monkeypatch) -> None:
    from toolkit.apps.flashcards import FlashcardsApp

    practitioner = next(p for p in demo.people() if p.roles == {"practitioner"})
    choose(practitioner)
    assert _find(AuditApp(), "demo-reset")[0].layout.display == "none"
    choose(trainer(demo))  # even a trainer's browser: not on the flashcards
    assert _find(FlashcardsApp(), "demo-reset")[0].layout.display == "none"
    exercise = CalibrationStore(demo).start("pellow", trainer(demo))
    monkeypatch.setenv("QUERY_STRING", f"mode=demo&exercise={exercise.code}")
    learner_page = CalibrationApp()
    assert isinstance(learner_page.body.children[0], LearnerScreen)
    assert _find(learner_page, "demo-reset")[0].layout.display == "none"


def test_a_learner_scores_on_the_screen_and_the_trainer_sees_it(data_dir, monkeypatch) -> None:
    cal = CalibrationStore(open_training_store())
    the_trainer = trainer(cal.store)
    exercise = cal.start("pellow", the_trainer)
    monkeypatch.setenv("QUERY_STRING", f"exercise={exercise.code}")
    app = CalibrationApp()
    screen = app.body.children[0]
    assert isinstance(screen, LearnerScreen)
    join = _find(screen, "learner-join")[0]
    assert join.disabled  # it waits for a name
    screen.name.value = "   "
    assert join.disabled  # spaces are no name
    join.click()  # pressed anyway (a page that has not caught up): refused, nothing saved
    assert "Type your name" in app.messages.value
    assert cal.scores(exercise, the_trainer) == {}
    screen.name.value = "<b>Dee</b>"
    assert not join.disabled
    join.click()
    scale = _find(screen, "learner-scale--area-7")[0]
    scale.value = 2
    assert cal.scores(exercise, the_trainer) == {"<b>Dee</b>": {"area_7": 2}}
    view = TrainerView(cal, exercise, the_trainer, app.guard)
    assert "&lt;b&gt;Dee" in view.table.value
    assert "<b>Dee" not in view.table.value


def test_flashcards_show_one_card_and_flip_to_the_definition(data_dir, monkeypatch) -> None:
    from toolkit.apps.flashcards import FlashcardsApp

    monkeypatch.setenv("QUERY_STRING", "deck=ears")
    app = FlashcardsApp()
    assert "Elicit" in app.face.value
    assert "card-front" in app.face.value
    _find(app, "card-flip")[0].click()
    assert "card-back" in app.face.value
    assert "organising question" in app.face.value
    _find(app, "card-next")[0].click()
    assert "Amplify" in app.face.value
    assert app.position.value == "Card 2 of 4"
    app.choice.value = "glossary"
    assert "Appreciative Inquiry" in app.face.value
    assert "of 24" in app.position.value


def test_the_supervision_app_in_demo_mode_is_bannered_on_the_training_store(demo) -> None:
    from toolkit.apps.supervision.app import SupervisionApp

    app = SupervisionApp()
    assert app.store.url == demo.url
    assert _find(app, "training-banner")
