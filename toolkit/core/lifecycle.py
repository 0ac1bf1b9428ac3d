"""The states of an audit and the moves between them.

allocated → practitioner preparation → collaborative audit → graded → complete. An answer moves
an audit forward (the practitioner's first answer starts preparation; the auditor's first answer
starts the collaborative audit; the overall rating grades it); completing is a deliberate act
that needs the overall rating, its rationale and at least one action.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

STATES = ("allocated", "practitioner_preparation", "collaborative_audit", "graded", "complete")
STATE_LABELS = {
    "allocated": "Allocated",
    "practitioner_preparation": "Practitioner preparation",
    "collaborative_audit": "Collaborative audit",
    "graded": "Graded",
    "complete": "Complete",
}
PREPARATION_SECTION = "practitioner_preparation"
OVERALL_RATING = "overall.overall_rating"
OVERALL_RATIONALE = "overall.signs_of_impact"


def rank(state: str) -> int:
    return STATES.index(state)


def state_after_answer(state: str, section_id: str, key: str, value: Any) -> str:
    """The state an audit is in once this answer is saved (never moves backwards but for
    an overall rating that is cleared)."""
    if state == "complete":
        return state
    if key == OVERALL_RATING:
        if value is None:
            return "collaborative_audit" if state == "graded" else state
        return "graded"
    if section_id == PREPARATION_SECTION:
        return "practitioner_preparation" if state == "allocated" else state
    if rank(state) < rank("collaborative_audit"):
        return "collaborative_audit"
    return state


def completion_problems(
    answers: Mapping[str, Any], actions: Iterable[Mapping[str, Any]]
) -> list[str]:
    """What is still missing before the audit can be completed (empty when it can)."""
    problems = []
    if answers.get(OVERALL_RATING) is None:
        problems.append("Give the overall rating of the case audit.")
    if not str(answers.get(OVERALL_RATIONALE) or "").strip():
        problems.append("Write the signs of impact behind the overall rating (its rationale).")
    if not any(str(a.get("what") or "").strip() for a in actions):
        problems.append(
            "Record at least one action: actions are always recorded, even when the audit is Good."
        )
    return problems
