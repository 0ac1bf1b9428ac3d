"""The one revisioned save: audit answers, supervision notes and ratings, thematic items,
moderation answers and calibration scores all go through :func:`save_revisioned`.

A revisioned row has key columns, value columns, a ``revision`` (1 when first written, one more
on every change) and ``updated_at`` (and ``updated_by`` when a person of the register writes
it). The screen passes the revision it loaded; the save

- reads the row as it is now;
- when the screen's revision is not the row's and the values differ, raises
  :class:`~toolkit.core.errors.Conflict` saying who changed it and when, and writes nothing;
- when the values are what is stored already, writes nothing and returns the row as it is;
- otherwise inserts the row (revision 1) or updates it ``WHERE revision = <the one read>``
  and checks that one row changed (another writer in between is a ``Conflict``);
- then logs the change, old → new, with who and when (``log``).

What it returns says whether a row was written (:attr:`Saved.written`), so "Saved" is shown
only when it was.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, Table, select

import toolkit.store.schema as schema
import toolkit.store.statements as statements
from toolkit.core.errors import Conflict
from toolkit.core.permissions import Person
from toolkit.store.times import as_utc
from toolkit.store.unit_of_work import UnitOfWork

#: ``log(old, new)``: old and new as JSON text (old None when there was no row)
ChangeLog = Callable[[str | None, str], None]


@dataclass(frozen=True)
class Saved:
    """What is stored after a save: ``values`` by column (decoded), and whether this save
    wrote a row (False when the same value was stored already)."""

    values: dict[str, Any]
    revision: int
    updated_by: int | None
    updated_at: dt.datetime | None
    written: bool

    @property
    def value(self) -> Any:
        """The one value column's value (or all of them, by column, when there are several)."""
        return _logged(self.values)


def save_revisioned(
    work: UnitOfWork,
    table: Table,
    keys: dict[str, Any],
    values: dict[str, Any],
    *,
    expected_revision: int | None,
    person: Person | None,
    log: ChangeLog | None = None,
    json_columns: Collection[str] = (),
    what: str = "this answer",
) -> Saved:
    """Save ``values`` (column → value) into the row of ``table`` at ``keys``, inside
    ``work``, as described in the module docstring. ``json_columns`` are stored as JSON text;
    ``expected_revision`` None skips the stale check (a save that is not from a screen)."""
    conn = work.conn
    row = _current(conn, table, keys)
    stored = _decoded(row, values, json_columns) if row is not None else None
    revision = (row.revision or 0) if row is not None else 0
    if row is not None and stored == values:
        return Saved(stored, *_stamp(row), written=False)
    if expected_revision is not None and expected_revision != revision:
        raise _conflict(conn, table, row, values, json_columns, what)
    columns = {k: json.dumps(v) if k in json_columns else v for k, v in values.items()} | {
        "revision": revision + 1,
        "updated_at": work.stamp,
    }
    if "updated_by" in table.c:
        columns["updated_by"] = person.id if person is not None else None
    if row is None:
        conn.execute(statements.insert_into(table), {**keys, **columns})
    else:
        update = statements.update_at_revision(table, tuple(keys), tuple(columns))
        changed = conn.execute(
            update,
            statements.at("k_", keys)
            | statements.at("p_", columns)
            | {"seen_revision": row.revision},
        )
        if changed.rowcount != 1:  # another session saved between our read and our write
            latest = _current(conn, table, keys)
            raise _conflict(conn, table, latest, values, json_columns, what, at_once=True)
    if log is not None:
        old = json.dumps(_logged(stored)) if stored is not None else None
        log(old, json.dumps(_logged(values)))
    return Saved(
        dict(values),
        revision + 1,
        person.id if person is not None else None,
        work.stamp,
        written=True,
    )


def save_json_value(
    work: UnitOfWork, table: Table, keys: dict[str, Any], value: Any, **how: Any
) -> Saved:
    """:func:`save_revisioned` of one answer kept as JSON text in the ``value`` column (audit
    answers, supervision notes, moderation answers); ``how``: its keyword arguments."""
    return save_revisioned(work, table, keys, {"value": value}, json_columns=("value",), **how)


def clear_revisioned(
    work: UnitOfWork,
    table: Table,
    keys: dict[str, Any],
    values: Collection[str],
    *,
    expected_revision: int | None,
    log: ChangeLog | None = None,
    json_columns: Collection[str] = (),
    what: str = "this answer",
) -> bool:
    """Take back the row of ``table`` at ``keys`` (for rows that are deleted rather than
    emptied: a calibration score): the same checks as :func:`save_revisioned`, the value
    columns ``values`` logged old → null. True when a row was deleted."""
    conn = work.conn
    row = _current(conn, table, keys)
    if row is None:
        return False
    shown = dict.fromkeys(values)
    if expected_revision is not None and expected_revision != (row.revision or 0):
        raise _conflict(conn, table, row, shown, json_columns, what)
    deleted = conn.execute(
        statements.delete_at_revision(table, tuple(keys)),
        statements.at("k_", keys) | {"seen_revision": row.revision},
    )
    if deleted.rowcount != 1:
        latest = _current(conn, table, keys)
        raise _conflict(conn, table, latest, shown, json_columns, what, at_once=True)
    if log is not None:
        log(json.dumps(_logged(_decoded(row, shown, json_columns))), json.dumps(None))
    return True


def record_change_log(
    work: UnitOfWork,
    kind: str,
    record_id: int,
    field_key: str,
    person: Person | None,
    actor: str | None = None,
) -> ChangeLog:
    """A ``log`` for :func:`save_revisioned` that appends to ``record_changes``: the change
    log of the records that are not audits (``kind``: supervision_note, thematic_answer, …).
    ``actor`` names who changed it when they are not in the register (a learner)."""

    def log(old: str | None, new: str) -> None:
        work.conn.execute(
            statements.insert_into(schema.record_changes),
            {
                "kind": kind,
                "record_id": record_id,
                "field_key": field_key,
                "old_value": old,
                "new_value": new,
                "changed_by": person.id if person is not None else None,
                "actor": actor if actor is not None else (person.name if person else None),
                "changed_at": work.stamp,
            },
        )

    return log


def audit_change_log(work: UnitOfWork, audit_id: int, field_key: str, person: Person) -> ChangeLog:
    """A ``log`` for :func:`save_revisioned` that appends to the audit's change log."""
    return lambda old, new: work.log_change(audit_id, field_key, old, new, person)


def record_changes(
    conn: Any, kind: str, record_id: int, field_key: str | None = None
) -> list[dict[str, Any]]:
    """The change log of one record (of ``field_key`` only, when given), oldest first."""
    c = schema.record_changes.c
    query = select(schema.record_changes).where(c.kind == kind, c.record_id == record_id)
    if field_key is not None:
        query = query.where(c.field_key == field_key)
    return [
        {
            "field_key": r.field_key,
            "old": json.loads(r.old_value) if r.old_value is not None else None,
            "new": json.loads(r.new_value) if r.new_value is not None else None,
            "changed_by": r.changed_by,
            "actor": r.actor,
            "changed_at": as_utc(r.changed_at),
        }
        for r in conn.execute(query.order_by(c.id))
    ]


# --- inside ---------------------------------------------------------------------------------------


def _decoded(
    row: Row[Any], values: dict[str, Any], json_columns: Collection[str]
) -> dict[str, Any]:
    """The row's value columns (those of ``values``), as Python values."""
    m = row._mapping
    return {
        k: (json.loads(m[k]) if m[k] is not None else None) if k in json_columns else m[k]
        for k in values
    }


def _logged(values: dict[str, Any]) -> Any:
    """The one value, or the columns by name when a save changes several."""
    return next(iter(values.values())) if len(values) == 1 else dict(values)


def _current(conn: Connection, table: Table, keys: dict[str, Any]) -> Row[Any] | None:
    """The row at ``keys`` as it is now (None: none)."""
    return conn.execute(statements.row_at(table, tuple(keys)), statements.at("k_", keys)).first()


def _stamp(row: Row[Any]) -> tuple[int, int | None, dt.datetime | None]:
    """The row's revision, who wrote it (None when the table does not say) and when."""
    m = row._mapping
    at = m.get("updated_at")
    return m["revision"] or 0, m.get("updated_by"), as_utc(at) if at is not None else None


def _conflict(
    conn: Any,
    table: Table,
    row: Row[Any] | None,
    values: dict[str, Any],
    json_columns: Collection[str],
    what: str,
    at_once: bool = False,
) -> Conflict:
    """The Conflict for a stale save: who changed ``what``, when, and what it holds now."""
    if row is None:
        current, revision, by, at = None, 0, None, None
    else:
        current = _logged(_decoded(row, values, json_columns))
        revision, by, at = _stamp(row)
    name = None
    if by is not None:
        p = schema.people.c
        name = conn.execute(select(p.name).where(p.id == by)).scalar()
    who = name or "Someone else"
    when = f" at {at:%H:%M} on {at.day} {at:%B %Y} (UTC)" if at is not None else ""
    moment = "at the same moment" if at_once else f"after you opened it{when}"
    return Conflict(
        f"{who} changed {what} {moment}; your change was not saved over theirs. "
        "Their version is shown now.",
        current=current,
        revision=revision,
        updated_by=by,
        updated_by_name=name,
        updated_at=at,
    )


__all__ = [
    "ChangeLog",
    "Saved",
    "audit_change_log",
    "clear_revisioned",
    "record_change_log",
    "record_changes",
    "save_json_value",
    "save_revisioned",
]
