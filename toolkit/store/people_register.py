"""The people register's rows as a spreadsheet import writes them: a new person added, a known
username's details and roles replaced."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, update

import toolkit.store.schema as schema
from toolkit.store.unit_of_work import UnitOfWork


def add_person_row(work: UnitOfWork, fields: dict[str, Any]) -> None:
    """A new row of the register (``roles`` as comma-separated names)."""
    work.conn.execute(insert(schema.people).values(**fields))


def update_person_row(work: UnitOfWork, person_id: int, fields: dict[str, Any]) -> None:
    """The person's details and roles replaced by ``fields``."""
    table = schema.people
    work.conn.execute(update(table).where(table.c.id == person_id).values(**fields))
