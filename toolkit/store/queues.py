"""What is waiting for someone: follow-ups not yet recorded and open actions due soon."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, and_, or_, select

import toolkit.store.schema as schema

if TYPE_CHECKING:  # SQLAlchemy 2.1's Row takes a variadic tuple (2.0's, run on Python 3.10, not)
    from sqlalchemy import Row
    from typing_extensions import Unpack

    #: a row of any columns, read by name (``r.audit_id``)
    AnyRow = Row[Unpack[tuple[Any, ...]]]


def follow_ups_not_done(engine: Engine, auditor_id: int) -> list[AnyRow]:
    """(audit_id, child_id, due_date) of the auditor's follow-ups not recorded, soonest first."""
    f, a = schema.follow_ups.c, schema.audits.c
    query = (
        select(f.audit_id, a.child_id, f.due_date)
        .join(schema.audits, a.id == f.audit_id)
        .where(a.auditor_id == auditor_id, f.done_at.is_(None))
        .order_by(f.due_date, f.audit_id)
    )
    with engine.connect() as conn:
        return list(conn.execute(query).all())


def open_actions_due_by(engine: Engine, person_id: int, horizon: dt.date) -> list[AnyRow]:
    """(id, audit_id, child_id, what, who, due) of open actions due by ``horizon`` in audits
    where the person is the auditor, practitioner or Staying Together worker; soonest first."""
    c, a = schema.actions.c, schema.audits.c
    query = (
        select(c.id, c.audit_id, a.child_id, c.what, c.who, c.due)
        .join(schema.audits, a.id == c.audit_id)
        .where(
            c.status == "open",
            and_(c.due.is_not(None), c.due <= horizon),
            or_(
                a.auditor_id == person_id,
                a.practitioner_id == person_id,
                a.staying_together_id == person_id,
            ),
        )
        .order_by(c.due, c.id)
    )
    with engine.connect() as conn:
        return list(conn.execute(query).all())
