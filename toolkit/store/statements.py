"""The statements of a save, built once and run with parameters.

SQLAlchemy builds, checks and keys a statement each time one is written as an expression; on a
save of one answer (five small statements) that was most of the time spent in Python. A
statement built once keeps its cache key, so running it again costs only the database's work
(measured by ``benchmarks/save_answer.py``). Parameters: ``k_<column>`` for the row's keys,
``p_<column>`` for the values an UPDATE sets, ``seen_revision`` for the revision read (SQLAlchemy
keeps a column's own name for the values of an INSERT, which takes the columns' names as they are).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Delete, Insert, Select, Table, Update, and_, bindparam, insert, select

import toolkit.store.schema as schema


def at(prefix: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` as parameters named ``<prefix><column>`` (``k_`` for keys, ``p_`` for values)."""
    return {f"{prefix}{k}": v for k, v in values.items()}


def _where(table: Table, keys: Iterable[str]) -> Any:
    return and_(*(table.c[k] == bindparam(f"k_{k}") for k in keys))


@functools.cache
def row_at(table: Table, keys: tuple[str, ...]) -> Select[Any]:
    """The row of ``table`` whose ``keys`` columns equal ``k_<column>``."""
    return select(table).where(_where(table, keys))


@functools.cache
def insert_into(table: Table) -> Insert:
    """An INSERT of ``table``: run with the columns as parameters by their own names."""
    return insert(table)


@functools.cache
def update_where(table: Table, keys: tuple[str, ...], columns: tuple[str, ...]) -> Update:
    """Set ``columns`` (from ``p_<column>``) on the row at ``k_<key>``."""
    return (
        table.update().where(_where(table, keys)).values({c: bindparam(f"p_{c}") for c in columns})
    )


@functools.cache
def update_at_revision(table: Table, keys: tuple[str, ...], columns: tuple[str, ...]) -> Update:
    """Set ``columns`` (from ``p_<column>``) on the row at ``k_<key>`` only while its revision
    is still ``seen_revision``: another writer in between changes no row."""
    return update_where(table, keys, columns).where(table.c.revision == bindparam("seen_revision"))


@functools.cache
def delete_at_revision(table: Table, keys: tuple[str, ...]) -> Delete:
    """Delete the row at ``k_<key>`` only while its revision is still ``seen_revision``."""
    return table.delete().where(_where(table, keys), table.c.revision == bindparam("seen_revision"))


#: The audit by its id (``k_id``): read first by every save of an answer.
AUDIT_BY_ID = row_at(schema.audits, ("id",))
