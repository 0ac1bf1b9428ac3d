"""Helpers for tests that need completed audits
(import with ``from tests.support.audits import ...``)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import update

from toolkit.audit.completion import checklist, complete_audit
from toolkit.core.lifecycle import below_good
from toolkit.core.permissions import Person
from toolkit.forms.loader import registry
from toolkit.store import Store, schema

AUDIT_FORM = "collaborative_case_audit"


def new_audit(store: Store, auditor: Person, practitioner: Person, child_id: str = "LL-1"):
    """A new audit of the current form, created by its auditor."""
    return store.create_audit(
        registry().latest(AUDIT_FORM),
        child_id=child_id,
        auditor=auditor,
        practitioner=practitioner,
        created_by=auditor,
    )


def completed_audit(
    store: Store,
    auditor: Person,
    practitioner: Person,
    rating: int,
    child_id: str = "LL-1",
    completed_on: dt.date | None = None,
    rationale: str = "Plan understood by the family.",
    action: str = "Share the plan with the school",
) -> int:
    """A completed audit graded ``rating``, completed on ``completed_on`` (default today)."""
    audit = new_audit(store, auditor, practitioner, child_id)
    store.save_answer(audit.id, "overall.overall_rating", rating, auditor)
    store.save_answer(audit.id, "overall.signs_of_impact", rationale, auditor)
    action_id = store.add_action(
        audit.id, auditor, what=action, who="Team manager", immediate=below_good(rating)
    )
    store.update_action(action_id, auditor, due="2026-12-01")
    complete_audit(store, audit.id, auditor, smtp=None, skipped=skip_all(store, audit.id))
    if completed_on is not None:
        moment = dt.datetime.combine(completed_on, dt.time(12), tzinfo=dt.timezone.utc)
        with store.engine.begin() as conn:
            conn.execute(
                update(schema.audits)
                .where(schema.audits.c.id == audit.id)
                .values(completed_at=moment, created_at=moment)
            )
    return audit.id


def skip_all(store: Store, audit_id: int, reason: str = "Not sought for this test.") -> dict:
    """A reason for every item of the completion checklist still unanswered."""
    return {u.item: reason for u in checklist(store, audit_id).unanswered}


def insert_audits(store: Store, auditor: Person, rows: list[tuple]) -> None:
    """Audits written straight into the tables (for reports over hand-made periods), numbered
    from 1. Each row: (practitioner, completed on or None, created on or None, child's ID,
    demo, overall rating or None, area 1 rating or None); the team is the practitioner's."""
    from toolkit.store.bulk_rows import bulk_insert

    audits, answers = [], []
    for i, (worker, done, created, child, demo, overall, area) in enumerate(rows, start=1):
        made = dt.datetime.combine(created or done, dt.time(9), dt.timezone.utc)
        finished = dt.datetime.combine(done, dt.time(15), dt.timezone.utc) if done else None
        audits.append(
            {
                "id": i,
                "form_id": AUDIT_FORM,
                "form_version": 1,
                "child_id": child,
                "auditor_id": auditor.id,
                "practitioner_id": worker.id,
                "state": "complete" if done else "allocated",
                "team": worker.team,
                "service": worker.service,
                "demo": demo,
                "created_at": made,
                "updated_at": made,
                "completed_at": finished,
            }
        )
        for key, value in (("overall.overall_rating", overall), ("area_1.auditor_rating", area)):
            if value is not None:
                answers.append(
                    {
                        "audit_id": i,
                        "field_key": key,
                        "value": json.dumps(value),
                        "revision": 1,
                        "updated_by": auditor.id,
                        "updated_at": made,
                    }
                )
    with store.engine.begin() as conn:
        bulk_insert(conn, schema.audits, audits)
        bulk_insert(conn, schema.answers, answers)
