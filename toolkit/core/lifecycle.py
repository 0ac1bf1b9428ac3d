"""The states of an audit and the moves between them.

allocated → practitioner preparation → collaborative audit → graded → complete. An answer moves
an audit forward (the practitioner's first answer starts preparation; the auditor's first answer
starts the collaborative audit; the overall rating grades it); completing is a deliberate act
that needs the overall rating, its rationale and at least one action — below Good, an action
marked as an immediate action to improve to 'Good' (the form cites the source's rule) — and
that answers or deliberately skips, with a reason, every item of :func:`unanswered`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.core.profiles import audit_grade_bands
from toolkit.forms.models import Cited, FieldKind, Form

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
#: the grade an audit below which needs an immediate action (a grade band's name)
GOOD = "Good"
#: the section whose groups are the feedback from the child, the family and the network
FEEDBACK_SECTION = "feedback"


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
    answers: Mapping[str, Any], actions: Iterable[Mapping[str, Any]], form: Form | None = None
) -> list[str]:
    """What is still missing before the audit can be completed (empty when it can). With the
    audit's ``form``, below Good an action must be marked immediate (the form's rule)."""
    problems = []
    if answers.get(OVERALL_RATING) is None:
        problems.append("Give the overall rating of the case audit.")
    if not str(answers.get(OVERALL_RATIONALE) or "").strip():
        problems.append("Write the signs of impact behind the overall rating (its rationale).")
    actions = [a for a in actions if str(a.get("what") or "").strip()]
    if not actions:
        problems.append(
            "Record at least one action: actions are always recorded, even when the audit is Good."
        )
    rule = immediate_action_rule(form) if form is not None else None
    below = rule is not None and below_good(answers.get(OVERALL_RATING))
    if rule is not None and below and not any(a.get("immediate") for a in actions):
        problems.append(
            "Below Good, mark at least one action as an immediate action to reach Good: "
            f"“{rule.text}” ({rule.source.label(form.seed if form else None)})."
        )
    return problems


def below_good(rating: int | None) -> bool:
    """The rating falls in a band below Good (False with no rating, or where the authority's
    profile sets no grades or no Good band)."""
    bands = audit_grade_bands()
    good = next((b for b in bands.bands if b.grade == GOOD), None) if bands else None
    return rating is not None and good is not None and rating < good.min


def _actions_field(form: Form) -> Any:
    return next((f for _s, _g, f in form.fields().values() if f.kind is FieldKind.actions), None)


def immediate_action_rule(form: Form) -> Cited | None:
    """The source's words that actions below Good include an immediate one (from the form)."""
    field = _actions_field(form)
    return field.immediate_action if field is not None else None


def inadequate_action(form: Form) -> tuple[Cited, str] | None:
    """Where the work is inadequate: the source's words asking for an action, and the toolkit's
    own words for the action it proposes (None when the form has none)."""
    field = _actions_field(form)
    if field is None or field.inadequate_action is None or not field.inadequate_action_what:
        return None
    return field.inadequate_action, field.inadequate_action_what


@dataclass(frozen=True)
class Unanswered:
    """An item of the completion checklist still unanswered: answered, or skipped with a
    reason, before the audit completes. ``item`` is its stable key ("area:area_7")."""

    item: str
    label: str


def unanswered(form: Form, answers: Mapping[str, Any]) -> list[Unanswered]:
    """The areas not yet scaled and the feedback (child, family, network) with nothing recorded.
    The toolkit's own checklist of what the source asks for, not a quotation."""
    found = []
    fields = form.fields()
    for key in form.scale_keys("area_scale"):
        if answers.get(key) is None:
            _section, group, _field = fields[key]
            number = f"Area {group.number}" if group.number else group.title
            found.append(Unanswered(f"area:{group.id}", f"{number} not scaled: {group.title}"))
    try:
        feedback = form.section(FEEDBACK_SECTION).groups
    except KeyError:
        feedback = []
    for group in feedback:
        keys = [f"{group.id}.{f.id}" for f in group.fields]
        if not any(_given(answers.get(k)) for k in keys):
            found.append(Unanswered(f"feedback:{group.id}", f"Nothing recorded: {group.title}"))
    return found


def _given(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def not_skipped(
    form: Form, answers: Mapping[str, Any], skipped: Mapping[str, str]
) -> list[Unanswered]:
    """The unanswered items with no reason given for skipping them."""
    return [u for u in unanswered(form, answers) if not str(skipped.get(u.item) or "").strip()]
