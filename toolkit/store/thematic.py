"""Thematic audits' rows: the audit (its authority and service areas), its answers (a rating,
evidence and a location per item, each part a revisioned save with its change log) and its
history (``thematic_changes``: completing it).

The rules (which authorities and areas there are, what an item and a rating are, who may
change or read it, when it may be completed) are ``toolkit/standards/store.py``'s: it checks
values before they reach here, and passes the check to run on the audit as this transaction
sees it (``check``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, insert, select, update

import toolkit.store.schema as schema
from toolkit.core.permissions import Person
from toolkit.store.revisioned import Saved, record_change_log, save_revisioned
from toolkit.store.rows import inserted_id, row_by_id
from toolkit.store.store import Store
from toolkit.store.times import as_utc

#: run on the thematic audit (as a dict) inside a save's transaction; raises to refuse
ThematicCheck = Callable[[dict[str, Any]], None]
#: run on the thematic audit and its ratings (item → rating) inside completing's transaction;
#: raises to refuse, returns False when there is nothing to do (complete already)
CompleteCheck = Callable[[dict[str, Any], dict[str, str | None]], bool]


def _values(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "authority": row.authority,
        "service_areas": tuple(json.loads(row.service_areas)),
        "child_id": row.child_id,
        "auditor_id": row.auditor_id,
        "audit_id": row.audit_id,
        "state": row.state,
        "created_at": as_utc(row.created_at),
        "updated_at": as_utc(row.updated_at),
        "completed_at": as_utc(row.completed_at) if row.completed_at else None,
        "completed_by": row.completed_by,
    }


def insert_thematic(
    store: Store,
    authority: str,
    areas: list[str],
    child_id: str,
    auditor_id: int,
    audit_id: int | None,
    moment: dt.datetime,
) -> int:
    """A new thematic audit, in progress, of checked areas."""
    with store.unit_of_work() as work:
        return inserted_id(
            work.conn.execute(
                insert(schema.thematic_audits).values(
                    authority=authority,
                    service_areas=json.dumps(areas),
                    child_id=child_id,
                    auditor_id=auditor_id,
                    audit_id=audit_id,
                    state="in_progress",
                    created_at=moment,
                    updated_at=moment,
                )
            )
        )


def thematic_in(conn: Connection, thematic_id: int) -> dict[str, Any]:
    """The thematic audit as ``conn`` sees it; :class:`NotFound` when there is none."""
    return _values(
        row_by_id(conn, schema.thematic_audits, thematic_id, f"No thematic audit {thematic_id}.")
    )


def thematic(store: Store, thematic_id: int) -> dict[str, Any]:
    with store.engine.connect() as conn:
        return thematic_in(conn, thematic_id)


def thematics(
    store: Store, *, audit_id: int | None = None, auditor_id: int | None = None
) -> list[dict[str, Any]]:
    """Thematic audits, last changed first: those of an audit, or of an auditor, or every one
    (neither given)."""
    t = schema.thematic_audits
    query = select(t).order_by(t.c.updated_at.desc())
    if audit_id is not None:
        query = query.where(t.c.audit_id == audit_id)
    if auditor_id is not None:
        query = query.where(t.c.auditor_id == auditor_id)
    with store.engine.connect() as conn:
        return [_values(r) for r in conn.execute(query).all()]


def answers(store: Store, thematic_id: int) -> dict[str, dict[str, Any]]:
    """Item → its answer (item_id, rating, evidence, location, revision, updated_by,
    updated_at)."""
    t = schema.thematic_answers
    with store.engine.connect() as conn:
        rows = conn.execute(select(t).where(t.c.thematic_audit_id == thematic_id)).all()
    return {
        r.item_id: {
            "item_id": r.item_id,
            "rating": r.rating,
            "evidence": r.evidence,
            "location": r.location,
            "revision": r.revision,
            "updated_by": r.updated_by,
            "updated_at": as_utc(r.updated_at),
        }
        for r in rows
    }


def save_answer(
    store: Store,
    thematic_id: int,
    item_id: str,
    part: str,
    value: str | None,
    person: Person,
    expected_revision: int | None,
    check: ThematicCheck,
) -> Saved:
    """Save one checked part of one item, once ``check`` passes on the audit; its
    ``updated_at`` moves when a row was written."""
    with store.unit_of_work() as work:
        conn = work.conn
        check(thematic_in(conn, thematic_id))
        saved = save_revisioned(
            work,
            schema.thematic_answers,
            {"thematic_audit_id": thematic_id, "item_id": item_id},
            {part: value},
            expected_revision=expected_revision,
            person=person,
            log=record_change_log(
                work, "thematic_answer", thematic_id, f"{item_id}.{part}", person
            ),
            what=f"this item's {part}",
        )
        if saved.written:
            conn.execute(
                update(schema.thematic_audits)
                .where(schema.thematic_audits.c.id == thematic_id)
                .values(updated_at=work.stamp)
            )
    return saved


def complete(
    store: Store, thematic_id: int, person_id: int, moment: dt.datetime, check: CompleteCheck
) -> dict[str, Any] | None:
    """Complete the thematic audit at ``moment``, its state's change in its history, once
    ``check`` passes on it and its ratings. Returns the audit as found when ``check`` says
    there is nothing to do, None when it was completed now."""
    t, answers_t = schema.thematic_audits, schema.thematic_answers
    with store.unit_of_work() as work:
        conn = work.conn
        found = thematic_in(conn, thematic_id)
        ratings: dict[str, str | None] = {
            item: rating
            for item, rating in conn.execute(
                select(answers_t.c.item_id, answers_t.c.rating).where(
                    answers_t.c.thematic_audit_id == thematic_id
                )
            ).all()
        }
        if not check(found, ratings):
            return found
        conn.execute(
            update(t)
            .where(t.c.id == thematic_id)
            .values(
                state="complete", completed_at=moment, completed_by=person_id, updated_at=moment
            )
        )
        conn.execute(
            insert(schema.thematic_changes).values(
                thematic_audit_id=thematic_id,
                field_key="state",
                old_value=json.dumps(found["state"]),
                new_value=json.dumps("complete"),
                changed_by=person_id,
                changed_at=moment,
            )
        )
    return None


def history(store: Store, thematic_id: int) -> list[tuple[str, Any, Any, int, dt.datetime]]:
    """(field_key, old, new, changed_by, changed_at) of its changes, oldest first."""
    c = schema.thematic_changes.c
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(schema.thematic_changes).where(c.thematic_audit_id == thematic_id).order_by(c.id)
        ).all()
    return [
        (
            r.field_key,
            json.loads(r.old_value) if r.old_value else None,
            json.loads(r.new_value) if r.new_value else None,
            r.changed_by,
            as_utc(r.changed_at),
        )
        for r in rows
    ]
