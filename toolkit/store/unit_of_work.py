"""A unit of work: one transaction, one moment, and the change log that goes with it.

Every write outside :class:`toolkit.store.Store`'s own methods — a workflow completing an
audit, a supervision note, a moderation answer — opens one with ``store.unit_of_work()`` and
makes its changes through it, so they commit together or not at all, a database failure
becomes :class:`~toolkit.store.errors.SaveFailed` with nothing written, and each change is
logged with who and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

import toolkit.store.change_log as change_log
from toolkit.core.permissions import AuditRecord, Person
from toolkit.store.errors import SaveFailed, explain_db_error
from toolkit.store.rows import find_audit


@dataclass(frozen=True)
class UnitOfWork:
    """The open transaction (``conn``) and the moment its changes are stamped with."""

    conn: Connection
    stamp: dt.datetime

    def audit(self, audit_id: int) -> AuditRecord:
        """The audit as this transaction sees it; :class:`NotFound` when there is none."""
        return find_audit(self.conn, audit_id)

    def log_change(
        self,
        audit_id: int,
        field_key: str,
        old: str | None,
        new: str,
        person: Person,
        reason: str | None = None,
    ) -> None:
        """Append old → new (JSON text) to the audit's change log, at this unit's moment."""
        change_log.append(self.conn, audit_id, field_key, old, new, person.id, self.stamp, reason)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@contextmanager
def unit_of_work(engine: Engine, stamp: dt.datetime | None = None) -> Iterator[UnitOfWork]:
    """One transaction: committed when the block ends, rolled back when it raises."""
    try:
        with engine.begin() as conn:
            yield UnitOfWork(conn, stamp or now())
    except DBAPIError as exc:  # OperationalError, or e.g. PostgreSQL's read-only transaction
        raise SaveFailed(explain_db_error(exc)) from exc
