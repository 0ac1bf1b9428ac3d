"""Supervision sessions in the store: each note saved the moment it is typed, with a revision.

The same approach as audit answers: the supervisor (or facilitator) writes, the supervisee and
quality assurance read, and every write is checked here, not only by hiding buttons.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from toolkit.core.permissions import READ_ALL_ROLES, Person
from toolkit.core.text import check_text
from toolkit.core.validation import parse_date
from toolkit.store import schema
from toolkit.store.errors import InvalidAnswer, NotAllowed, NotFound
from toolkit.store.revisioned import record_change_log, save_json_value, save_revisioned
from toolkit.store.store import Store, check_child_id
from toolkit.store.store import _as_utc as _utc

KINDS = {
    "ears": "Individual supervision with EARS",
    "reflective_tool": "Reflective tool",
    "group_mapping": "Group case mapping",
    "quality_clinic": "Quality clinic",
    "practice_intensive": "Practice intensive",
    "learning_review": "Learning review",
}
#: who may lead a session; practitioners and business support take part but do not start one
SUPERVISOR_ROLES = frozenset({"manager", "auditor", "moderator", "quality_assurance", "trainer"})
GROUP_ROLES = ("facilitator", "advisor", "case_holder", "observer")
MAX_TEXT = 20000
MAX_ITEMS = 40
_KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
#: list notes and the fields each item holds
LIST_NOTES = {
    "participants": ("name", "role"),
    "actions": ("what", "who", "when"),
    "pairs": ("danger", "goal"),
}


@dataclass(frozen=True)
class SessionRecord:
    id: int
    kind: str
    title: str
    supervisor_id: int
    supervisee_id: int | None
    group_name: str | None
    child_id: str | None
    audit_id: int | None
    demo: bool
    started_at: dt.datetime
    updated_at: dt.datetime

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def part_of(self, person_id: int) -> str | None:
        if person_id == self.supervisor_id:
            return "supervisor"
        if person_id == self.supervisee_id:
            return "supervisee"
        return None


@dataclass(frozen=True)
class Note:
    value: Any
    revision: int
    updated_by: int
    updated_at: dt.datetime
    #: False when the save found this value stored already and wrote nothing
    written: bool = True


@dataclass(frozen=True)
class Rating:
    participant: str
    value: int
    reason: str
    revision: int = 0
    written: bool = True


# --- permissions -----------------------------------------------------------------------------
def check_read(person: Person, session: SessionRecord) -> None:
    if session.part_of(person.id) or person.roles & READ_ALL_ROLES:
        return
    raise NotAllowed(f"{person.name} is not part of supervision session {session.id}.")


def check_edit(person: Person, session: SessionRecord) -> None:
    if session.part_of(person.id) != "supervisor":
        raise NotAllowed(
            f"Only the supervisor of session {session.id} can write in it; "
            f"{person.name} can read it."
        )


# --- validation (pure) -----------------------------------------------------------------------
def _text(value: Any, what: str, limit: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    return check_text(value, label=what, max_length=limit)


def clean_note(key: str, value: Any) -> Any:
    """The note as it will be stored (JSON-ready), or :class:`InvalidAnswer` saying why not.

    Keys ending ``.asked`` or ``.met`` are ticks (true/false); ``participants``, ``actions`` and
    ``pairs`` are lists of small records; every other note is text. ``None`` clears a note.
    """
    if not isinstance(key, str) or len(key) > 200 or not _KEY.match(key):
        raise InvalidAnswer(f"{key!r} is not a note this toolkit keeps.")
    if value is None:
        return None
    if key.endswith((".asked", ".met")):
        if not isinstance(value, bool):
            raise InvalidAnswer("A tick is yes or no.")
        return value
    if key in LIST_NOTES:
        return _clean_list(key, value)
    return _text(value, "A note")


def _clean_list(key: str, value: Any) -> list[dict[str, str]]:
    fields = LIST_NOTES[key]
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise InvalidAnswer(f"The {key} must be a list of at most {MAX_ITEMS}.")
    clean = []
    for item in value:
        if not isinstance(item, dict) or set(item) - set(fields):
            raise InvalidAnswer(f"Each of the {key} has only {', '.join(fields)}.")
        row = {f: _text(item.get(f), f"The {f}", 5000) for f in fields}
        if key == "participants":
            row["name"] = row["name"].strip()
            if not row["name"]:
                raise InvalidAnswer("Each participant needs a name.")
            if row["role"] not in GROUP_ROLES:
                raise InvalidAnswer(
                    f"A participant's role is one of {', '.join(GROUP_ROLES)}, not {row['role']!r}."
                )
        if key == "actions" and row["when"]:
            day = parse_date(row["when"], "The action's date")
            row["when"] = day.isoformat() if day else ""
        clean.append(row)
    if key == "participants":
        names = [r["name"].casefold() for r in clean]
        if len(set(names)) != len(names):
            raise InvalidAnswer(
                "Two participants have the same name; add an initial to tell them apart."
            )
    return clean


def check_rating(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise InvalidAnswer(f"A rating is a whole number from 0 to 10, not {value!r}.")
    return value


# --- the store -------------------------------------------------------------------------------
class SupervisionStore:
    """Sessions, notes and ratings, on the toolkit's :class:`Store` (same engine, same errors)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    # sessions ---------------------------------------------------------------------------------
    def create_session(
        self,
        kind: str,
        supervisor: Person,
        *,
        title: str = "",
        supervisee: Person | None = None,
        group_name: str | None = None,
        child_id: str | None = None,
        audit_id: int | None = None,
        demo: bool = False,
    ) -> SessionRecord:
        if kind not in KINDS:
            raise InvalidAnswer(f"There is no kind of session called {kind!r}.")
        if not supervisor.roles & SUPERVISOR_ROLES:
            raise NotAllowed(
                f"{supervisor.name} does not lead supervision, so cannot start a session."
            )
        if supervisee is not None and supervisee.id == supervisor.id:
            raise InvalidAnswer("The supervisor and the supervisee must be different people.")
        if audit_id is not None:
            audit = self.store.audit(audit_id, supervisor)  # NotAllowed when not theirs to read
            if audit.state != "complete":
                raise InvalidAnswer(f"Audit {audit_id} is not complete yet.")
            child_id = child_id or audit.child_id
        with self.store.unit_of_work() as work:
            conn, stamp = work.conn, work.stamp
            session_id = conn.execute(
                insert(schema.supervision_sessions).values(
                    kind=kind,
                    title=_text(title, "The title", 300).strip(),
                    supervisor_id=supervisor.id,
                    supervisee_id=supervisee.id if supervisee else None,
                    group_name=_text(group_name, "The group", 200).strip() or None,
                    child_id=check_child_id(child_id) if child_id else None,
                    audit_id=audit_id,
                    demo=demo,
                    started_at=stamp,
                    updated_at=stamp,
                )
            ).inserted_primary_key[0]
        return self.session(session_id)

    def session(self, session_id: int, reader: Person | None = None) -> SessionRecord:
        with self.engine.connect() as conn:
            record = self._session(conn, session_id)
        if reader is not None:
            check_read(reader, record)
        return record

    def _session(self, conn: Connection, session_id: int) -> SessionRecord:
        t = schema.supervision_sessions
        row = conn.execute(select(t).where(t.c.id == session_id)).first()
        if row is None:
            raise NotFound(f"There is no supervision session {session_id}.")
        return _record(row)

    def sessions_for(
        self,
        person: Person,
        *,
        supervisee_id: int | None = None,
        child_id: str | None = None,
        kind: str | None = None,
    ) -> list[SessionRecord]:
        """The sessions a person leads or is supervised in, newest first (all of them for
        quality assurance)."""
        t = schema.supervision_sessions.c
        query = select(schema.supervision_sessions).order_by(t.started_at.desc(), t.id.desc())
        if not person.roles & READ_ALL_ROLES:
            query = query.where(or_(t.supervisor_id == person.id, t.supervisee_id == person.id))
        if supervisee_id is not None:
            query = query.where(t.supervisee_id == supervisee_id)
        if child_id:
            query = query.where(t.child_id == child_id.strip())
        if kind:
            query = query.where(t.kind == kind)
        with self.engine.connect() as conn:
            return [_record(r) for r in conn.execute(query).all()]

    # notes ------------------------------------------------------------------------------------
    def notes(self, session_id: int, reader: Person | None = None) -> dict[str, Note]:
        if reader is not None:
            self.session(session_id, reader)
        n = schema.supervision_notes.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(schema.supervision_notes).where(n.session_id == session_id)
            ).all()
        return {
            r.key: Note(json.loads(r.value), r.revision, r.updated_by, _utc(r.updated_at))
            for r in rows
        }

    def note_values(self, session_id: int, reader: Person | None = None) -> dict[str, Any]:
        return {k: n.value for k, n in self.notes(session_id, reader).items()}

    def save_note(
        self,
        session_id: int,
        key: str,
        value: Any,
        person: Person,
        expected_revision: int | None = None,
    ) -> Note:
        """Validate and save one note; :class:`Conflict` when someone saved it since it was
        loaded."""
        clean = clean_note(key, value)
        with self.store.unit_of_work() as work:
            check_edit(person, self._session(work.conn, session_id))
            saved = save_json_value(
                work,
                schema.supervision_notes,
                {"session_id": session_id, "key": key},
                clean,
                expected_revision=expected_revision,
                person=person,
                log=record_change_log(work, "supervision_note", session_id, key, person),
                what="this note",
            )
            if saved.written:
                self._touch(work.conn, session_id, work.stamp)
        assert saved.updated_by is not None
        assert saved.updated_at is not None
        return Note(saved.value, saved.revision, saved.updated_by, saved.updated_at, saved.written)

    def _touch(self, conn: Connection, session_id: int, stamp: dt.datetime) -> None:
        t = schema.supervision_sessions
        conn.execute(update(t).where(t.c.id == session_id).values(updated_at=stamp))

    # ratings ----------------------------------------------------------------------------------
    def ratings(self, session_id: int, reader: Person | None = None) -> list[Rating]:
        if reader is not None:
            self.session(session_id, reader)
        r = schema.supervision_ratings.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(schema.supervision_ratings)
                .where(r.session_id == session_id)
                .order_by(r.participant)
            ).all()
        return [Rating(row.participant, row.value, row.reason, row.revision) for row in rows]

    def save_rating(
        self,
        session_id: int,
        participant: str,
        value: Any,
        reason: str,
        person: Person,
        expected_revision: int | None = None,
    ) -> Rating:
        """A participant's rating on the session's safety scale, once both its ends are defined;
        :class:`Conflict` when someone saved it since it was loaded (``expected_revision``)."""
        value = check_rating(value)
        reason = _text(reason, "The reason", 5000)
        with self.store.unit_of_work() as work:
            conn, stamp = work.conn, work.stamp
            check_edit(person, self._session(conn, session_id))
            notes = {
                k: json.loads(v)
                for k, v in conn.execute(
                    select(schema.supervision_notes.c.key, schema.supervision_notes.c.value).where(
                        schema.supervision_notes.c.session_id == session_id
                    )
                ).all()
            }
            if (
                not (notes.get("scale.zero") or "").strip()
                or not (notes.get("scale.ten") or "").strip()
            ):
                raise InvalidAnswer(
                    "Say what 0 and what 10 mean on this scale before anyone rates."
                )
            names = [p["name"] for p in notes.get("participants") or []]
            if participant not in names:
                raise InvalidAnswer(f"{participant!r} is not one of this session's participants.")
            saved = save_revisioned(
                work,
                schema.supervision_ratings,
                {"session_id": session_id, "participant": participant},
                {"value": value, "reason": reason},
                expected_revision=expected_revision,
                person=person,
                log=record_change_log(work, "supervision_rating", session_id, participant, person),
                what=f"{participant}'s rating",
            )
            if saved.written:
                self._touch(conn, session_id, stamp)
        return Rating(participant, value, reason, saved.revision, saved.written)


def _record(row: Any) -> SessionRecord:
    m = dict(row._mapping)
    m["started_at"], m["updated_at"] = _utc(m["started_at"]), _utc(m["updated_at"])
    return SessionRecord(**m)
