"""Is the database at the schema this toolkit needs, and bringing it there with the migrations.

The schema's history is a chain of Alembic revisions (:mod:`toolkit.store.migrations`); the
database records the one it is at in ``alembic_version``. Three cases when the store opens:

- at this toolkit's head: used as it is (two small queries; Alembic is not even imported);
- behind, or made before migrations (no ``alembic_version``): :func:`bring_up_to_date`
  upgrades it — on SQLite the store does so itself, and on PostgreSQL only the owner may
  (``python -m toolkit migrate``), so the servers' role is told to ask (:func:`check_at_head`);
- at a revision this toolkit does not know: a newer toolkit upgraded it, and this one refuses
  it (:class:`SchemaNewerThanToolkit`), changing nothing.

An upgrade holds a lock for its whole run — SQLite's write lock (``BEGIN IMMEDIATE``), a
PostgreSQL advisory lock — and runs in one transaction (both have transactional DDL), so two
processes opening a new data folder at once upgrade it once, and a failed upgrade leaves the
database as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    DefaultClause,
    Engine,
    TextClause,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

import toolkit.store.schema as schema
from toolkit.core.errors import SchemaNewerThanToolkit, SchemaNotReady
from toolkit.store.migrations import HEAD, REVISIONS

VERSION_TABLE = "alembic_version"
SETUP_COMMAND = "python -m toolkit setup-database"
MIGRATE_COMMAND = "python -m toolkit migrate"
#: How long opening the embedded store waits for another process that is upgrading it.
MIGRATION_WAIT_SECONDS = 60
#: The PostgreSQL advisory lock two upgrades of one database take in turn.
MIGRATION_LOCK = 0x50535F4D  # "SOS_M"


@dataclass(frozen=True)
class Upgrade:
    """What :func:`bring_up_to_date` did: the revision before (None: none recorded), the one
    after, the revision a database made before migrations was recognised as, the revisions
    applied (id and first line), the tables and columns it lacked and now has, and whether it
    had none of the toolkit's tables (a new database)."""

    before: str | None
    after: str
    recognised: str | None = None
    applied: tuple[str, ...] = ()
    created: tuple[str, ...] = ()
    new: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.applied or self.created or self.recognised)

    def summary(self) -> str:
        if not self.changed:
            return f"the tables were already up to date (revision {self.after})"
        parts = []
        if self.recognised:
            parts.append(f"recognised a database made before migrations as {self.recognised}")
        if self.created:
            parts.append(f"created {', '.join(self.created)}")
        if self.applied:
            parts.append(f"applied {'; '.join(self.applied)}")
        return "; ".join(parts) + f"; now at revision {self.after}"


# --- reading where a database is ------------------------------------------------------------


def revisions_of(conn: Connection) -> tuple[str, ...] | None:
    """The revisions the database records (one, on this linear history); None when it has no
    ``alembic_version`` (empty, or made before migrations)."""
    if not conn.dialect.has_table(conn, VERSION_TABLE):
        return None
    return tuple(
        sorted(r for (r,) in conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")))
    )


def _refuse_newer(engine: Engine, found: tuple[str, ...] | None) -> None:
    unknown = [r for r in found or () if r not in REVISIONS]
    if unknown:
        raise SchemaNewerThanToolkit(
            f"The database {_where(engine)} is at schema revision {', '.join(unknown)}, which this "
            f"version of the toolkit does not know (it knows up to {HEAD}): a newer version of "
            "the toolkit has upgraded it. Nothing was changed. Run that newer version (or "
            "upgrade this installation to it); an older toolkit must not use this database."
        )


def check_at_head(engine: Engine) -> None:
    """The servers' check before using a database they may not change: at this toolkit's head,
    else :class:`SchemaNotReady` saying which command the owner runs (nothing is attempted)."""
    with engine.connect() as conn:
        found = revisions_of(conn)
        tables = _toolkit_tables(conn) if found is None else set()
    _refuse_newer(engine, found)
    if found == (HEAD,):
        return
    if found is None and not tables:
        raise SchemaNotReady(
            f"The database {_where(engine)} is not set up for this version of the toolkit (it "
            f"has none of its tables), and the servers' account may not change it. Run "
            f"`{SETUP_COMMAND}` as the database's owner (SOS_TOOLKIT_OWNER_DATABASE_URL), then "
            "start again."
        )
    at = f"at schema revision {found[0]}" if found else "made before schema migrations"
    raise SchemaNotReady(
        f"The database {_where(engine)} is {at} and this version of the toolkit needs revision "
        f"{HEAD}, and the servers' account may not change it. Run `{MIGRATE_COMMAND}` as the "
        "database's owner (SOS_TOOLKIT_OWNER_DATABASE_URL), then start again."
    )


def _toolkit_tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names()) & set(schema.metadata.tables)


def schema_problems(engine: Engine | Connection) -> list[str]:
    """What the database lacks of :mod:`toolkit.store.schema` (``table`` or ``table.column``),
    read in one query: after an upgrade, nothing."""
    if isinstance(engine, Engine):
        with engine.connect() as conn:
            present = _present_columns(conn)
    else:
        present = _present_columns(engine)
    missing: list[str] = []
    for table in schema.metadata.sorted_tables:
        found = present.get(table.name)
        if found is None:
            missing.append(table.name)
        else:
            missing.extend(f"{table.name}.{c.name}" for c in table.columns if c.name not in found)
    return missing


def _present_columns(conn: Connection) -> dict[str, set[str]]:
    """Every table of the database with its columns."""
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
    """For a database at head that still lacks part of the schema (changed by hand)."""
    shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
    return (
        f"The database {_where(engine)} lacks {shown}, which this version of the toolkit needs. "
        f"Run `{MIGRATE_COMMAND}` as the database's owner (SOS_TOOLKIT_OWNER_DATABASE_URL); if it "
        "says the tables are up to date, they were changed by hand: restore from a backup."
    )


def readiness_problems(engine: Engine) -> list[str]:
    """Why the servers must not use this database yet (an empty list: they may)."""
    try:
        check_at_head(engine)
    except SchemaNotReady as exc:
        return [str(exc)]
    missing = schema_problems(engine)
    return [not_ready_message(engine, missing)] if missing else []


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


# --- upgrading --------------------------------------------------------------------------------


def bring_up_to_date(engine: Engine) -> Upgrade:
    """Upgrade the database to this toolkit's head (the owner's job; the embedded store's own).

    A database made before migrations is first completed (:mod:`toolkit.store.migrations.adopt`)
    and stamped at the revision its tables show, so nothing in it is made again or lost."""
    with engine.connect() as conn:
        found = revisions_of(conn)
    _refuse_newer(engine, found)
    if found == (HEAD,):
        return Upgrade(HEAD, HEAD)  # the usual case: no lock, no Alembic
    with _migrating(engine) as conn:  # found again under the lock: another process may have won
        found = revisions_of(conn)
        _refuse_newer(engine, found)
        if found == (HEAD,):
            return Upgrade(HEAD, HEAD)
        return _upgrade(engine, conn, found)


def _upgrade(engine: Engine, conn: Connection, found: tuple[str, ...] | None) -> Upgrade:
    from alembic import command

    from toolkit.store.migrations import adopt, config, describe

    lacking = set(schema_problems(conn))
    settings = config(conn)
    recognised, completed = None, []
    new = found is None and not adopt.toolkit_tables(conn)
    if found is None and not new:  # made before migrations
        completed = adopt.complete(conn)
        recognised = adopt.recognised(adopt.toolkit_tables(conn))
        if recognised:
            command.stamp(settings, recognised)
    start = found[0] if found else recognised
    command.upgrade(settings, "head")
    after = revisions_of(conn)
    if after != (HEAD,):  # not reached with a linear history; rolled back with the transaction
        raise SchemaNotReady(f"The upgrade of {_where(engine)} ended at {after}, not {HEAD}.")
    pending = REVISIONS[REVISIONS.index(start) + 1 :] if start else REVISIONS
    made = lacking - set(schema_problems(conn))
    created = sorted(made) + [c for c in completed if "→" in c]  # and foreign keys added
    return Upgrade(
        found[0] if found else None,
        HEAD,
        recognised,
        tuple(describe(r) for r in pending),
        tuple(created),
        new,
    )


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that holds the database's migration lock."""
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        # a connection of its own: the driver leaves transactions to us, so BEGIN IMMEDIATE
        # takes the write lock before anything is read, and the DDL is inside the transaction
        migrating = create_engine(
            engine.url, poolclass=NullPool, connect_args={"timeout": MIGRATION_WAIT_SECONDS}
        )
        event.listen(migrating, "connect", _sqlite_for_migrating)
        event.listen(migrating, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        try:
            with migrating.begin() as conn:
                yield conn
        finally:
            migrating.dispose()
        return
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        yield conn


def _sqlite_for_migrating(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # no implicit BEGIN or COMMIT by the driver
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={MIGRATION_WAIT_SECONDS * 1000}")
    cursor.execute("PRAGMA journal_mode=WAL")  # as the store uses it (kept by the file)
    # foreign keys stay off (SQLite's default) while tables are copied and renamed
    cursor.close()


# --- the training store's own tables (outside the migrations) ----------------------------------
# ``training.sqlite`` holds the live tables (migrated like any store) and the calibration tables
# of ``schema.training_metadata``, which only it has and a trainer's reset remakes: those are
# made by ``create_all``, and a column appended to one since it shipped is listed here.

#: training table → columns appended to it since it first shipped
TRAINING_ADDED_COLUMNS: dict[str, tuple[str, ...]] = {
    "calibration_exercises": ("created_by",),  # who started it (toolkit/training/calibration.py)
    "calibration_scores": ("revision",),  # revisioned saves (toolkit/store/revisioned.py)
}


def set_up_training_tables(engine: Engine) -> None:
    """The training store's own tables, with the columns added to them since they shipped (its
    file outlives a version of the toolkit). Two pages adding a column at once: the loser
    finds it there and carries on."""
    schema.training_metadata.create_all(engine)
    for table_name, columns in TRAINING_ADDED_COLUMNS.items():
        for name in _missing(engine, table_name, columns):
            column = schema.training_metadata.tables[table_name].c[name]
            ddl = column.type.compile(dialect=engine.dialect)
            default = column.server_default
            if isinstance(default, DefaultClause):  # the rows kept take the default
                arg = default.arg
                ddl += f" NOT NULL DEFAULT {arg.text if isinstance(arg, TextClause) else arg}"
            try:
                with engine.begin() as conn:
                    conn.execute(text(f"ALTER TABLE {table_name} ADD COLUMN {name} {ddl}"))
            except DBAPIError:
                if name in _missing(engine, table_name, columns):
                    raise  # not another process adding it first: a real failure


def _missing(engine: Engine, table_name: str, columns: tuple[str, ...]) -> list[str]:
    found = inspect(engine)
    if not found.has_table(table_name):
        return []
    present = {c["name"] for c in found.get_columns(table_name)}
    return [c for c in columns if c not in present]


__all__ = [
    "MIGRATE_COMMAND",
    "SETUP_COMMAND",
    "TRAINING_ADDED_COLUMNS",
    "VERSION_TABLE",
    "SchemaNewerThanToolkit",
    "SchemaNotReady",
    "Upgrade",
    "bring_up_to_date",
    "check_at_head",
    "not_ready_message",
    "readiness_problems",
    "revisions_of",
    "schema_problems",
    "set_up_training_tables",
]
