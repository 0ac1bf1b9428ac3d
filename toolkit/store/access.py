"""Who looked: an append-only log of every opening, download, export and refusal of a record.

Quality assurance must be able to answer "who has opened this child's audit?". Each screen or
command that shows a record calls :func:`record_access` once per opening — allowed or refused —
with who, what, which record and through which screen. Rows are only ever inserted: the
servers' database role may not update or delete them (``toolkit/store/roles.py``).
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select

from toolkit.errors import NotAllowed
from toolkit.permissions import AuditRecord, Person
from toolkit.store import schema

#: What was done to the record.
ACTIONS = ("open", "download", "export", "command")
#: The kinds of record a row can name.
RECORD_KINDS = (
    "audit",
    "supervision_session",
    "thematic_audit",
    "moderation",
    "calibration_exercise",
    "period_export",
    "command",
)
#: Who reads the whole log (and exports it for a period).
LOG_READER_ROLE = "quality_assurance"
CSV_HEADINGS = ("When (UTC)", "Who", "Action", "Record", "Record id", "Screen", "Allowed", "Detail")


@dataclass(frozen=True)
class Access:
    at: dt.datetime
    person_id: int | None
    actor: str
    action: str
    record_kind: str
    record_id: str | None
    screen: str
    allowed: bool
    detail: str | None


def system_actor() -> str:
    """The operating-system user running an administrator command."""
    try:
        return f"system:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "system:unknown"


def record_access(
    engine: Engine,
    *,
    action: str,
    record_kind: str,
    record_id: object | None,
    screen: str,
    person: Person | None = None,
    actor: str | None = None,
    allowed: bool = True,
    detail: str | None = None,
) -> None:
    """Append one row, in a transaction of its own (a refused request writes only this row)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown access action {action!r}")
    if record_kind not in RECORD_KINDS:
        raise ValueError(f"unknown record kind {record_kind!r}")
    who = actor or (person.username or person.name if person else None) or "nobody"
    with engine.begin() as conn:
        conn.execute(
            insert(schema.access_log).values(
                at=dt.datetime.now(dt.timezone.utc),
                person_id=person.id if person else None,
                actor=who[:200],
                action=action,
                record_kind=record_kind,
                record_id=None if record_id is None else str(record_id)[:100],
                screen=screen[:200],
                allowed=allowed,
                detail=detail,
            )
        )


def read_access_log(
    engine: Engine,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    record_kind: str | None = None,
    record_id: object | None = None,
) -> list[Access]:
    """Rows in the order they were written, filtered by time (UTC, ``until`` excluded) and record."""
    c = schema.access_log.c
    query = select(schema.access_log).order_by(c.id)
    if since is not None:
        query = query.where(c.at >= since)
    if until is not None:
        query = query.where(c.at < until)
    if record_kind is not None:
        query = query.where(c.record_kind == record_kind)
    if record_id is not None:
        query = query.where(c.record_id == str(record_id))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        Access(
            at=r.at if r.at.tzinfo else r.at.replace(tzinfo=dt.timezone.utc),
            person_id=r.person_id,
            actor=r.actor,
            action=r.action,
            record_kind=r.record_kind,
            record_id=r.record_id,
            screen=r.screen,
            allowed=bool(r.allowed),
            detail=r.detail,
        )
        for r in rows
    ]


def check_reads_log(person: Person | None, audit: AuditRecord | None = None) -> None:
    """Quality assurance reads the whole log; an audit's auditor reads who opened that audit."""
    if person is None:
        raise NotAllowed("Choose who you are first.")
    if LOG_READER_ROLE in person.roles:
        return
    if audit is not None and person.id == audit.auditor_id:
        return
    raise NotAllowed(f"{person.name} may not read who has opened records.")


def access_csv(rows: Iterable[Access]) -> str:
    """The log as CSV, every cell neutralised against spreadsheet formulas."""
    from toolkit.spreadsheets import neutralise

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADINGS)
    for row in rows:
        cells: list[Any] = [
            row.at.strftime("%Y-%m-%d %H:%M:%S"),
            row.actor,
            row.action,
            row.record_kind,
            row.record_id or "",
            row.screen,
            "yes" if row.allowed else "refused",
            row.detail or "",
        ]
        writer.writerow([neutralise(cell) for cell in cells])
    return out.getvalue()


__all__ = [
    "ACTIONS",
    "CSV_HEADINGS",
    "LOG_READER_ROLE",
    "RECORD_KINDS",
    "Access",
    "access_csv",
    "check_reads_log",
    "read_access_log",
    "record_access",
    "system_actor",
]
