"""Is the database's schema the one this toolkit needs, and bringing it there (the owner's job).

There are no migrations yet: ``metadata.create_all`` creates missing tables but never changes
one that exists, so a column appended to a table in :mod:`toolkit.store.schema` is listed in
:data:`ADDED_COLUMNS` and added (nullable, no default) to a database that lacks it. Two
processes setting up at once may both try: the loser finds the column there and carries on.

On PostgreSQL only the owner changes the schema (``python -m toolkit setup-database``); the
servers' role finds it ready or is told to ask for that command (:class:`SchemaNotReady`).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, Table, inspect, text
from sqlalchemy.exc import DBAPIError

from toolkit.errors import SchemaNotReady
from toolkit.store import schema

#: table → columns appended to it since it first shipped
ADDED_COLUMNS: dict[str, tuple[str, ...]] = {
    "thematic_audits": ("completed_at", "completed_by"),
    # the training store's (toolkit/training/): its file outlives a version of the toolkit too
    "calibration_exercises": ("created_by",),
}
SETUP_COMMAND = "python -m toolkit setup-database"


def schema_problems(engine: Engine) -> list[str]:
    """What the database lacks (``table`` or ``table.column``), read in one query."""
    with engine.connect() as conn:
        present = _present_columns(conn)
    missing: list[str] = []
    for table in schema.metadata.sorted_tables:
        found = present.get(table.name)
        if found is None:
            missing.append(table.name)
        else:
            missing.extend(f"{table.name}.{c.name}" for c in table.columns if c.name not in found)
    return missing


def _present_columns(conn: Connection) -> dict[str, set[str]]:
    """Every table of the toolkit's schema with its columns."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        rows = conn.execute(
            text(
                "SELECT c.relname, a.attname FROM pg_catalog.pg_attribute AS a "
                "JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid "
                "JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
                "AND a.attnum > 0 AND NOT a.attisdropped"
            )
        )
    elif dialect == "sqlite":
        rows = conn.execute(
            text(
                "SELECT m.name, p.name FROM sqlite_master AS m, pragma_table_info(m.name) AS p "
                "WHERE m.type = 'table'"
            )
        )
    else:  # another database: the inspector, a query per table
        found = inspect(conn)
        return {t: {c["name"] for c in found.get_columns(t)} for t in found.get_table_names()}
    present: dict[str, set[str]] = {}
    for table_name, column_name in rows:
        present.setdefault(table_name, set()).add(column_name)
    return present


def not_ready_message(engine: Engine, missing: list[str]) -> str:
    shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
    where = engine.url.render_as_string(hide_password=True)
    return (
        f"The database {where} is not set up for this version of the toolkit (it lacks "
        f"{shown}), and the servers' account may not change it. Run `{SETUP_COMMAND}` as the "
        "database's owner (SOS_TOOLKIT_OWNER_DATABASE_URL), then start again."
    )


def bring_up_to_date(engine: Engine) -> list[str]:
    """Create missing tables and add missing columns (the owner's job); returns what was made."""
    before = set(schema_problems(engine))
    schema.metadata.create_all(engine)
    add_missing_columns(engine)
    return sorted(before - set(schema_problems(engine)))


def set_up_training_tables(engine: Engine) -> None:
    """The training store's own tables, with the columns added to them since they shipped (its
    file outlives a version of the toolkit, and the live schema's check does not cover them)."""
    schema.training_metadata.create_all(engine)
    add_missing_columns(engine)


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


__all__ = [
    "ADDED_COLUMNS",
    "SETUP_COMMAND",
    "SchemaNotReady",
    "add_missing_columns",
    "bring_up_to_date",
    "not_ready_message",
    "schema_problems",
    "set_up_training_tables",
]
