"""Columns added to a table after databases were made with it, added to those databases on start.

There are no migrations: ``metadata.create_all`` creates missing tables but never changes one
that exists, so a column appended to a table in :mod:`toolkit.store.schema` is listed here and
added (nullable, no default) to a database that lacks it. Two processes starting at once may
both try: the loser finds the column there and carries on.
"""

from __future__ import annotations

from sqlalchemy import Engine, Table, inspect, text
from sqlalchemy.exc import DBAPIError

from toolkit.store import schema

#: table → columns appended to it since it first shipped
ADDED_COLUMNS: dict[str, tuple[str, ...]] = {
    "thematic_audits": ("completed_at", "completed_by"),
    # the training store's (toolkit/training/): its file outlives a version of the toolkit too
    "calibration_exercises": ("created_by",),
}


def add_missing_columns(engine: Engine) -> list[str]:
    """Add each listed column the database lacks; returns ``table.column`` for those added."""
    added = []
    for table_name, columns in ADDED_COLUMNS.items():
        missing = _missing(engine, table_name, columns)
        for name in missing:
            column = _table(table_name).c[name]
            ddl = column.type.compile(dialect=engine.dialect)
            try:
                with engine.begin() as conn:
                    conn.execute(text(f"ALTER TABLE {table_name} ADD COLUMN {name} {ddl}"))
            except DBAPIError:
                if name in _missing(engine, table_name, columns):
                    raise  # not another process adding it first: a real failure
                continue
            added.append(f"{table_name}.{name}")
    return added


def _table(name: str) -> Table:
    """The table in the live schema or, failing that, in the training store's."""
    if name in schema.metadata.tables:
        return schema.metadata.tables[name]
    return schema.training_metadata.tables[name]


def _missing(engine: Engine, table_name: str, columns: tuple[str, ...]) -> list[str]:
    found = inspect(engine)
    if not found.has_table(table_name):
        return []
    present = {c["name"] for c in found.get_columns(table_name)}
    return [c for c in columns if c not in present]


__all__ = ["ADDED_COLUMNS", "add_missing_columns"]
