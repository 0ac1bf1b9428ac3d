"""The states of an audit, and what is missing before it can be completed."""

from __future__ import annotations

import pytest

from toolkit.core.lifecycle import (
    OVERALL_RATING,
    OVERALL_RATIONALE,
    PREPARATION_SECTION,
    STATES,
    completion_problems,
    state_after_answer,
)
from toolkit.forms.loader import registry

AREA = ("areas_of_practice", "area_6.collaborative_scale")
HEALTH_CHECK = ("case_file_health_check", "area_1.auditor_rating")
PREPARATION = (PREPARATION_SECTION, "self_assessment_difference.scale")
OUTCOME = "audit_outcome"


def test_the_keys_lifecycle_relies_on_are_on_the_form() -> None:
    form = registry().latest("collaborative_case_audit")
    assert form.field(OVERALL_RATING)[0].id == OUTCOME
    assert form.field(OVERALL_RATIONALE)[0].id == OUTCOME
    assert form.section(PREPARATION_SECTION).editable_by == "practitioner"


def test_the_states_in_order() -> None:
    assert STATES == (
        "allocated",
        "practitioner_preparation",
        "collaborative_audit",
        "graded",
        "complete",
    )


# --- state_after_answer ------------------------------------------------------------------------


def test_the_practitioners_first_answer_starts_preparation() -> None:
    assert state_after_answer("allocated", *PREPARATION, 7) == "practitioner_preparation"
    assert (
        state_after_answer("practitioner_preparation", *PREPARATION, 8)
        == "practitioner_preparation"
    )


@pytest.mark.parametrize(
    "where", [AREA, HEALTH_CHECK, ("case_demographics", "audit_dates.audit_commenced")]
)
@pytest.mark.parametrize("state", ["allocated", "practitioner_preparation"])
def test_the_auditors_first_answer_starts_the_collaborative_audit(
    state: str, where: tuple[str, str]
) -> None:
    assert state_after_answer(state, *where, "x") == "collaborative_audit"


@pytest.mark.parametrize("state", ["collaborative_audit", "graded"])
def test_preparation_answered_late_never_moves_an_audit_back(state: str) -> None:
    assert state_after_answer(state, *PREPARATION, 5) == state


def test_an_area_answered_after_grading_keeps_the_grade() -> None:
    assert state_after_answer("graded", *AREA, 3) == "graded"


@pytest.mark.parametrize(
    "state", ["allocated", "practitioner_preparation", "collaborative_audit", "graded"]
)
@pytest.mark.parametrize("rating", [0, 6, 10])
def test_an_overall_rating_grades_the_audit(state: str, rating: int) -> None:
    assert state_after_answer(state, OUTCOME, OVERALL_RATING, rating) == "graded"


def test_clearing_the_overall_rating_ungrades() -> None:
    assert state_after_answer("graded", OUTCOME, OVERALL_RATING, None) == "collaborative_audit"
    # clearing a rating that was never given changes nothing
    assert state_after_answer("allocated", OUTCOME, OVERALL_RATING, None) == "allocated"
    assert (
        state_after_answer("collaborative_audit", OUTCOME, OVERALL_RATING, None)
        == "collaborative_audit"
    )


@pytest.mark.parametrize(
    ("section_id", "key", "value"),
    [
        (*PREPARATION, 1),
        (*AREA, 2),
        (OUTCOME, OVERALL_RATING, None),
        (OUTCOME, OVERALL_RATING, 9),
    ],
)
def test_a_complete_audit_stays_complete(section_id: str, key: str, value: object) -> None:
    assert state_after_answer("complete", section_id, key, value) == "complete"


# --- completion_problems -------------------------------------------------------------------------

ACTION = {"what": "Share the safety plan with the school", "who": "Pat", "due": "2026-12-01"}
READY = {OVERALL_RATING: 6, OVERALL_RATIONALE: "The family can say what the plan is for."}


def test_nothing_missing_when_rated_explained_and_actioned() -> None:
    assert completion_problems(READY, [ACTION]) == []


def test_a_rating_of_zero_counts_as_given() -> None:
    assert completion_problems({**READY, OVERALL_RATING: 0}, [ACTION]) == []


def test_everything_missing_is_listed_once_each() -> None:
    problems = completion_problems({}, [])
    assert len(problems) == 3
    assert any("overall rating" in p for p in problems)
    assert any("rationale" in p for p in problems)
    assert any("action" in p.lower() for p in problems)


@pytest.mark.parametrize("rationale", [None, "", "   \n\t"])
def test_a_blank_rationale_is_missing(rationale: object) -> None:
    (problem,) = completion_problems({**READY, OVERALL_RATIONALE: rationale}, [ACTION])
    assert "rationale" in problem


def test_a_cleared_rating_is_missing() -> None:
    (problem,) = completion_problems({**READY, OVERALL_RATING: None}, [ACTION])
    assert "overall rating" in problem


@pytest.mark.parametrize(
    "actions", [[], [{"what": "", "who": "Pat"}], [{"what": "  ", "who": "Pat"}], [{"who": "Pat"}]]
)
def test_an_action_needs_saying_what_is_to_be_done(actions: list[dict]) -> None:
    (problem,) = completion_problems(READY, actions)
    assert "even when the audit is Good" in problem


def test_one_real_action_among_blank_ones_is_enough() -> None:
    assert completion_problems(READY, [{"what": ""}, ACTION]) == []
