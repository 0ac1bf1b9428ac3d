"""After the audit meeting: the follow-up, escalation of Inadequate audits, and the queues.

:func:`complete_audit` is the one way to complete an audit. In one transaction it marks the
audit complete (``Store.mark_complete``) and records what follows: the follow-up is due on the
5th working day after completion, and an audit whose overall rating falls in the Inadequate band
gets an escalation with tasks due 24 hours later.
It then tells the people an escalation goes to (email or ready to copy).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toolkit import mail
from toolkit.audit import escalation
from toolkit.core import lifecycle
from toolkit.core.local_time import local_time
from toolkit.core.permissions import AuditRecord, Person, check_follow_up
from toolkit.core.profiles import audit_grade
from toolkit.core.text import check_text
from toolkit.core.working_days import follow_up_due
from toolkit.forms.models import Cited
from toolkit.store import InvalidAnswer, NotFound, Store
from toolkit.store.escalations import open_escalation, unnotified
from toolkit.store.follow_ups import add_follow_up, close_follow_up, follow_up_in
from toolkit.store.follow_ups import follow_up as follow_up_row
from toolkit.store.queues import follow_ups_not_done, open_actions_due_by
from toolkit.store.unit_of_work import UnitOfWork

INADEQUATE = "Inadequate"
#: Actions due within this many days (or overdue) are in the "Actions due" queue.
ACTIONS_DUE_WITHIN_DAYS = 14
_FROM_ENV = object()


def is_inadequate(values: dict[str, Any]) -> bool:
    rating = values.get(lifecycle.OVERALL_RATING)
    return audit_grade(rating) == INADEQUATE


def record_completion(
    work: UnitOfWork, audit_id: int, values: dict[str, Any], person: Person
) -> None:
    """Inside the completing unit of work: the follow-up, and an escalation when Inadequate."""
    add_follow_up(work, audit_id, follow_up_due(local_time(work.stamp).date()))
    if is_inadequate(values):
        open_escalation(
            work, audit_id, "inadequate_audit", person, work.stamp + escalation.TASKS_WITHIN
        )


def complete_audit(
    store: Store,
    audit_id: int,
    person: Person,
    smtp: Any = _FROM_ENV,
    skipped: Mapping[str, str] | None = None,
) -> AuditRecord:
    """The one way to complete an audit: mark it complete with its follow-up and any escalation
    in one transaction, then notify each escalation not yet notified. ``smtp``: settings, or
    None for ready-to-copy messages only (default: from the environment). ``skipped``: for
    each item of :func:`checklist` not answered, the reason it was deliberately skipped (saved
    with the completion). Refused, with nothing changed, while anything is missing — below
    Good, an action marked immediate. Completing an audit already complete changes nothing."""
    with store.unit_of_work() as work:
        values = store.mark_complete(work, audit_id, person, skipped)
        if values is not None:
            record_completion(work, audit_id, values, person)
    settings = mail.SmtpSettings.from_env() if smtp is _FROM_ENV else smtp
    for escalation_id in unnotified(store.engine, audit_id):
        escalation.notify(store, escalation_id, settings)
    return store.audit(audit_id)


@dataclass(frozen=True)
class Checklist:
    """What the confirmation before completing shows: what still stops completion, what is
    unanswered (each to answer or skip with a reason) and, where Inadequate, the action the
    source asks for if no action proposes it yet."""

    problems: list[str]
    unanswered: list[lifecycle.Unanswered]
    proposed_action: tuple[Cited, str] | None
    inadequate: bool
    seed: str  # the seed the form's source lines are in


def checklist(store: Store, audit_id: int) -> Checklist:
    audit = store.audit(audit_id)
    form = store.form_of(audit)
    values = store.answer_values(audit_id)
    live = [a for a in store.actions(audit_id) if a["status"] != "cancelled"]
    inadequate = is_inadequate(values)
    proposed = lifecycle.inadequate_action(form) if inadequate else None
    if proposed is not None and any(a["what"].strip() == proposed[1] for a in live):
        proposed = None
    return Checklist(
        lifecycle.completion_problems(values, live, form),
        lifecycle.unanswered(form, values),
        proposed,
        inadequate,
        form.seed,
    )


def add_proposed_action(store: Store, audit_id: int, person: Person) -> int:
    """Where the audit is Inadequate, record the practice observation the source asks for as
    an immediate action (the auditor sets who and when)."""
    audit = store.audit(audit_id)
    proposed = lifecycle.inadequate_action(store.form_of(audit))
    if proposed is None or not is_inadequate(store.answer_values(audit_id)):
        raise InvalidAnswer(
            "A practice observation is proposed only where the audit is Inadequate."
        )
    return store.add_action(audit_id, person, what=proposed[1], immediate=True)


def skipped_items(store: Store, audit_id: int) -> list[dict[str, Any]]:
    """What was deliberately left unanswered at completion, and why."""
    return store.completion_skips(audit_id)


# --- follow-up ------------------------------------------------------------------------------------


def follow_up(store: Store, audit_id: int) -> dict[str, Any] | None:
    return follow_up_row(store.engine, audit_id)


def record_follow_up(store: Store, audit_id: int, person: Person, note: str) -> dict[str, Any]:
    """The auditor records what has been done since the audit; that closes the follow-up."""
    note = (note or "").strip()
    if not note:
        raise InvalidAnswer(
            "Write what has been done since the audit before closing the follow-up."
        )
    note = check_text(note, label="The follow-up note", max_length=5000)
    with store.unit_of_work() as work:
        audit = work.audit(audit_id)
        check_follow_up(person, audit)
        row = follow_up_in(work, audit_id)
        if row is None:
            raise NotFound(f"Audit {audit_id} has no follow-up: it is not complete yet.")
        if row.done_at is not None:
            raise InvalidAnswer(f"The follow-up of audit {audit_id} was already recorded.")
        close_follow_up(work, row.id, person.id, note)
        work.log_change(audit_id, "follow_up", None, json.dumps(note), person)
    return follow_up(store, audit_id) or {}


# --- queues ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpDue:
    audit_id: int
    child_id: str
    due: dt.date
    overdue: bool
    grade: str | None = None  # the audit's grade, said in the queue (Inadequate marked)


@dataclass(frozen=True)
class ActionDue:
    action_id: int
    audit_id: int
    child_id: str
    what: str
    who: str
    due: dt.date
    overdue: bool


def grade_of(store: Store, audit_id: int) -> str | None:
    """The audit's grade from its overall rating, once given (shown in every list of audits,
    Inadequate marked)."""
    return audit_grade(store.answer_values(audit_id).get(lifecycle.OVERALL_RATING))


def follow_ups_due(store: Store, person: Person, today: dt.date) -> list[FollowUpDue]:
    """My follow-ups not yet recorded, soonest first (I am the auditor)."""
    rows = follow_ups_not_done(store.engine, person.id)
    return [
        FollowUpDue(
            r.audit_id,
            r.child_id,
            r.due_date,
            r.due_date < today,
            grade_of(store, r.audit_id),
        )
        for r in rows
    ]


def actions_due(
    store: Store, person: Person, today: dt.date, within_days: int = ACTIONS_DUE_WITHIN_DAYS
) -> list[ActionDue]:
    """Open actions of my audits (auditor or practitioner) due soon or overdue, soonest first."""
    rows = open_actions_due_by(store.engine, person.id, today + dt.timedelta(days=within_days))
    return [
        ActionDue(r.id, r.audit_id, r.child_id, r.what, r.who, r.due, r.due < today) for r in rows
    ]
