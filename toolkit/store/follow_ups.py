"""The follow-up rows an audit's completion writes: when the auditor checks back."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert

import toolkit.store.schema as schema
from toolkit.store.unit_of_work import UnitOfWork


def add_follow_up(work: UnitOfWork, audit_id: int, due: dt.date) -> None:
    work.conn.execute(insert(schema.follow_ups).values(audit_id=audit_id, due_date=due))
