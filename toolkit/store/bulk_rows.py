"""Rows written in bulk, as the fictional data generator (:mod:`toolkit.demo.generate`) writes
them: one ``executemany`` of a Core ``insert`` per table and batch, not through
:meth:`Store.save_answer`, so 100,000 audits take about a minute rather than hours."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, insert, select

import toolkit.store.schema as schema
from toolkit.store.unit_of_work import UnitOfWork

#: the tables of a batch, in the order they are written (each row's parent first)
BATCH_TABLES = ("audits", "answers", "actions", "follow_ups", "escalations")


def bulk_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """One ``executemany`` of a Core ``insert``. On SQLite the compiled statement goes to the
    driver with plain tuples: SQLAlchemy's per-row parameter processing would triple the time."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    columns = list(rows[0])
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=columns)
    order = compiled.positiontup or []  # SQLite's placeholders are positional: always set
    conn.exec_driver_sql(
        compiled.string, [tuple(_sqlite_value(row[key]) for key in order) for row in rows]
    )


def _sqlite_value(value: Any) -> Any:
    # SQLAlchemy stores SQLite datetimes as naive UTC text and dates as ISO text
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _next_id(conn: Connection, table: Table) -> int:
    return (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def add_people(work: UnitOfWork, rows: list[dict[str, Any]]) -> int:
    """The people (register rows) added; returns the first one's id (the rest follow on)."""
    first = _next_id(work.conn, schema.people)
    work.conn.execute(insert(schema.people), rows)
    return first


def next_audit_id(engine: Engine) -> int:
    """The id the next audit written in bulk takes."""
    with engine.connect() as conn:
        return _next_id(conn, schema.audits)


def add_batch(work: UnitOfWork, rows: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """A batch's rows of :data:`BATCH_TABLES` and ``moderations`` (each with its moderator's
    overall rating under ``_rating``); returns how many rows of each kind were written."""
    counts = {}
    for name in BATCH_TABLES:
        bulk_insert(work.conn, schema.metadata.tables[name], rows[name])
        counts[name] = len(rows[name])
    counts["moderations"] = _add_moderations(work.conn, rows["moderations"])
    for table in (schema.audits, schema.moderations):  # written with their ids
        _ids_taken(work.conn, table)
    return counts


def _ids_taken(conn: Connection, table: Table) -> None:
    """On PostgreSQL, move the table's id sequence past the ids written with the rows, so the
    next row the store adds takes a free id (SQLite takes the largest id plus one itself).
    With ``nextval`` only: the servers' role may use the sequences, not set them."""
    if conn.dialect.name != "postgresql":
        return
    sequence = func.pg_get_serial_sequence(table.name, "id")
    at = conn.execute(select(func.nextval(sequence))).scalar_one()
    highest = conn.execute(select(func.max(table.c.id))).scalar() or 0
    if at < highest:
        steps = func.generate_series(1, highest - at).table_valued("n")
        conn.execute(select(func.max(func.nextval(sequence))).select_from(steps))


def _add_moderations(conn: Connection, rows: list[dict[str, Any]]) -> int:
    """Moderations, then the moderator's own overall rating for each (``moderation_answers``)."""
    if not rows:
        return 0
    first = _next_id(conn, schema.moderations)
    ratings = [r.pop("_rating") for r in rows]
    bulk_insert(conn, schema.moderations, [{"id": first + k, **r} for k, r in enumerate(rows)])
    bulk_insert(
        conn,
        schema.moderation_answers,
        [
            {
                "moderation_id": first + k,
                "field_key": "overall.overall_rating",
                "value": json.dumps(rating),
                "updated_by": rows[k]["moderator_id"],
                "updated_at": rows[k]["completed_at"],
            }
            for k, rating in enumerate(ratings)
        ],
    )
    return len(rows)
