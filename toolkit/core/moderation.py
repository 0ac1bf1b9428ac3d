"""Moderation as pure functions: which audits are moderated, by whom, and what both grades say.

Bexley's moderators re-audit audits from a list of the last 6 months' (seed 002 L734–735); the
framework does not say which. Which ones is the toolkit's rule (``moderation_sample`` in
``forms/toolkit_decisions.yaml``): every Inadequate one, plus a share chosen at random,
reproducible from a seed so the quality assurance team can show how a sample was drawn. Nothing
here touches the store.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.core.errors import InvalidAnswer

INADEQUATE = "Inadequate"
LOOK_BACK_MONTHS = 6
ACTIONS_COMPLETED = ("yes", "partly", "no")
OVERALL_RATING = "overall.overall_rating"

#: the moderation form's keys (forms/moderation.yaml) → columns of the ``moderations`` table
FORM_COLUMNS = {
    "feedback.good_practice": "good_practice",
    "feedback.development": "development",
    "audit_actions.actions_completed": "actions_completed",
    "agreement.agrees": "agrees",
    "agreement.agreed_grade": "agreed_grade",
}


@dataclass(frozen=True)
class Candidate:
    """A completed audit that could be moderated."""

    audit_id: int
    auditor_id: int
    practitioner_id: int
    completed_on: dt.date
    grade: str | None


@dataclass(frozen=True)
class Selected:
    audit_id: int
    auditor_id: int
    practitioner_id: int
    selection: str  # "inadequate" | "random"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def select_for_moderation(
    audits: Iterable[Candidate],
    today: dt.date,
    share: float,
    seed: int,
    months: int = LOOK_BACK_MONTHS,
) -> list[Selected]:
    """Every Inadequate audit completed in the last ``months``, plus ``share`` (0–1, rounded up)
    of the others drawn at random. The same audits, today, share and seed give the same sample
    whatever order the audits come in."""
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        raise InvalidAnswer(f"The random share is a fraction from 0 to 1, not {share!r}.")
    start = months_before(today, months)
    recent = sorted(
        (a for a in audits if start < a.completed_on <= today), key=lambda a: a.audit_id
    )
    inadequate = [a for a in recent if a.grade == INADEQUATE]
    others = [a for a in recent if a.grade != INADEQUATE]
    drawn = random.Random(seed).sample(others, k=math.ceil(share * len(others)))
    chosen = [(a, "inadequate") for a in inadequate] + [(a, "random") for a in drawn]
    return [
        Selected(a.audit_id, a.auditor_id, a.practitioner_id, how)
        for a, how in sorted(chosen, key=lambda pair: pair[0].audit_id)
    ]


def allocate(selected: Sequence[Selected], moderator_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(audit id, moderator id) pairs, taking moderators in turn and never giving an audit to its
    own auditor or practitioner."""
    if selected and not moderator_ids:
        raise InvalidAnswer("There is nobody with the moderator role to allocate moderations to.")
    pairs, turn = [], 0
    for audit in selected:
        for step in range(len(moderator_ids)):
            candidate = moderator_ids[(turn + step) % len(moderator_ids)]
            if candidate not in (audit.auditor_id, audit.practitioner_id):
                pairs.append((audit.audit_id, candidate))
                turn = (turn + step + 1) % len(moderator_ids)
                break
        else:
            raise InvalidAnswer(
                f"Audit {audit.audit_id} has no moderator who is not its own auditor or "
                "practitioner; add another moderator."
            )
    return pairs


@dataclass(frozen=True)
class BothGrades:
    """The auditor's grade beside the moderation's: a moderated audit always shows both."""

    auditor: str | None
    moderator: str | None = None  # from the moderator's own overall rating
    agrees: bool | None = None
    agreed: str | None = None  # agreed with the auditor when the moderator disagreed
    moderated: bool = False

    @property
    def final(self) -> str | None:
        """The grade the audit stands at after moderation."""
        if not self.moderated:
            return self.auditor
        return self.auditor if self.agrees else self.agreed

    def describe(self) -> str:
        if not self.moderated:
            return f"Auditor’s grade: {self.auditor or 'not graded'}"
        own = f" (moderator’s own grade: {self.moderator})" if self.moderator else ""
        if self.agrees:
            return f"Auditor’s grade: {self.auditor} · Moderation agreed{own}"
        return (
            f"Auditor’s grade: {self.auditor} · Moderation disagreed{own} · "
            f"Grade agreed with the auditor: {self.agreed or 'not yet recorded'}"
        )


def completion_problems(values: Mapping[str, Any], scale_keys: Iterable[str]) -> list[str]:
    """What a moderation still needs before it can be completed (empty when it can)."""
    problems = []
    if values.get(OVERALL_RATING) is None:
        problems.append("Give your own overall rating: moderation includes scaling.")
    unscaled = [k for k in scale_keys if k != OVERALL_RATING and values.get(k) is None]
    if unscaled:
        problems.append(f"Scale every area ({len(unscaled)} not yet scaled).")
    for key, what in (
        ("feedback.good_practice", "areas of good practice"),
        ("feedback.development", "areas for development"),
    ):
        if not str(values.get(key) or "").strip():
            problems.append(f"Write the {what}.")
    if values.get("audit_actions.actions_completed") is None:
        problems.append("Say whether the audit’s actions were completed.")
    if values.get("agreement.agrees") is None:
        problems.append("Record agreement or disagreement with the audit.")
    elif values.get("agreement.agrees") == "Disagree" and not values.get("agreement.agreed_grade"):
        problems.append("Record the grade agreed with the auditor.")
    return problems
