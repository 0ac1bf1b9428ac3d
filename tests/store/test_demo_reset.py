"""Resetting the demonstration: for trainers only (a learner's attempt is refused, changes
nothing and is logged), and never deleting a calibration exercise in progress."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import select, update

from toolkit.store import NotAllowed, NotFound, Store, schema
from toolkit.training import calibration as cal_mod
from toolkit.training.calibration import CalibrationStore
from toolkit.training.demo_store import open_training_store, reset, trainer


def _everything(store: Store) -> dict[str, list]:
    tables = [*schema.metadata.sorted_tables, *schema.training_metadata.sorted_tables]
    with store.engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(select(t)).all()] for t in tables}


@pytest.fixture
def training(data_dir) -> Store:
    store = open_training_store()
    yield store
    store.close()


def test_a_learner_cannot_reset_and_the_refusal_is_logged(
    training: Store, caplog: pytest.LogCaptureFixture
) -> None:
    practitioner = next(p for p in training.people() if p.roles == {"practitioner"})
    audit = training.audits_for(trainer(training), include_demo=True)[0]
    training.save_answer(audit.id, "area_1.auditor_rating", 3, trainer(training))
    cal = CalibrationStore(training)
    cal.join(cal.start("pellow", trainer(training)), "Ana")
    before = _everything(training)
    with caplog.at_level(logging.WARNING, logger="toolkit.training"):
        for who in (practitioner, None):
            with pytest.raises(NotAllowed, match="Only a trainer can reset"):
                reset(training, who, live=Store)
    assert _everything(training) == before
    assert "Refused resetting the demonstration to Practitioner (demonstration)" in caplog.text
    assert "Refused resetting the demonstration to nobody signed in" in caplog.text
    live = Store()
    try:
        with live.engine.connect() as conn:
            logged = conn.execute(
                select(schema.access_log.c.actor, schema.access_log.c.allowed).where(
                    schema.access_log.c.record_kind == "demonstration"
                )
            ).all()
    finally:
        live.close()
    assert sorted(logged) == [
        ("Practitioner (demonstration) (on the demonstration page)", False),
        ("nobody", False),
    ]


def test_an_exercise_in_progress_survives_a_reset_with_its_scores(training: Store) -> None:
    cal = CalibrationStore(training)
    boss = trainer(training)
    running = cal.start("pellow", boss)  # a learner has scored one area of many
    ana = cal.join(running, "Ana")
    first = cal_mod.items()[0]
    cal.score(ana, first, 4)
    finished = cal.start("pellow", boss)  # every learner gave every score
    ben = cal.join(finished, "Ben")
    for item in cal_mod.items():
        cal.score(ben, item, 6)
    waiting = cal.start("pellow", boss)  # just started, nobody joined yet
    stale = cal.start("pellow", boss)  # started two days ago, nobody ever joined
    with training.engine.begin() as conn:
        conn.execute(
            update(schema.calibration_exercises)
            .where(schema.calibration_exercises.c.id == stale.id)
            .values(created_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2))
        )
    audit = training.audits_for(boss, include_demo=True)[0]
    training.save_answer(audit.id, "area_1.auditor_rating", 3, boss)

    done = reset(training, boss)

    assert [e.code for e in done.kept] == [running.code, waiting.code]
    again = CalibrationStore(training)
    assert again.scores(again.exercise(running.code), trainer(training)) == {"Ana": {first: 4}}
    again.exercise(waiting.code)
    for gone in (finished, stale):
        with pytest.raises(NotFound):
            again.exercise(gone.code)
    # Ana's open page goes on saving: the same learner id, her revision kept
    saved = again.score(ana, cal_mod.items()[1], 7)
    assert saved is not None
    assert again.learner_scores(ana) == {first: 4, cal_mod.items()[1]: 7}
    # and the rest is back at the start
    assert training.answer_values(audit.id).get("area_1.auditor_rating") is None
