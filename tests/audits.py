"""Helpers for tests that need completed audits (import with ``from audits import ...``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from toolkit.forms.loader import registry
from toolkit.permissions import Person
from toolkit.store import Store, schema

AUDIT_FORM = "collaborative_case_audit"


def new_audit(store: Store, auditor: Person, practitioner: Person, child_id: str = "LL-1"):  # noqa: ANN201
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
    action_id = store.add_action(audit.id, auditor, what=action, who="Team manager")
    store.update_action(action_id, auditor, due="2026-12-01")
    store.complete_audit(audit.id, auditor)
    if completed_on is not None:
        moment = dt.datetime.combine(completed_on, dt.time(12), tzinfo=dt.timezone.utc)
        with store.engine.begin() as conn:
            conn.execute(
                update(schema.audits)
                .where(schema.audits.c.id == audit.id)
                .values(completed_at=moment, created_at=moment)
            )
    return audit.id
