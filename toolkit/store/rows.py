"""Rows as the toolkit's records: times in UTC on every database (SQLite returns them naive)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, CursorResult, Row, Table, select

import toolkit.store.statements as statements
from toolkit.core.permissions import AuditRecord, Person
from toolkit.store.errors import NotFound
from toolkit.store.times import as_utc


def audit_record(row: Any) -> AuditRecord:
    """An audit row with its times in UTC on every database (SQLite returns them naive)."""
    m = dict(row._mapping)
    for key in ("created_at", "updated_at", "completed_at"):
        if m[key] is not None:
            m[key] = as_utc(m[key])
    return AuditRecord(**m)


def action_row(row: Any) -> dict[str, Any]:
    """An action row with its times in UTC on every database (SQLite returns them naive)."""
    m = dict(row._mapping)
    for key in ("created_at", "updated_at"):
        if m.get(key) is not None:
            m[key] = as_utc(m[key])
    return m


def person_row(row: Any) -> Person:
    m = row._mapping
    return Person(
        id=m["id"],
        name=m["name"],
        roles=frozenset(r for r in (m["roles"] or "").split(",") if r),
        username=m["username"],
        email=m["email"],
        team=m["team"],
        service=m["service"],
    )


def find_audit(conn: Connection, audit_id: int) -> AuditRecord:
    """The audit as ``conn`` sees it; :class:`NotFound` when there is none."""
    row = conn.execute(statements.AUDIT_BY_ID, {"k_id": audit_id}).first()
    if row is None:
        raise NotFound(f"There is no audit {audit_id}.")
    return audit_record(row)


def row_by_id(conn: Connection, table: Table, row_id: int, missing: str) -> Row[Any]:
    """The row of ``table`` whose ``id`` is ``row_id``; :class:`NotFound` saying ``missing``
    when there is none."""
    row = conn.execute(select(table).where(table.c.id == row_id)).first()
    if row is None:
        raise NotFound(missing)
    return row


def inserted_id(result: CursorResult[Any]) -> int:
    """The id a one-row INSERT gave its row. SQLAlchemy types ``inserted_primary_key`` as
    optional: it has none only for a statement that is not a one-row INSERT."""
    key = result.inserted_primary_key
    if key is None:
        raise TypeError("No primary key: not a one-row INSERT.")
    return int(key[0])
