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
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, false, insert, or_, select
from sqlalchemy.exc import DBAPIError

import toolkit.store.schema as schema
from toolkit.core.errors import NotAllowed, NotFound, SaveFailed
from toolkit.core.permissions import AuditRecord, Person
from toolkit.store.errors import explain_db_error

#: What was done to the record.
ACTIONS = ("open", "download", "export", "command")
#: The kinds of record a row can name.
RECORD_KINDS = (
    "audit",
    "supervision_session",
    "thematic_audit",
    "moderation",
    "calibration_exercise",
    "demonstration",  # the training store, reset from its banner
    "period_export",
    "command",
)
#: Who reads the whole log (and exports it for a period).
LOG_READER_ROLE = "quality_assurance"
#: The server log line for every refusal ("the server log says who tried what").
log = logging.getLogger("toolkit.access")
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


_INSERT_ROW = insert(schema.access_log)


def system_actor() -> str:
    """The operating-system user running an administrator command."""
    try:
        return f"system:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "system:unknown"


def _who(person: Person | None, actor: str | None) -> str:
    """The name a row carries: the actor given, else the person's username (or name)."""
    return actor or (person.username or person.name if person else None) or "nobody"


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
    """Append one row, in a transaction of its own (a refused request writes only this row).
    A row that cannot be written stops the opening: every look at a record is recorded, so a
    record whose opening cannot be is not shown (:class:`SaveFailed`, in the user's words)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown access action {action!r}")
    if record_kind not in RECORD_KINDS:
        raise ValueError(f"unknown record kind {record_kind!r}")
    who = _who(person, actor)
    try:
        _insert_row(engine, action, record_kind, record_id, screen, person, who, allowed, detail)
    except DBAPIError as exc:
        log.error(
            "could not record %s of %s %s by %s: %s", action, record_kind, record_id, who, exc
        )
        raise SaveFailed(
            f"Nothing is shown: every opening of a record must be recorded, and this one could "
            f"not be. {explain_db_error(exc)}"
        ) from exc


def _insert_row(
    engine: Engine,
    action: str,
    record_kind: str,
    record_id: object | None,
    screen: str,
    person: Person | None,
    who: str,
    allowed: bool,
    detail: str | None,
) -> None:
    with engine.begin() as conn:
        conn.execute(
            _INSERT_ROW,  # parameters, not .values(): a third of the row's cost otherwise
            {
                "at": dt.datetime.now(dt.timezone.utc),
                "person_id": person.id if person else None,
                "actor": who[:200],
                "action": action,
                "record_kind": record_kind,
                "record_id": None if record_id is None else str(record_id)[:100],
                "screen": screen[:200],
                "allowed": allowed,
                "detail": detail,
            },
        )


@contextmanager
def looking(engine: Engine, *, detail: str | None = None, **fields: Any) -> Iterator[None]:
    """Around the one read that opens (or downloads, or exports) a record: one row when it
    succeeds; one refused row, and the refusal raised on, when the store says no or there is
    no such record. Any other failure writes nothing (nothing was shown). ``fields`` are
    :func:`record_access`'s: action, record_kind, record_id, screen, person, actor."""
    try:
        yield
    except (NotAllowed, NotFound) as exc:
        record_access(engine, **fields, allowed=False, detail=str(exc))
        log.warning(
            "refused %s %s %s to %s on %s: %s",
            fields["action"],
            fields["record_kind"],
            fields["record_id"],
            _who(fields.get("person"), fields.get("actor")),
            fields["screen"],
            exc,
        )
        raise
    record_access(engine, **fields, detail=detail)


def read_access_log(
    engine: Engine,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    record_kind: str | None = None,
    record_id: object | None = None,
    records: Iterable[tuple[str, object]] | None = None,
    newest_first: bool = False,
    limit: int | None = None,
) -> list[Access]:
    """Rows in the order they were written (or newest first), filtered by time (UTC, ``until``
    excluded) and record, or by any of several ``records`` (kind, id); ``limit`` keeps the
    first so many of that order."""
    c = schema.access_log.c
    query = select(schema.access_log).order_by(c.id.desc() if newest_first else c.id).limit(limit)
    if records is not None:
        query = query.where(
            or_(
                false(),
                *(and_(c.record_kind == kind, c.record_id == str(rid)) for kind, rid in records),
            )
        )
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
    from toolkit.core.spreadsheets import neutralise

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
    "looking",
    "read_access_log",
    "record_access",
    "system_actor",
]
