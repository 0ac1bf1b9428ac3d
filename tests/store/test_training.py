"""Training: example cases and their model audits, the training store kept apart from live data,
and calibration exercises (store, spread, CSV)."""

from __future__ import annotations

import csv
import io

import pytest

from tests.support import fidelity
from toolkit.core.scoring import grade_for
from toolkit.core.validation import clean_answer
from toolkit.store import InvalidAnswer, NotFound, Store
from toolkit.training import calibration as cal_mod
from toolkit.training.calibration import CalibrationStore, area_results, results_csv
from toolkit.training.cases import (
    Dated,
    Passage,
    audit_form,
    example_cases,
    model_answers,
    model_grade,
    scaled_areas,
)
from toolkit.training.demo_store import open_training_store, reset, trainer

# --- example cases ------------------------------------------------------------------------------


def test_three_fictional_cases_cover_the_three_grades_and_different_service_areas() -> None:
    cases = example_cases().cases
    assert len(cases) >= 3
    assert {"Good", "Requires improvement", "Inadequate"} <= {c.grade for c in cases}
    assert len({c.service_area for c in cases}) == len(cases)
    for case in cases:
        assert "fictional" in case.fictional.lower()
        assert case.summary
        assert case.chronology
        assert case.assessment
        assert case.visit_notes
        assert case.plan.danger_statements
        assert case.plan.safety_goals
        assert case.feedback


@pytest.mark.parametrize("case", example_cases().cases, ids=lambda c: c.id)
def test_the_model_audit_answers_every_scaled_area_and_its_grade_matches(case) -> None:
    assert model_grade(case) == case.grade
    assert set(case.model_audit.areas) == {a for a, _t, _k in scaled_areas()}
    form = audit_form()
    for key, value in model_answers(case).items():
        _section, _group, field = form.field(key)
        if key != "actions.actions":
            assert clean_answer(field, value) == value, key
    assert case.model_audit.actions
    assert case.case_mapping.worried


def test_the_greenfield_family_uses_one_set_of_names() -> None:
    case = example_cases().case("greenfield")
    text = " ".join(p.text for p in case.summary + case.plan.danger_statements)
    assert "Claire" in text
    assert "Keira" in text
    assert "Danni" in text
    for variant in ("Jane", "Kiera", "Daniel", "Danny"):
        assert variant not in text


def _quoted(case) -> list[Passage | Dated]:
    plan = case.plan
    every = case.summary + case.chronology + case.assessment + case.visit_notes + case.feedback
    every += plan.danger_statements + plan.safety_goals + plan.bottom_lines
    return [p for p in every if p.source is not None]


@pytest.mark.skipif(not fidelity.SEEDS_DIR.is_dir(), reason="the seeds are not beside the clone")
def test_text_quoted_from_the_seed_stands_there_word_for_word() -> None:
    quoted = [p for c in example_cases().cases for p in _quoted(c)]
    verbatim = [p for p in quoted if not p.adapted]
    assert len(verbatim) >= 8
    problems = [f for p in verbatim if (f := fidelity.problem(p.text, p.source, "001"))]
    assert problems == []
    # adapted passages still cite real lines of the worked example
    assert all(1472 <= p.source.lines[0][0] <= 1620 for p in quoted)


# --- the training store is apart from live data ------------------------------------------------


def _live_child_ids(live: Store) -> set[str]:
    people = live.people()
    return {a.child_id for p in people for a in live.audits_for(p, include_demo=True)}


def test_demonstration_data_never_reaches_the_live_store(store: Store, data_dir) -> None:
    live_person = store.add_person("Live auditor", ["auditor", "quality_assurance"], team="A")
    other = store.add_person("Live practitioner", ["practitioner"], team="B")
    store.create_audit(
        audit_form(), child_id="LIVE1", auditor=live_person, practitioner=other, created_by=other
    )
    training = open_training_store()
    assert training.url != store.url
    assert (data_dir / "training.sqlite").exists()
    exercise = CalibrationStore(training).start("greenfield", trainer(training))
    learner = CalibrationStore(training).join(exercise, "Learner A")
    CalibrationStore(training).score(learner, "area_7", 4)
    demo_audits = training.audits_for(trainer(training), include_demo=True)
    cases = {"DEMO-greenfield", "DEMO-ashdown", "DEMO-pellow"}  # to walk through, and completed
    assert {a.child_id for a in demo_audits} == cases | {c + "-model" for c in cases}
    # the live store's queues and lists see only live audits, and has no calibration tables
    assert _live_child_ids(store) == {"LIVE1"}
    assert store.count_audits() == 1
    from sqlalchemy import inspect

    assert not any(t.startswith("calibration") for t in inspect(store.engine).get_table_names())
    import datetime as dt

    from toolkit.audit.completion import actions_due, follow_ups_due

    today = dt.date.today()
    for person in store.people():
        queued = follow_ups_due(store, person, today) + actions_due(store, person, today)
        assert not any(str(q.child_id).startswith("DEMO") for q in queued)


def test_calibration_refuses_the_live_store(store: Store) -> None:
    with pytest.raises(PermissionError):
        CalibrationStore(store)
    with pytest.raises(PermissionError):
        reset(store, store.add_person("Tia Trainer", ("trainer",)))


def test_reset_puts_the_training_store_back_to_the_start(data_dir) -> None:
    training = open_training_store()
    cal = CalibrationStore(training)
    exercise = cal.start("pellow", trainer(training))
    learner = cal.join(exercise, "Someone")
    for item in cal_mod.items():  # finished: every score given
        cal.score(learner, item, 5)
    done = reset(training, trainer(training))
    assert done.kept == []
    with pytest.raises(NotFound):
        CalibrationStore(training).exercise(exercise.code)
    assert len(training.audits_for(trainer(training), include_demo=True)) == 6


# --- calibration ---------------------------------------------------------------------------------


@pytest.fixture
def cal(data_dir) -> CalibrationStore:
    return CalibrationStore(open_training_store())


def test_scores_are_saved_as_given_and_bad_input_changes_nothing(cal: CalibrationStore) -> None:
    exercise = cal.start("greenfield", trainer(cal.store))
    assert cal.exercise(exercise.code.lower()) == exercise
    ann = cal.join(exercise, "  Ann  ")
    assert cal.join(exercise, "Ann") == ann  # a refresh is the same learner
    cal.score(ann, "area_6", 5)
    cal.score(ann, "area_6", 6)
    for bad_item, bad_value in [("area_6", 11), ("area_6", "six"), ("nowhere", 3)]:
        with pytest.raises(InvalidAnswer):
            cal.score(ann, bad_item, bad_value)
    assert cal.scores(exercise, trainer(cal.store)) == {"Ann": {"area_6": 6}}
    cal.score(ann, "area_6", None)
    assert cal.scores(exercise, trainer(cal.store)) == {"Ann": {}}
    with pytest.raises(InvalidAnswer):
        cal.join(exercise, "   ")
    with pytest.raises(NotFound):
        cal.exercise("NOPE99")


def test_spread_beside_the_model_with_prompts_where_three_or_more_apart(cal) -> None:
    exercise = cal.start("greenfield", trainer(cal.store))
    for name, area_7, area_9 in [("A", 3, 4), ("B", 5, 5), ("C", 8, 6)]:
        learner = cal.join(exercise, name)
        cal.score(learner, "area_7", area_7)
        cal.score(learner, "area_9", area_9)
    scores = cal.scores(exercise, trainer(cal.store))
    results = {r.area_id: r for r in area_results(exercise.case, scores)}
    assert (results["area_7"].spread.minimum, results["area_7"].spread.median) == (3, 5)
    assert results["area_7"].spread.maximum == 8
    assert results["area_7"].model == 7
    assert results["area_7"].discuss
    assert not results["area_9"].discuss
    assert results["area_1"].spread is None
    assert not results["area_1"].discuss
    assert "3 to 8" in cal_mod.discussion_prompt(results["area_7"])


def test_the_export_is_formula_safe_and_ends_with_the_model(cal) -> None:
    exercise = cal.start("ashdown", trainer(cal.store))
    learner = cal.join(exercise, '=HYPERLINK("x")')
    cal.score(learner, "overall", 6)
    rows = list(
        csv.reader(
            io.StringIO(
                results_csv(exercise.case, cal.scores(exercise, trainer(cal.store))).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[1][0].startswith("'=")
    assert rows[1][-2:] == ["6", "Good"]
    assert rows[-1][0] == "Model audit"
    assert rows[-1][-1] == grade_for(6, _bands())


def _bands():
    from toolkit.forms.loader import load_grade_bands

    return load_grade_bands()


# --- glossary practice ----------------------------------------------------------------------------


@pytest.mark.skipif(not fidelity.SEEDS_DIR.is_dir(), reason="the seeds are not beside the clone")
def test_every_glossary_term_and_definition_stands_in_the_seed() -> None:
    from toolkit.training.flashcards import glossary

    g = glossary()
    cited = list(fidelity.cited_texts(g))
    assert len(g.terms) == 24
    assert len(cited) == 1 + 48
    problems = [f for _w, text, src in cited if (f := fidelity.problem(text, src, g.seed))]
    assert problems == []


def test_flashcards_flip_and_move_one_card_at_a_time() -> None:
    from toolkit.training.flashcards import Flashcards, deck

    assert [len(deck(d)) for d in ("glossary", "ears", "reflective_tool")] == [24, 4, 30]
    cards = Flashcards(deck("glossary"))
    assert cards.card.front == "Appreciative Inquiry"
    assert not cards.flipped
    cards.flip()
    assert cards.flipped
    cards.next()
    assert cards.card.front == "Bottom line"
    assert not cards.flipped
    cards.previous()
    cards.previous()
    assert cards.card.front == "Wellbeing Goal"  # wraps round
