"""Databases as toolkits before migrations made them, with data in every table, for the upgrade
tests (import with ``from tests.support.legacy import ...``).

Each kind is made the way its toolkit made it: ``create_all`` of its schema (a verbatim copy of
073771b's is ``tests/support/fixtures/schema_073771b.py``), and for a database an older toolkit made
and a later one opened, the two columns 22b823c added by hand (no foreign key). Rows come from
a store filled through the toolkit (the demonstration, generated audits, supervision, thematic
audits, the access log) and are written with plain inserts, only into the columns each table
had then.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    text,
)

from toolkit.store import Store, schema

FIXTURE = Path(__file__).parent / "fixtures" / "schema_073771b.py"

#: kind → (how it was made, the revision it is recognised as: None when revision 0001 itself
#: has to make the tables it lacks)
KINDS: dict[str, tuple[str, str | None]] = {
    "made_by_the_first_toolkit": (
        "the first toolkit (3d4a472), never opened since: five tables, audits without the "
        "practitioner's team and service",
        None,
    ),
    "made_by_21810ae_parent": (
        "an older toolkit (before a thematic audit could be completed), never opened since: "
        "no thematic_changes, no completed_at or completed_by",
        None,
    ),
    "columns_added_by_hand": (
        "the same, then opened by every toolkit since: the two columns added by hand with no "
        "foreign key (22b823c), thematic_changes and access_log made",
        "0002",
    ),
    "made_by_073771b": ("the schema before migrations (073771b)", "0001"),
    "made_by_current_main": (
        "the toolkit before migrations (ba0fc81): 073771b + access_log",
        "0002",
    ),
}
COMPLETION_COLUMNS = ("completed_at", "completed_by")
FIRST_TABLES = {"people", "audits", "answers", "changes", "actions"}


def schema_073771b() -> MetaData:
    """A fresh copy of 073771b's tables (a new module each time: tests may change it)."""
    spec = importlib.util.spec_from_file_location("schema_073771b", FIXTURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.metadata


def _with_access_log(metadata: MetaData) -> MetaData:
    """ba0fc81's access log, as it was then (frozen here: schema.py moves on)."""
    log = Table(
        "access_log",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("person_id", Integer, ForeignKey("people.id")),
        Column("actor", String(200), nullable=False),
        Column("action", String(40), nullable=False),
        Column("record_kind", String(40), nullable=False),
        Column("record_id", String(100)),
        Column("screen", String(200), nullable=False),
        Column("allowed", Boolean, nullable=False),
        Column("detail", Text),
    )
    Index("ix_access_log_record", log.c.record_kind, log.c.record_id, log.c.id)
    Index("ix_access_log_at", log.c.at)
    return metadata


def _older(tables: set[str], without: dict[str, tuple[str, ...]]) -> MetaData:
    """073771b's ``tables`` only, each without the columns ``without`` names for it, as an
    older toolkit made them."""
    whole, older = schema_073771b(), MetaData()
    for table in whole.sorted_tables:
        if table.name not in tables:
            continue
        if table.name not in without:
            table.to_metadata(older)
            continue
        kept = Table(
            table.name,
            older,
            *(
                Column(
                    c.name,
                    c.type,
                    *(ForeignKey(fk.target_fullname) for fk in c.foreign_keys),
                    primary_key=c.primary_key,
                    nullable=c.nullable,
                )
                for c in table.columns
                if c.name not in without[table.name]
            ),
        )
        for index in table.indexes:
            Index(index.name, *(kept.c[c.name] for c in index.columns))
    return older


def _before_completion() -> MetaData:
    """073771b's tables without thematic_changes, and thematic_audits without completion."""
    every = set(schema_073771b().tables) - {"thematic_changes"}
    return _older(every, {"thematic_audits": COMPLETION_COLUMNS})


def make(engine: Engine, kind: str) -> MetaData:
    """Make the tables of ``kind`` (see :data:`KINDS`); returns the metadata to fill them by."""
    if kind == "made_by_the_first_toolkit":
        made = _older(FIRST_TABLES, {"audits": ("team", "service")})
    elif kind == "made_by_073771b":
        made = schema_073771b()
    elif kind == "made_by_current_main":
        made = _with_access_log(schema_073771b())
    else:
        made = _before_completion()
    made.create_all(engine)
    if kind == "columns_added_by_hand":  # what 22b823c's ADDED_COLUMNS did, then create_all
        with engine.begin() as conn:
            stamp = DateTime(timezone=True).compile(dialect=engine.dialect)
            conn.execute(text(f"ALTER TABLE thematic_audits ADD COLUMN completed_at {stamp}"))
            conn.execute(text("ALTER TABLE thematic_audits ADD COLUMN completed_by INTEGER"))
        made = _with_access_log(schema_073771b())
        made.create_all(engine)  # the tables it lacked; the rest are left as they are
    return made


# --- rows ---------------------------------------------------------------------------------------


def toolkit_rows(tmp_path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every row of a store filled through the toolkit, by table (each table has some)."""
    from toolkit.demo.generate import generate
    from toolkit.demo.seed import seed_demo

    store = Store(f"sqlite:///{tmp_path / 'source.sqlite'}")
    try:
        seed_demo(store)
        generate(store, 30, seed=7)
        _add_the_rest(store)
        with store.engine.connect() as conn:
            rows = {
                t.name: [dict(r._mapping) for r in conn.execute(select(t).order_by(*t.primary_key))]
                for t in schema.metadata.sorted_tables
            }
    finally:
        store.close()
    empty = [name for name, found in rows.items() if not found]
    assert not empty, f"the source store has no rows in {empty}"
    return rows


def _add_the_rest(store: Store) -> None:
    """Supervision and thematic audits, with the text that is hard to keep: accents, quotes,
    new lines, emoji, JSON; a completed thematic audit; NULLs where allowed; the access log."""
    people = store.people()
    lead, other = people[0], people[1]
    with store.engine.connect() as conn:
        audit_id = conn.execute(select(func.min(schema.audits.c.id))).scalar_one()
    at = dt.datetime(2026, 3, 4, 9, 30, 15, 123456, tzinfo=dt.timezone.utc)
    awkward = 'Zoë\'s "plan" — next steps:\n1. school ✓\n2. 🏠 visit'
    with store.engine.begin() as conn:
        conn.execute(
            insert(schema.supervision_sessions),
            [
                dict(kind="ears", title=awkward, supervisor_id=lead.id, supervisee_id=other.id,
                     group_name=None, child_id="LL-7", audit_id=audit_id, demo=False,
                     started_at=at, updated_at=at),
                dict(kind="group_mapping", title="Group", supervisor_id=lead.id,
                     supervisee_id=None, group_name="Team 2", child_id=None, audit_id=None,
                     demo=True, started_at=at, updated_at=at),
            ],
        )  # fmt: skip
        conn.execute(
            insert(schema.supervision_notes),
            [
                dict(session_id=1, key="working_well.amplify.3.note", value=json.dumps(awkward),
                     revision=3, updated_by=lead.id, updated_at=at),
                dict(session_id=1, key="empty", value=None, revision=1, updated_by=lead.id,
                     updated_at=at),
            ],
        )  # fmt: skip
        conn.execute(
            insert(schema.supervision_ratings),
            [dict(session_id=2, participant="Ann O'Neil", value=7, reason=awkward,
                  updated_by=lead.id, updated_at=at)],
        )  # fmt: skip
        conn.execute(
            insert(schema.thematic_audits),
            [
                dict(authority="bexley", service_areas='["trf"]', child_id="LL-9",
                     auditor_id=lead.id, audit_id=None, state="in_progress", created_at=at,
                     updated_at=at, completed_at=None, completed_by=None),
                dict(authority="durham", service_areas='["a", "b"]', child_id="LL-10",
                     auditor_id=lead.id, audit_id=audit_id, state="complete", created_at=at,
                     updated_at=at, completed_at=at, completed_by=lead.id),
            ],
        )  # fmt: skip
        conn.execute(
            insert(schema.thematic_answers),
            [dict(thematic_audit_id=2, item_id="trf_e03", rating="met", evidence=awkward,
                  location="Case note 12/03", revision=2, updated_by=lead.id, updated_at=at)],
        )  # fmt: skip
        conn.execute(
            insert(schema.thematic_changes),
            [dict(thematic_audit_id=2, field_key="state", old_value=json.dumps("in_progress"),
                  new_value=json.dumps("complete"), changed_by=lead.id, changed_at=at)],
        )  # fmt: skip
        conn.execute(
            insert(schema.record_changes),
            [
                dict(kind="supervision_note", record_id=1, field_key="working_well.amplify.3.note",
                     old_value=None, new_value=json.dumps(awkward), changed_by=lead.id,
                     actor=lead.name, changed_at=at),
                dict(kind="calibration_score", record_id=4, field_key="area_7", old_value="3",
                     new_value="5", changed_by=None, actor="Zoë O'Neil", changed_at=at),
            ],
        )  # fmt: skip
    store.record_access(
        action="open", record_kind="audit", record_id=audit_id, screen="audit.ipynb", person=lead
    )
    store.record_access(
        action="export", record_kind="period_export", record_id=None, screen="cli:report",
        person=None, allowed=False, detail=awkward,
    )  # fmt: skip


def fill(engine: Engine, made: MetaData, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Plain inserts of ``rows`` into the tables ``made`` has, only the columns each had then;
    on PostgreSQL the id sequences are moved past them, as a live database's would be."""
    with engine.begin() as conn:
        for table in made.sorted_tables:
            found = rows.get(table.name, [])
            if found:
                names = set(table.c.keys())
                conn.execute(
                    insert(table), [{k: v for k, v in r.items() if k in names} for r in found]
                )
            if engine.dialect.name == "postgresql" and "id" in table.c and found:
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), :last)"),
                    {"last": max(r["id"] for r in found)},
                )


def snapshot(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the database has (``alembic_version`` aside), read back by
    reflection in primary-key order: what an upgrade must keep."""
    found = MetaData()
    found.reflect(engine)
    with engine.connect() as conn:
        return {
            t.name: [dict(r._mapping) for r in conn.execute(select(t).order_by(*t.primary_key))]
            for t in found.sorted_tables
            if t.name != "alembic_version"
        }
