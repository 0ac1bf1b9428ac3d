"""Escalation rows: opened when an audit completes Inadequate, then notified once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, insert, select

import toolkit.store.schema as schema
from toolkit.core.permissions import Person
from toolkit.store.unit_of_work import UnitOfWork


def open_escalation(
    work: UnitOfWork, audit_id: int, reason: str, person: Person, tasks_due_at: dt.datetime
) -> None:
    work.conn.execute(
        insert(schema.escalations).values(
            audit_id=audit_id,
            reason=reason,
            created_at=work.stamp,
            created_by=person.id,
            tasks_due_at=tasks_due_at,
            state="open",
        )
    )


def unnotified(engine: Engine, audit_id: int) -> list[int]:
    """The audit's escalations nobody has been told of yet."""
    e, n = schema.escalations.c, schema.notifications.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(e.id)
            .outerjoin(schema.notifications, n.escalation_id == e.id)
            .where(e.audit_id == audit_id, n.id.is_(None))
            .order_by(e.id)
        ).all()
    return [r.id for r in rows]
