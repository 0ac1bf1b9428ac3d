"""The audit's change log: every change is a new row, and a burst of typing is one entry when read.

The servers' database role may only insert into ``changes`` (``toolkit/store/roles.py``), so
the log is never rewritten: each save appends old → new. What people see is the log read back
with bursts collapsed — one person editing one field, each edit within
:data:`CHANGE_BURST_SECONDS` of the one before, with no other person's change to that field in
between, is one entry from the first old value to the last new one — exactly what the history showed
when a burst was merged into one row as it was typed.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, Select, and_, case, extract, func, or_, select

import toolkit.store.schema as schema
from toolkit.store.statements import insert_into
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
        insert_into(schema.changes),
        {
            "audit_id": audit_id,
            "field_key": field_key,
            "old_value": old,
            "new_value": new,
            "changed_by": changed_by,
            "started_at": stamp,
            "changed_at": stamp,
            "reason": reason,
        },
    )


def read(conn: Connection, audit_id: int) -> list[dict[str, Any]]:
    """The audit's history, oldest first, with bursts collapsed (see the module docstring).

    Typing saves on every keystroke, so a burst is many rows, each holding the whole text. The
    database finds the bursts (each row against the one before it) and returns only the rows
    an entry is made of: its first (the old value) and its last (the new value and time), and
    every row of an action's burst, whose fields are merged."""
    entries: list[dict[str, Any]] = []
    burst: dict[str, dict[str, Any]] = {}  # each field's entry being read
    for row in conn.execute(_entry_rows(conn.dialect.name, audit_id)):
        entry = burst.get(row.field_key)
        if row.starts or entry is None:
            burst[row.field_key] = {
                "field_key": row.field_key,
                "old": row.old_value,
                "new": row.new_value,
                "changed_by": row.changed_by,
                "changed_at": row.changed_at,
                "reason": row.reason,
            }
            entries.append(burst[row.field_key])
        else:
            entry["new"] = _merged(entry["new"], row.new_value)
            entry["changed_at"] = row.changed_at
    for entry in entries:
        entry["old"] = json.loads(entry["old"]) if entry["old"] else None
        entry["new"] = json.loads(entry["new"]) if entry["new"] else None
        entry["changed_at"] = as_utc(entry["changed_at"])
    return entries


# the row: field_key, old_value, new_value, changed_by, changed_at, reason, starts
def _entry_rows(dialect: str, audit_id: int) -> Select[Any, Any, Any, Any, Any, Any, Any]:
    """The audit's change rows that make its entries, each marked ``starts`` when it begins
    one: a row continues the burst of the field's row just before it when both have no reason,
    the person is the same, and it came less than :data:`CHANGE_BURST_SECONDS` later (changes
    to other fields in between — the other person in the meeting typing — do not break it)."""
    c = schema.changes.c
    before = {
        name: func.lag(c[name]).over(partition_by=c.field_key, order_by=c.id)
        for name in _BURST_COLUMNS
    }
    continues = and_(
        c.reason.is_(None),
        before["reason"].is_(None),
        c.changed_by == before["changed_by"],
        _seconds(dialect, c.changed_at, before["changed_at"]) < CHANGE_BURST_SECONDS,
    )
    marked = (
        select(
            c.id,
            c.field_key,
            case((continues, 0), else_=1).label("starts"),
            func.substr(c.new_value, 1, 1).label("opens"),
        )
        .where(c.audit_id == audit_id)
        .subquery()
    )
    ends = func.coalesce(
        func.lead(marked.c.starts).over(partition_by=marked.c.field_key, order_by=marked.c.id), 1
    )
    ended = select(marked, ends.label("ends")).subquery()
    return (
        select(
            c.field_key, c.old_value, c.new_value, c.changed_by, c.changed_at, c.reason,
            ended.c.starts,
        )
        .join_from(ended, schema.changes, ended.c.id == c.id)
        .where(or_(ended.c.starts == 1, ended.c.ends == 1, ended.c.opens == "{"))
        .order_by(ended.c.id)
    )  # fmt: skip


_BURST_COLUMNS = ("changed_by", "changed_at", "reason")


def _seconds(dialect: str, later: Any, earlier: Any) -> Any:
    """``later - earlier`` in seconds, in SQL (to the millisecond on SQLite, which keeps
    times as text)."""
    if dialect == "sqlite":
        return func.round((func.julianday(later) - func.julianday(earlier)) * 86_400_000) / 1000.0
    return extract("epoch", later - earlier)


def _merged(earlier: str | None, later: str) -> str:
    """Within one burst, an action's later fields are added to its earlier ones (not lost).
    Only objects (actions) are merged, so typed text is never parsed here."""
    if not (earlier and earlier.startswith("{") and later.startswith("{")):
        return later
    before, after = json.loads(earlier), json.loads(later)
    if isinstance(before, dict) and isinstance(after, dict):
        return json.dumps({**before, **after})
    return later


__all__ = ["CHANGE_BURST_SECONDS", "append", "read"]
