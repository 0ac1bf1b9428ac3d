"""A database made before migrations (no ``alembic_version``): recognised, completed, stamped.

Until revision 0001 the toolkit made its tables with ``create_all`` whenever the store opened:
a table was made complete, as its toolkit knew it, and never changed after. Columns appended to
a table later were added by hand, with no foreign key (22b823c), and only when a later toolkit
opened the database. So such a database holds every table its toolkit knew, each as first
made, plus those columns if it was opened since. What this module knows is frozen at the last
toolkit before migrations (ba0fc81); it never reads the live schema.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Connection

from toolkit.core.errors import SchemaNotReady

#: revision → the tables it made, for every revision a database made before migrations can be at
TABLES_OF: dict[str, frozenset[str]] = {
    "0001": frozenset(
        (
            "people",
            "audits",
            "actions",
            "answers",
            "changes",
            "escalations",
            "follow_ups",
            "moderations",
            "supervision_sessions",
            "thematic_audits",
            "moderation_answers",
            "notifications",
            "supervision_notes",
            "supervision_ratings",
            "thematic_answers",
            "thematic_changes",
        )
    ),
    "0002": frozenset(("access_log",)),
}
ALL_TABLES = frozenset().union(*TABLES_OF.values())

#: (table, column, type, what it refers to): appended after the table first shipped, which
#: ``create_all`` never added — the practitioner's team and service on an audit (6f5d0fd), and
#: who completed a thematic audit and when (21810ae; added by hand from 22b823c, no foreign key)
APPENDED_COLUMNS: tuple[tuple[str, str, sa.types.TypeEngine[Any], str | None], ...] = (
    ("audits", "team", sa.String(length=200), None),
    ("audits", "service", sa.String(length=200), None),
    ("thematic_audits", "completed_at", sa.DateTime(timezone=True), None),
    ("thematic_audits", "completed_by", sa.Integer(), "people.id"),
)


def toolkit_tables(conn: Connection) -> set[str]:
    """The toolkit's tables this database has (a training store's own tables aside)."""
    return set(sa.inspect(conn).get_table_names()) & ALL_TABLES


def recognised(tables: set[str]) -> str | None:
    """The revision a database made before migrations is at: the newest whose tables, and every
    earlier revision's, are all there. None when some of 0001's are missing (an older toolkit
    made it): revision 0001 then makes those and keeps the rest."""
    at, explained = None, set(TABLES_OF["0001"])  # 0001's may be there in part
    for revision, made in TABLES_OF.items():
        if not made <= tables:
            break
        at = revision
        explained |= made
    later = tables - explained
    if later:
        raise SchemaNotReady(
            f"The database has {', '.join(sorted(later))} but lacks tables every toolkit that "
            "made those had: it was changed by hand, and no revision can be chosen for it. "
            "Restore it from a backup (python -m toolkit restore)."
        )
    return at


def complete(conn: Connection) -> list[str]:
    """Add each appended column a table lacks, and the foreign key a column added by hand lacks;
    returns ``table.column`` for each change (nothing for a table that is not there yet)."""
    found = sa.inspect(conn)
    tables = set(found.get_table_names())
    operations = Operations(MigrationContext.configure(conn))
    done: list[str] = []
    for table in dict.fromkeys(t for t, *_ in APPENDED_COLUMNS):
        if table not in tables:
            continue
        present = {c["name"] for c in found.get_columns(table)}
        referring = {
            column for fk in found.get_foreign_keys(table) for column in fk["constrained_columns"]
        }
        wanted = [c for c in APPENDED_COLUMNS if c[0] == table]
        if all(c in present and (not to or c in referring) for _, c, _, to in wanted):
            continue
        with operations.batch_alter_table(table) as batch:  # SQLite: copied into a new table
            for _, column, kind, to in wanted:
                if column not in present:
                    batch.add_column(sa.Column(column, kind, nullable=True))
                    done.append(f"{table}.{column}")
                if to and column not in referring:
                    other, other_column = to.split(".")
                    # the name PostgreSQL gives the foreign key of a table made whole
                    name = f"{table}_{column}_fkey"
                    batch.create_foreign_key(name, other, [column], [other_column])
                    done.append(f"{table}.{column} → {to}")
    return done


__all__ = [
    "ALL_TABLES",
    "APPENDED_COLUMNS",
    "TABLES_OF",
    "complete",
    "recognised",
    "toolkit_tables",
]
