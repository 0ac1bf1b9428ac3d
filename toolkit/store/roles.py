"""Least privilege in PostgreSQL: the owner changes the schema, the servers' role only works in it.

Two roles (both made by the database administrator, see the README):

- the **owner** owns the database and its tables. Only administrators' commands connect as it
  (``SOS_TOOLKIT_OWNER_DATABASE_URL``): ``setup-database`` / ``migrate`` (upgrade the schema
  to this toolkit's revision, then :func:`grant_servers`) and ``restore`` (tables in a new
  database, id sequences moved).
- the **servers' role** is what every person's server gets (``SOS_TOOLKIT_DATABASE_URL``).
  It may read and write the working tables, only read and insert into the append-only logs
  (tables marked :data:`toolkit.store.schema.APPEND_ONLY`: the change logs and the access log),
  only read ``alembic_version`` (the schema revision its check reads: a role that could
  write it could make every server refuse the database), use the id sequences, and create,
  alter or drop nothing: no CREATE on the schema or the database, no temporary tables, no table
  of its own, no TRUNCATE, TRIGGER or REFERENCES.

:func:`grant_servers` is the one place the privileges are applied; it is idempotent, so it is
re-run after any change of the schema (``setup-database`` and ``migrate`` do).
Default privileges give tables the owner adds later only SELECT and INSERT for the servers'
role until it runs — a new log is append-only from the start, a new working table is writable
once the grant is re-run. :func:`role_problems` reads what a role may really do with
PostgreSQL's privilege functions; the Hub refuses to start when the URL it would hand the
servers fails it (:func:`check_servers_url`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, make_url, text
from sqlalchemy.exc import DBAPIError

import toolkit.store.schema as schema
import toolkit.store.upgrade as upgrade
from toolkit import config
from toolkit.store.store import make_engine

#: What the servers' role may do to a working table, and to an append-only log.
WORKING_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
LOG_PRIVILEGES = ("SELECT", "INSERT")
VERSION_PRIVILEGES = ("SELECT",)
#: The table privileges checked (MAINTAIN, from PostgreSQL 17, changes no table's shape).
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


def append_only_tables() -> list[str]:
    """The tables only ever added to: the change logs and the access log."""
    return [t.name for t in schema.metadata.sorted_tables if t.info.get(schema.APPEND_ONLY)]


def privileges_for(table_name: str) -> tuple[str, ...]:
    if table_name == upgrade.VERSION_TABLE:
        return VERSION_PRIVILEGES
    return LOG_PRIVILEGES if table_name in append_only_tables() else WORKING_PRIVILEGES


def granted_tables() -> list[str]:
    """Every table the servers' role is granted on: the schema's and the revision it is at."""
    return [t.name for t in schema.metadata.sorted_tables] + [upgrade.VERSION_TABLE]


def setup_database(engine: Engine, servers_role: str | None) -> list[str]:
    """As the owner: upgrade the schema to this toolkit's revision, then grant the servers'
    role (PostgreSQL) — ``setup-database`` and ``migrate`` alike. Returns what was done, one
    line each."""
    done = [upgrade.bring_up_to_date(engine).summary()]
    if engine.dialect.name == "postgresql" and servers_role:
        grant_servers(engine, servers_role)
        done.append(
            f"granted {servers_role}: read and write the working tables; only read and add to "
            f"{', '.join(append_only_tables())}; create, alter and drop nothing"
        )
    return done


def grant_servers(engine: Engine, role: str) -> None:
    """Give ``role`` exactly the servers' privileges on this database (run as its owner)."""
    with engine.begin() as conn:
        quote = conn.dialect.identifier_preparer.quote
        who = quote(role)
        where = quote(conn.execute(text("SELECT current_schema()")).scalar_one())
        database = quote(conn.execute(text("SELECT current_database()")).scalar_one())
        statements = [
            # nobody but the owner creates anything here (PostgreSQL before 15 let everyone)
            f"REVOKE CREATE ON SCHEMA {where} FROM PUBLIC",
            f"REVOKE ALL ON SCHEMA {where} FROM {who}",
            f"GRANT USAGE ON SCHEMA {where} TO {who}",
            f"REVOKE CREATE, TEMPORARY ON DATABASE {database} FROM PUBLIC",
            f"REVOKE ALL ON DATABASE {database} FROM {who}",
            f"GRANT CONNECT ON DATABASE {database} TO {who}",
        ]
        for table_name in granted_tables():
            name = quote(table_name)
            statements += [
                f"REVOKE ALL ON TABLE {name} FROM {who}",
                f"GRANT {', '.join(privileges_for(table_name))} ON TABLE {name} TO {who}",
            ]
        statements += [
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {where} FROM {who}",
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {where} TO {who}",  # nextval for new ids
            # what the owner adds later: readable and insert-only until this is run again
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {where} GRANT {', '.join(LOG_PRIVILEGES)} "
            f"ON TABLES TO {who}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {where} GRANT USAGE ON SEQUENCES TO {who}",
        ]
        for statement in statements:
            conn.execute(text(statement))


def role_problems(conn: Connection, role: str | None = None) -> list[str]:
    """What ``role`` (default: the connected user) may do that the servers' role must not, or
    lacks that it needs, in this database — read with PostgreSQL's privilege functions."""
    role = role or conn.execute(text("SELECT current_user")).scalar_one()
    found = conn.execute(
        text(
            "SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb, "
            "has_database_privilege(r.rolname, current_database(), 'CREATE'), "
            "has_database_privilege(r.rolname, current_database(), 'TEMPORARY'), "
            "has_schema_privilege(r.rolname, current_schema(), 'CREATE'), "
            "pg_has_role(r.rolname, d.datdba, 'USAGE'), "
            "pg_has_role(r.rolname, n.nspowner, 'USAGE') "
            "FROM pg_roles AS r, pg_database AS d, pg_namespace AS n "
            "WHERE r.rolname = :role AND d.datname = current_database() "
            "AND n.nspname = current_schema()"
        ),
        {"role": role},
    ).first()
    if found is None:
        return [f"there is no role {role!r}"]
    checks = (
        "is a superuser",
        "may create roles",
        "may create databases",
        "may create schemas in the database",
        "may create temporary tables",
        "may create tables in the schema",
        "owns the database (so may drop it)",
        "owns the schema (so may drop any table in it)",
    )
    problems = [f"{role} {check}" for check, yes in zip(checks, found, strict=True) if yes]
    return problems + _table_problems(conn, role)


def _table_problems(conn: Connection, role: str) -> list[str]:
    rows = conn.execute(
        text(
            "SELECT c.relname, p.privilege, has_table_privilege(:role, c.oid, p.privilege), "
            "pg_has_role(:role, c.relowner, 'USAGE') "
            "FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace, "
            "unnest(CAST(:privileges AS text[])) AS p(privilege) "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
        ),
        {"role": role, "privileges": list(TABLE_PRIVILEGES)},
    ).all()
    owned: set[str] = set()
    may: dict[str, list[str]] = {}
    lacks: dict[str, list[str]] = {}
    for table, privilege, granted, owns in rows:
        if owns:
            owned.add(table)
        known = table in schema.metadata.tables or table == upgrade.VERSION_TABLE
        wanted = privilege in privileges_for(table) if known else privilege in LOG_PRIVILEGES
        if granted and not wanted:
            may.setdefault(table, []).append(privilege)
        elif wanted and not granted and known:
            lacks.setdefault(table, []).append(privilege)
    problems = [f"{role} owns {_and(sorted(owned))} (so may alter or drop them)"] if owned else []
    problems += [f"{role} may {_and(p)} {t}" for t, p in sorted(may.items()) if t not in owned]
    problems += [f"{role} lacks {_and(p)} on {t}" for t, p in sorted(lacks.items())]
    return problems


def _and(words: Iterable[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def check_servers_url(url: str) -> list[str]:
    """Why ``url`` must not be handed to the people's servers (an empty list: it may be).

    It must be PostgreSQL (a SQLite file's user can change anything in it), reachable, at this
    toolkit's schema revision, and an account that can change no table's shape nor rewrite the
    logs."""
    if make_url(url).get_backend_name() != "postgresql":
        return ["under JupyterHub the servers' database must be PostgreSQL with the servers' role"]
    engine = make_engine(url)
    try:
        problems = upgrade.readiness_problems(engine)
        if problems:
            return problems
        with engine.connect() as conn:
            return role_problems(conn)
    except DBAPIError as exc:
        return [f"cannot use the database: {exc.orig}"]
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Setup:
    """What ``setup-database`` did: the database (password hidden), the servers' role granted,
    one line per change, and anything that role may still do but must not."""

    database: str
    postgresql: bool
    servers_role: str | None
    done: list[str]
    problems: list[str]


class SetUpFailed(Exception):
    """The database refused the owner's set-up; the message is the database's own words."""


def set_up_as_owner(servers_role: str | None = None) -> Setup:
    """Connect as the owner (``SOS_TOOLKIT_OWNER_DATABASE_URL``, else the store's own URL),
    upgrade the schema to this toolkit's revision and grant ``servers_role`` (default: the
    user in ``SOS_TOOLKIT_DATABASE_URL`` when that is not the owner), then check that role.
    :class:`SetUpFailed` when the database refuses (unreachable, not the owner, …)."""
    owner_url = config.owner_database_url()
    servers_role = servers_role or servers_role_name(
        os.environ.get("SOS_TOOLKIT_DATABASE_URL"), owner_url
    )
    engine = make_engine(owner_url)
    try:
        done = setup_database(engine, servers_role)
        problems: list[str] = []
        postgresql = engine.dialect.name == "postgresql"
        if postgresql and servers_role:
            with engine.connect() as conn:
                problems = role_problems(conn, servers_role)
        return Setup(
            engine.url.render_as_string(hide_password=True),
            postgresql,
            servers_role,
            done,
            problems,
        )
    except DBAPIError as exc:
        raise SetUpFailed(str(exc.orig)) from exc
    finally:
        engine.dispose()


def servers_role_name(servers_url: str | None, owner_url: str) -> str | None:
    """The servers' role for ``setup-database``: the user in the servers' URL, when it is
    PostgreSQL and not the owner."""
    if not servers_url:
        return None
    servers, owner = make_url(servers_url), make_url(owner_url)
    if servers.get_backend_name() != "postgresql" or servers.username == owner.username:
        return None
    return servers.username


__all__ = [
    "LOG_PRIVILEGES",
    "VERSION_PRIVILEGES",
    "WORKING_PRIVILEGES",
    "SetUpFailed",
    "Setup",
    "append_only_tables",
    "check_servers_url",
    "grant_servers",
    "granted_tables",
    "privileges_for",
    "role_problems",
    "servers_role_name",
    "set_up_as_owner",
    "setup_database",
]
