"""Supervision sessions' rows: the session, its notes (one JSON value per key) and the
participants' ratings, each note and rating a revisioned save with its change log.

The rules (who leads, who writes, who reads, what a note or a rating may hold) are
``toolkit/supervision/store.py``'s: it checks values before they reach here, and passes the
check to run on the session as this transaction sees it (``check``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

import toolkit.store.schema as schema
from toolkit.core.permissions import Person
from toolkit.store.revisioned import Saved, record_change_log, save_json_value, save_revisioned
from toolkit.store.rows import inserted_id, row_by_id
from toolkit.store.store import Store
from toolkit.store.times import as_utc

#: run on the session's row (as a dict) inside the save's transaction; raises to refuse
SessionCheck = Callable[[dict[str, Any]], None]
#: run on the session's row and its notes (key → value) inside a rating's transaction
RatingCheck = Callable[[dict[str, Any], dict[str, Any]], None]


def _values(row: Any) -> dict[str, Any]:
    m = dict(row._mapping)
    m["started_at"], m["updated_at"] = as_utc(m["started_at"]), as_utc(m["updated_at"])
    return m


def insert_session(store: Store, values: dict[str, Any]) -> int:
    """A new session with ``values`` (its columns but the times), started now."""
    with store.unit_of_work() as work:
        stamp = work.stamp
        return inserted_id(
            work.conn.execute(
                insert(schema.supervision_sessions).values(
                    **values, started_at=stamp, updated_at=stamp
                )
            )
        )


def session_in(conn: Connection, session_id: int) -> dict[str, Any]:
    """The session's row as ``conn`` sees it; :class:`NotFound` when there is none."""
    return _values(
        row_by_id(
            conn,
            schema.supervision_sessions,
            session_id,
            f"There is no supervision session {session_id}.",
        )
    )


def session(store: Store, session_id: int) -> dict[str, Any]:
    with store.engine.connect() as conn:
        return session_in(conn, session_id)


def sessions(
    store: Store,
    *,
    of_person: int | None = None,
    supervisee_id: int | None = None,
    child_id: str | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    """Sessions, newest first: those ``of_person`` leads or is supervised in (every one when
    None), narrowed to a supervisee, a child or a kind."""
    t = schema.supervision_sessions.c
    query = select(schema.supervision_sessions).order_by(t.started_at.desc(), t.id.desc())
    if of_person is not None:
        query = query.where(or_(t.supervisor_id == of_person, t.supervisee_id == of_person))
    if supervisee_id is not None:
        query = query.where(t.supervisee_id == supervisee_id)
    if child_id:
        query = query.where(t.child_id == child_id.strip())
    if kind:
        query = query.where(t.kind == kind)
    with store.engine.connect() as conn:
        return [_values(r) for r in conn.execute(query).all()]


def notes(store: Store, session_id: int) -> dict[str, tuple[Any, int, int, dt.datetime]]:
    """Key → (value, revision, updated_by, updated_at) of the session's notes."""
    n = schema.supervision_notes.c
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(schema.supervision_notes).where(n.session_id == session_id)
        ).all()
    return {
        r.key: (json.loads(r.value), r.revision, r.updated_by, as_utc(r.updated_at)) for r in rows
    }


def _touch(conn: Connection, session_id: int, stamp: dt.datetime) -> None:
    t = schema.supervision_sessions
    conn.execute(update(t).where(t.c.id == session_id).values(updated_at=stamp))


def save_note(
    store: Store,
    session_id: int,
    key: str,
    value: Any,
    person: Person,
    expected_revision: int | None,
    check: SessionCheck,
) -> Saved:
    """Save one checked note (``check`` passing on the session first); the session's
    ``updated_at`` moves when a row was written."""
    with store.unit_of_work() as work:
        check(session_in(work.conn, session_id))
        saved = save_json_value(
            work,
            schema.supervision_notes,
            {"session_id": session_id, "key": key},
            value,
            expected_revision=expected_revision,
            person=person,
            log=record_change_log(work, "supervision_note", session_id, key, person),
            what="this note",
        )
        if saved.written:
            _touch(work.conn, session_id, work.stamp)
    return saved


def ratings(store: Store, session_id: int) -> list[tuple[str, int, str, int]]:
    """(participant, value, reason, revision) of the session's ratings, by participant."""
    r = schema.supervision_ratings.c
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(schema.supervision_ratings)
            .where(r.session_id == session_id)
            .order_by(r.participant)
        ).all()
    return [(row.participant, row.value, row.reason, row.revision) for row in rows]


def save_rating(
    store: Store,
    session_id: int,
    participant: str,
    value: int,
    reason: str,
    person: Person,
    expected_revision: int | None,
    check: RatingCheck,
) -> Saved:
    """Save one checked rating, once ``check`` passes on the session and its notes as this
    transaction sees them."""
    n = schema.supervision_notes.c
    with store.unit_of_work() as work:
        conn = work.conn
        found = session_in(conn, session_id)
        session_notes = {
            k: json.loads(v)
            for k, v in conn.execute(select(n.key, n.value).where(n.session_id == session_id)).all()
        }
        check(found, session_notes)
        saved = save_revisioned(
            work,
            schema.supervision_ratings,
            {"session_id": session_id, "participant": participant},
            {"value": value, "reason": reason},
            expected_revision=expected_revision,
            person=person,
            log=record_change_log(work, "supervision_rating", session_id, participant, person),
            what=f"{participant}'s rating",
        )
        if saved.written:
            _touch(conn, session_id, work.stamp)
    return saved
