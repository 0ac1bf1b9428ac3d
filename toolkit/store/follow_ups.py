"""The follow-up rows an audit's completion writes: when the auditor checks back, and what they
recorded when they did."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select, update

import toolkit.store.schema as schema
from toolkit.store.unit_of_work import UnitOfWork


def add_follow_up(work: UnitOfWork, audit_id: int, due: dt.date) -> None:
    work.conn.execute(insert(schema.follow_ups).values(audit_id=audit_id, due_date=due))


def _follow_up_row(conn: Connection, audit_id: int) -> Row[Any] | None:
    f = schema.follow_ups.c
    return conn.execute(select(schema.follow_ups).where(f.audit_id == audit_id)).first()


def follow_up(engine: Engine, audit_id: int) -> dict[str, Any] | None:
    """The audit's follow-up row, or None before it is complete."""
    with engine.connect() as conn:
        row = _follow_up_row(conn, audit_id)
    return dict(row._mapping) if row else None


def follow_up_in(work: UnitOfWork, audit_id: int) -> Row[Any] | None:
    """The audit's follow-up row as the unit of work sees it (``id``, ``done_at``, …)."""
    return _follow_up_row(work.conn, audit_id)


def close_follow_up(work: UnitOfWork, follow_up_id: int, person_id: int, note: str) -> None:
    """Record the note as done by ``person_id`` at the unit of work's moment."""
    f = schema.follow_ups.c
    work.conn.execute(
        update(schema.follow_ups)
        .where(f.id == follow_up_id)
        .values(done_at=work.stamp, done_by=person_id, note=note)
    )
