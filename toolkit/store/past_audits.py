"""Reads over every audit so far: the ids an administrator's export walks, and each child's
past audits for allocation's duplicate and 12-month checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select

import toolkit.store.schema as schema


@dataclass(frozen=True)
class PastAudit:
    id: int
    state: str
    created_at: dt.datetime
    completed_at: dt.datetime | None


def all_audit_ids(engine: Engine) -> list[int]:
    """Every audit's id, demonstrations included (the caller leaves out what it must)."""
    with engine.connect() as conn:
        return list(conn.execute(select(schema.audits.c.id)).scalars())


def past_audits_by_child(engine: Engine) -> dict[str, list[PastAudit]]:
    """Every audit so far by child's ID (upper case)."""
    a = schema.audits.c
    found: dict[str, list[PastAudit]] = {}
    with engine.connect() as conn:
        for r in conn.execute(select(a.id, a.child_id, a.state, a.created_at, a.completed_at)):
            found.setdefault(r.child_id.upper(), []).append(
                PastAudit(r.id, r.state, r.created_at, r.completed_at)
            )
    return found
