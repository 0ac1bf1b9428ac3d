"""Supervision sessions in the store: each note saved the moment it is typed, with a revision.

The same approach as audit answers: the supervisor (or facilitator) writes, the supervisee and
quality assurance read, and every write is checked here, not only by hiding buttons.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import toolkit.store.supervision as stored
from toolkit.core.permissions import READ_ALL_ROLES, Person
from toolkit.core.text import check_text
from toolkit.core.validation import parse_date
from toolkit.store.errors import InvalidAnswer, NotAllowed
from toolkit.store.store import Store, check_child_id

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
        session_id = stored.insert_session(
            self.store,
            {
                "kind": kind,
                "title": _text(title, "The title", 300).strip(),
                "supervisor_id": supervisor.id,
                "supervisee_id": supervisee.id if supervisee else None,
                "group_name": _text(group_name, "The group", 200).strip() or None,
                "child_id": check_child_id(child_id) if child_id else None,
                "audit_id": audit_id,
                "demo": demo,
            },
        )
        return self.session(session_id)

    def session(self, session_id: int, reader: Person | None = None) -> SessionRecord:
        record = SessionRecord(**stored.session(self.store, session_id))
        if reader is not None:
            check_read(reader, record)
        return record

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
        found = stored.sessions(
            self.store,
            of_person=None if person.roles & READ_ALL_ROLES else person.id,
            supervisee_id=supervisee_id,
            child_id=child_id,
            kind=kind,
        )
        return [SessionRecord(**m) for m in found]

    # notes ------------------------------------------------------------------------------------
    def notes(self, session_id: int, reader: Person | None = None) -> dict[str, Note]:
        if reader is not None:
            self.session(session_id, reader)
        return {k: Note(*n) for k, n in stored.notes(self.store, session_id).items()}

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

        def check(session: dict[str, Any]) -> None:
            check_edit(person, SessionRecord(**session))

        saved = stored.save_note(
            self.store, session_id, key, clean, person, expected_revision, check
        )
        assert saved.updated_by is not None
        assert saved.updated_at is not None
        return Note(saved.value, saved.revision, saved.updated_by, saved.updated_at, saved.written)

    # ratings ----------------------------------------------------------------------------------
    def ratings(self, session_id: int, reader: Person | None = None) -> list[Rating]:
        if reader is not None:
            self.session(session_id, reader)
        return [Rating(*r) for r in stored.ratings(self.store, session_id)]

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

        def check(session: dict[str, Any], notes: dict[str, Any]) -> None:
            check_edit(person, SessionRecord(**session))
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

        saved = stored.save_rating(
            self.store, session_id, participant, value, reason, person, expected_revision, check
        )
        return Rating(participant, value, reason, saved.revision, saved.written)
