"""The audit's change log: every change is a new row, and a burst of typing is one entry when read.

The servers' database role may only insert into ``changes`` (``toolkit/store/roles.py``), so
the log is never rewritten: each save appends old → new. What people see is the log read back
with bursts collapsed — one person editing one field, each edit within
:data:`CHANGE_BURST_SECONDS` of the one before, with no other change to the audit in between,
is one entry from the first old value to the last new one — exactly what the history showed
when a burst was merged into one row as it was typed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, select

from toolkit.store import schema
from toolkit.store.times import as_utc

#: Edits of one field by one person within this many seconds are one entry in the change log.
CHANGE_BURST_SECONDS = 120


def append(
    conn: Connection,
    audit_id: int,
    field_key: str,
    old: str | None,
    new: str,
    changed_by: int,
    stamp: dt.datetime,
    reason: str | None = None,
) -> None:
    """One row, inserted; old and new are JSON text as stored in ``answers``."""
    conn.execute(
        insert(schema.changes).values(
            audit_id=audit_id,
            field_key=field_key,
            old_value=old,
            new_value=new,
            changed_by=changed_by,
            started_at=stamp,
            changed_at=stamp,
            reason=reason,
        )
    )


def read(conn: Connection, audit_id: int) -> list[dict[str, Any]]:
    """The audit's history, oldest first, with bursts collapsed (see the module docstring)."""
    c = schema.changes.c
    rows = conn.execute(select(schema.changes).where(c.audit_id == audit_id).order_by(c.id))
    return [
        {
            "field_key": e["field_key"],
            "old": json.loads(e["old_value"]) if e["old_value"] else None,
            "new": json.loads(e["new_value"]) if e["new_value"] else None,
            "changed_by": e["changed_by"],
            "changed_at": e["changed_at"],
            "reason": e["reason"],
        }
        for e in collapse_bursts(r._mapping for r in rows)
    ]


def collapse_bursts(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Rows of ``changes`` (oldest first) as entries: each row joins the entry before it when
    it continues that entry's burst. Values stay JSON text; times come back in UTC."""
    entries: list[dict[str, Any]] = []
    for row in rows:
        stamp = as_utc(row["changed_at"])
        last = entries[-1] if entries else None
        if last is not None and _continues(last, row, stamp):
            last["new_value"] = _merged(last["new_value"], row["new_value"])
            last["changed_at"] = stamp
            continue
        entries.append({**row, "started_at": as_utc(row["started_at"]), "changed_at": stamp})
    return entries


def _continues(entry: dict[str, Any], row: Any, stamp: dt.datetime) -> bool:
    return (
        row["reason"] is None
        and entry["reason"] is None
        and row["field_key"] == entry["field_key"]
        and row["changed_by"] == entry["changed_by"]
        and (stamp - entry["changed_at"]).total_seconds() < CHANGE_BURST_SECONDS
    )


def _merged(earlier: str | None, later: str) -> str:
    """Within one burst, an action's later fields are added to its earlier ones (not lost)."""
    before, after = json.loads(earlier) if earlier else None, json.loads(later)
    if isinstance(before, dict) and isinstance(after, dict):
        return json.dumps({**before, **after})
    return later


__all__ = ["CHANGE_BURST_SECONDS", "append", "collapse_bursts", "read"]
