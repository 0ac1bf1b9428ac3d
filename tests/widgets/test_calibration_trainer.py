"""A calibration exercise's trainer view is for the trainer who started it: the store refuses
anyone else (and logs who and which exercise), a learner who adds ``&view=trainer`` sees a plain
refusal and nothing of the scores or the model, the start panel shows no address of the view,
and the trainer reaches it from "Your exercises". An older training store without the column
still opens."""

from __future__ import annotations

import logging
import sqlite3

import ipywidgets as w
import pytest

from tests.support.chosen import choose
from toolkit.apps.calibration import CalibrationApp, StartScreen, TrainerView
from toolkit.store import NotAllowed, Store
from toolkit.training.calibration import CalibrationStore
from toolkit.training.demo_store import DEMO_PEOPLE, open_training_store, trainer
from toolkit.training.mode import training_path

REFUSED = "Only the trainer who started exercise"


def _walk(widget: w.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _find(widget: w.Widget, css: str) -> list[w.Widget]:
    return [x for x in _walk(widget) if css in getattr(x, "_dom_classes", ())]


def _shown(widget: w.Widget) -> str:
    """Every bit of HTML and text the screen holds."""
    return " ".join(
        str(getattr(x, "value", "")) + " " + str(getattr(x, "description", ""))
        for x in _walk(widget)
    )


@pytest.fixture
def live(data_dir, monkeypatch):
    """The live register of a council running the toolkit: two trainers and a learner."""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    store = Store()
    people = {
        "tia": store.add_person("Tia Trainer", ["trainer"], username="tia", team="Learning"),
        "tom": store.add_person("Tom Trainer", ["trainer"], username="tom", team="Learning"),
        "lena": store.add_person("Lena Learner", ["practitioner"], username="lena", team="A"),
    }
    return store, people


def _scored_exercise(store: Store, by):
    cal = CalibrationStore(open_training_store(), store)
    exercise = cal.start("greenfield", by)
    learner = cal.join(exercise, "Asha Secret-Name")
    cal.score(learner, "area_7", 3)
    return cal, exercise


def test_the_store_shows_scores_to_the_trainer_who_started_the_exercise_only(live, caplog) -> None:
    store, p = live
    cal, exercise = _scored_exercise(store, p["tia"])
    assert cal.scores(exercise, p["tia"]) == {"Asha Secret-Name": {"area_7": 3}}
    caplog.set_level(logging.WARNING, logger="toolkit.training")
    for someone in (p["tom"], p["lena"], None):
        with pytest.raises(NotAllowed, match=REFUSED):
            cal.scores(exercise, someone)
        with pytest.raises(NotAllowed, match=REFUSED):
            cal.trainer_view(exercise.code.lower(), someone)
    refusals = [r.getMessage() for r in caplog.records if "Refused" in r.getMessage()]
    assert len(refusals) == 6
    assert all(exercise.code in r for r in refusals)
    assert any("Lena Learner" in r for r in refusals)
    assert any("nobody" in r for r in refusals)
    with pytest.raises(NotAllowed, match="started by trainers"):
        cal.start("ashdown", p["lena"])
    assert [e.code for e, _n in cal.exercises_of(p["tia"])] == [exercise.code]
    assert cal.exercises_of(p["tom"]) == []
    # the demonstration's person with the same id is not the live trainer
    demo = CalibrationStore(cal.store)  # signed in against the demonstration's people
    with pytest.raises(NotAllowed):
        demo.scores(exercise, demo.store.person(p["tia"].id))


def test_a_learner_adding_view_trainer_sees_a_plain_refusal_and_nothing_else(
    live, monkeypatch, caplog
) -> None:
    store, p = live
    _cal, exercise = _scored_exercise(store, p["tia"])
    caplog.set_level(logging.WARNING, logger="toolkit.training")
    monkeypatch.setenv("QUERY_STRING", f"exercise={exercise.code}&view=trainer")
    for learner in ("hub", "chosen", "nobody"):
        monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
        if learner == "hub":
            monkeypatch.setenv("JUPYTERHUB_USER", "lena")
        elif learner == "chosen":
            choose(p["tom"])  # another trainer
        else:
            (training_path().parent / "local_user").unlink(missing_ok=True)
        app = CalibrationApp()
        assert REFUSED in app.messages.value, learner
        assert app.body.children == ()
        assert not _find(app, "calibration-results")
        shown = _shown(app)
        assert "Asha" not in shown
        assert "Model" not in shown
        assert "data:text/csv" not in shown
    said = " ".join(r.getMessage() for r in caplog.records)
    assert "Lena Learner" in said
    assert "Tom Trainer" in said
    assert exercise.code in said


def test_the_start_panel_shows_no_trainer_address_and_your_exercises_opens_the_view(
    live, monkeypatch
) -> None:
    store, p = live
    choose(p["tia"])
    app = CalibrationApp()
    (start,) = [x for x in app.body.children if isinstance(x, StartScreen)]
    assert "None yet" in _shown(start.mine)
    _find(start, "calibration-start")[0].click()
    assert "exercise-code" in start.result.value
    assert "view=trainer" not in _shown(app)
    assert "trainer-link" not in _shown(app)
    code = start.result.value.split('class="exercise-code">')[1].split("<")[0]
    CalibrationStore(open_training_store(), store).join(
        CalibrationStore(open_training_store()).exercise(code), "Ben"
    )
    (open_view,) = _find(start, f"open-{code}")
    open_view.click()
    (view,) = app.body.children
    assert isinstance(view, TrainerView)
    assert "1 learner(s): Ben" in view.table.value
    _find(view, "calibration-back")[0].click()
    assert isinstance(app.body.children[0], StartScreen)
    # another trainer's own screen does not list it
    choose(p["tom"])
    other = CalibrationApp()
    assert not _find(other, f"open-{code}")
    assert "None yet" in _shown(other)


def test_under_the_hub_the_trainer_opens_their_view_by_its_address(live, monkeypatch) -> None:
    store, p = live
    _cal, exercise = _scored_exercise(store, p["tia"])
    monkeypatch.setenv("JUPYTERHUB_USER", "tia")
    monkeypatch.setenv("QUERY_STRING", f"exercise={exercise.code}&view=trainer")
    app = CalibrationApp()
    (view,) = app.body.children
    assert isinstance(view, TrainerView)
    assert "Asha Secret-Name" in view.table.value
    assert not _find(app, "calibration-back")  # opened by its address: no list to go back to
    monkeypatch.setenv("QUERY_STRING", "")
    assert _find(CalibrationApp(), f"open-{exercise.code}")


def test_a_training_store_from_before_still_opens_and_its_old_exercises_stay_closed(
    data_dir,
) -> None:
    training = open_training_store()
    training.close()
    with sqlite3.connect(training_path()) as db:  # as a training store made before the column
        db.execute("ALTER TABLE calibration_exercises DROP COLUMN created_by")
        db.execute(
            "INSERT INTO calibration_exercises (code, case_id, created_at) "
            "VALUES ('OLD234', 'pellow', '2026-01-05 10:00:00')"
        )
    reopened = open_training_store()
    cal = CalibrationStore(reopened)
    old = cal.exercise("OLD234")
    assert old.case_id == "pellow"
    assert old.created_by is None
    with pytest.raises(NotAllowed):
        cal.scores(old, trainer(reopened))  # nobody recorded: nobody sees its scores
    fresh = cal.start("ashdown", trainer(reopened))
    assert cal.scores(fresh, trainer(reopened)) == {}
    assert DEMO_PEOPLE[0][0] == trainer(reopened).name
