"""Escalation rows: opened when an audit completes Inadequate, then notified once; and the
notification rows that record who was told, how, or why not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Table, insert, select

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


@dataclass(frozen=True)
class ToNotify:
    """What telling people of an escalation needs: its audit and moment, whether anyone was
    told already and, when not, how many of the audit's actions are not cancelled."""

    audit_id: int
    created_at: dt.datetime
    notified: bool
    live_actions: int


def to_notify(engine: Engine, escalation_id: int) -> ToNotify:
    """The escalation as :func:`toolkit.audit.escalation.notify` needs it (one connection);
    SQLAlchemy's ``NoResultFound`` when there is no such escalation."""
    e, n, c = schema.escalations.c, schema.notifications.c, schema.actions.c
    with engine.connect() as conn:
        escalation = conn.execute(select(schema.escalations).where(e.id == escalation_id)).one()
        if conn.execute(select(n.id).where(n.escalation_id == escalation_id)).first():
            return ToNotify(escalation.audit_id, escalation.created_at, True, 0)
        live_actions = conn.execute(
            select(c.id).where(c.audit_id == escalation.audit_id, c.status != "cancelled")
        ).all()
    return ToNotify(escalation.audit_id, escalation.created_at, False, len(live_actions))


def add_notifications(work: UnitOfWork, rows: list[dict[str, Any]]) -> None:
    """One notification row per addressee, each stamped with the unit of work's moment."""
    work.conn.execute(
        insert(schema.notifications), [{**row, "created_at": work.stamp} for row in rows]
    )


def _rows(
    engine: Engine, table: Table, audit_id: int, newest_first: bool = False
) -> list[dict[str, Any]]:
    order = table.c.id.desc() if newest_first else table.c.id
    with engine.connect() as conn:
        rows = conn.execute(select(table).where(table.c.audit_id == audit_id).order_by(order))
        return [dict(r._mapping) for r in rows.all()]


def notification_rows(engine: Engine, audit_id: int) -> list[dict[str, Any]]:
    """The audit's notifications, oldest first."""
    return _rows(engine, schema.notifications, audit_id)


def escalation_rows(engine: Engine, audit_id: int) -> list[dict[str, Any]]:
    """The audit's escalations, newest first."""
    return _rows(engine, schema.escalations, audit_id, newest_first=True)
