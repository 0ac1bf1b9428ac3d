"""Moderations in the store: the sample drawn and allocated, and each moderator's answers.

Answers are saved the moment they are given, like the audit's, and each change goes into the
audit's append-only change log (keys ``moderation.<key>``) so the audit's history shows it.
Additional actions are rows of the audit's own ``actions`` table created by the moderator, so
they stay live after the moderation exactly as the auditor's do.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

import toolkit.store.schema as schema
from toolkit.core import lifecycle
from toolkit.core import moderation as rules
from toolkit.core.permissions import (
    AuditRecord,
    Person,
    check_moderator,
    check_organises_moderation,
)
from toolkit.core.profiles import audit_grade
from toolkit.core.validation import clean_answer
from toolkit.forms.loader import registry
from toolkit.forms.models import Field, Form
from toolkit.store.errors import InvalidAnswer, NotAllowed, NotFound
from toolkit.store.revisioned import Saved, audit_change_log, save_json_value
from toolkit.store.rows import inserted_id
from toolkit.store.store import Store, _clean_action, _jsonable
from toolkit.store.times import as_utc as _as_utc

MODERATION_FORM = "moderation"


@dataclass(frozen=True)
class ModerationRecord:
    id: int
    audit_id: int
    moderator_id: int
    selected_at: dt.datetime
    selection: str
    state: str
    agrees: bool | None
    moderator_grade: str | None
    agreed_grade: str | None
    actions_completed: str | None
    good_practice: str | None
    development: str | None
    completed_at: dt.datetime | None


def _moderation(row: Any) -> ModerationRecord:
    m = dict(row._mapping)
    for key in ("selected_at", "completed_at"):
        if m[key] is not None:
            m[key] = _as_utc(m[key])
    return ModerationRecord(**m)


def moderation_form() -> Form:
    return registry().latest(MODERATION_FORM)


def _to_column(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key == "agreement.agrees":
        return value == "Agree"
    if key == "audit_actions.actions_completed":
        return value.lower()
    return value


def _from_column(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key == "agreement.agrees":
        return "Agree" if value else "Disagree"
    if key == "audit_actions.actions_completed":
        return value.capitalize()
    return value


class Moderations:
    """Moderations kept in a :class:`Store` (its engine, transactions and change log)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- reading ------------------------------------------------------------------------------
    def get(self, moderation_id: int, reader: Person | None = None) -> ModerationRecord:
        with self.store.engine.connect() as conn:
            record = self._get(conn, moderation_id)
        if reader is not None:
            self._check_read(reader, record)
        return record

    def _get(self, conn: Connection, moderation_id: int) -> ModerationRecord:
        row = conn.execute(
            select(schema.moderations).where(schema.moderations.c.id == moderation_id)
        ).first()
        if row is None:
            raise NotFound(f"There is no moderation {moderation_id}.")
        return _moderation(row)

    @staticmethod
    def _check_read(reader: Person, record: ModerationRecord) -> None:
        if reader.id == record.moderator_id or "quality_assurance" in reader.roles:
            return
        raise NotAllowed(f"{reader.name} is not the moderator of moderation {record.id}.")

    def listed(self, reader: Person) -> list[ModerationRecord]:
        """A moderator's own moderations; every moderation for the people who organise them."""
        m = schema.moderations.c
        query = select(schema.moderations).order_by(m.state, m.id)
        if not reader.roles & {"quality_assurance", "business_support"}:
            query = query.where(m.moderator_id == reader.id)
        with self.store.engine.connect() as conn:
            return [_moderation(r) for r in conn.execute(query).all()]

    def for_audit(self, audit_id: int) -> list[ModerationRecord]:
        m = schema.moderations.c
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(schema.moderations).where(m.audit_id == audit_id).order_by(m.id)
            ).all()
        return [_moderation(r) for r in rows]

    def audit_for(self, moderation_id: int, reader: Person) -> AuditRecord:
        """The audit being moderated: its moderator may read it."""
        return self.store.audit(self.get(moderation_id, reader).audit_id)

    def values(self, moderation_id: int, reader: Person | None = None) -> dict[str, Any]:
        """Everything answered, by key: the audit form's scale keys and the moderation form's."""
        record = self.get(moderation_id, reader)
        c = schema.moderation_answers.c
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(c.field_key, c.value).where(c.moderation_id == moderation_id)
            ).all()
        values = {key: json.loads(value) for key, value in rows}
        for key, column in rules.FORM_COLUMNS.items():
            values[key] = _from_column(key, getattr(record, column))
        return values

    def grades(self, audit_id: int) -> rules.BothGrades:
        """The auditor's grade and, once a moderation is complete, the moderation's."""
        rating = self.store.answer_values(audit_id).get(lifecycle.OVERALL_RATING)
        auditor = audit_grade(rating)
        done = [m for m in self.for_audit(audit_id) if m.state == "complete"]
        if not done:
            return rules.BothGrades(auditor)
        last = done[-1]
        return rules.BothGrades(auditor, last.moderator_grade, last.agrees, last.agreed_grade, True)

    # --- selecting and allocating -------------------------------------------------------------
    def candidates(self, include_demo: bool = False) -> list[rules.Candidate]:
        """Completed audits not yet selected for moderation, with their grade."""
        a = schema.audits.c
        taken = select(schema.moderations.c.audit_id)
        query = select(schema.audits).where(a.state == "complete", a.id.not_in(taken))
        if not include_demo:
            query = query.where(a.demo.is_(False))
        with self.store.engine.connect() as conn:
            audits = conn.execute(query).all()
            ratings = dict(
                conn.execute(
                    select(schema.answers.c.audit_id, schema.answers.c.value).where(
                        schema.answers.c.field_key == lifecycle.OVERALL_RATING
                    )
                ).all()
            )
        found = []
        for row in audits:
            rating = json.loads(ratings[row.id]) if row.id in ratings else None
            found.append(
                rules.Candidate(
                    row.id,
                    row.auditor_id,
                    row.practitioner_id,
                    _as_utc(row.completed_at).date(),
                    audit_grade(rating),
                )
            )
        return found

    def select_and_allocate(
        self,
        person: Person,
        today: dt.date,
        share: float,
        seed: int,
        include_demo: bool = False,
    ) -> list[ModerationRecord]:
        """Draw the sample and allocate it to moderators in turn, all or nothing."""
        check_organises_moderation(person)
        chosen = rules.select_for_moderation(self.candidates(include_demo), today, share, seed)
        moderators = [p.id for p in self.store.people() if "moderator" in p.roles]
        pairs = rules.allocate(chosen, moderators)
        how = {s.audit_id: s.selection for s in chosen}
        ids = []
        with self.store.unit_of_work() as work:
            conn, stamp = work.conn, work.stamp
            for audit_id, moderator_id in pairs:
                result = conn.execute(
                    insert(schema.moderations).values(
                        audit_id=audit_id,
                        moderator_id=moderator_id,
                        selected_at=stamp,
                        selection=how[audit_id],
                        state="allocated",
                    )
                )
                ids.append(inserted_id(result))
                work.log_change(
                    audit_id, "moderation.moderator", None, json.dumps(moderator_id), person
                )
        return [self.get(i) for i in ids]

    # --- answering ----------------------------------------------------------------------------
    def field(self, key: str, audit: AuditRecord) -> Field:
        """The definition of a key a moderator answers (moderation form, or an audit scale)."""
        if key in rules.FORM_COLUMNS:
            return moderation_form().field(key)[2]
        if key in self.scale_keys(audit):
            return self.store.form_of(audit).field(key)[2]
        raise InvalidAnswer(f"A moderation has no answer '{key}'.")

    def scale_keys(self, audit: AuditRecord) -> list[str]:
        """What the moderator scales: every area scale of the audit, and the overall rating."""
        form = self.store.form_of(audit)
        return [*form.scale_keys("area_scale"), lifecycle.OVERALL_RATING]

    def save(
        self,
        moderation_id: int,
        key: str,
        value: Any,
        person: Person,
        expected_revision: int | None = None,
    ) -> Saved:
        """Validate and save one answer at once; returns what is now stored, its revision and
        whether a row was written. ``expected_revision`` is the revision the screen loaded
        (:meth:`revisions`): when someone saved the answer since, :class:`Conflict` is raised
        and nothing is written. Every answer is a revisioned row of ``moderation_answers``; the
        moderation form's own answers are kept in their columns of ``moderations`` too (what
        the reports read)."""
        with self.store.unit_of_work() as work:
            conn = work.conn
            record = self._get(conn, moderation_id)
            check_moderator(person, record.moderator_id, moderation_id, "change it")
            if record.state == "complete":
                raise NotAllowed(
                    f"Moderation {moderation_id} is complete; it can no longer change."
                )
            audit = work.audit(record.audit_id)
            clean = clean_answer(self.field(key, audit), value)
            saved = save_json_value(
                work,
                schema.moderation_answers,
                {"moderation_id": moderation_id, "field_key": key},
                clean,
                expected_revision=expected_revision,
                person=person,
                log=audit_change_log(work, record.audit_id, f"moderation.{key}", person),
            )
            if not saved.written:
                return saved
            if key in rules.FORM_COLUMNS:
                conn.execute(
                    update(schema.moderations)
                    .where(schema.moderations.c.id == moderation_id)
                    .values({rules.FORM_COLUMNS[key]: _to_column(key, clean)})
                )
            elif key == lifecycle.OVERALL_RATING:
                conn.execute(
                    update(schema.moderations)
                    .where(schema.moderations.c.id == record.id)
                    .values(moderator_grade=audit_grade(clean))
                )
        return saved

    def revisions(self, moderation_id: int) -> dict[str, int]:
        """The revision of every answer saved, by key (what a screen passes back to save)."""
        c = schema.moderation_answers.c
        with self.store.engine.connect() as conn:
            return dict(
                conn.execute(
                    select(c.field_key, c.revision).where(c.moderation_id == moderation_id)
                ).all()
            )

    def complete(self, moderation_id: int, person: Person) -> ModerationRecord:
        record = self.get(moderation_id)
        check_moderator(person, record.moderator_id, moderation_id, "complete it")
        if record.state == "complete":
            return record
        audit = self.store.audit(record.audit_id)
        problems = rules.completion_problems(self.values(moderation_id), self.scale_keys(audit))
        if problems:
            raise InvalidAnswer("The moderation cannot be completed yet: " + " ".join(problems))
        with self.store.unit_of_work() as work:
            conn, stamp = work.conn, work.stamp
            conn.execute(
                update(schema.moderations)
                .where(schema.moderations.c.id == moderation_id)
                .values(state="complete", completed_at=stamp)
            )
            work.log_change(
                record.audit_id,
                "moderation.state",
                json.dumps(record.state),
                json.dumps("complete"),
                person,
            )
        return self.get(moderation_id)

    # --- additional actions ---------------------------------------------------------------------
    def actions(self, moderation_id: int) -> list[dict[str, Any]]:
        """The additional actions this moderator recorded on the audit."""
        record = self.get(moderation_id)
        return [
            a
            for a in self.store.actions(record.audit_id)
            if a["created_by"] == record.moderator_id  # never the auditor: see rules.allocate
        ]

    def add_action(self, moderation_id: int, person: Person) -> int:
        record = self.get(moderation_id)
        check_moderator(person, record.moderator_id, moderation_id, "record actions")
        with self.store.unit_of_work() as work:
            conn, stamp = work.conn, work.stamp
            result = conn.execute(
                insert(schema.actions).values(
                    audit_id=record.audit_id,
                    created_by=person.id,
                    created_at=stamp,
                    updated_at=stamp,
                    what="",
                    who="",
                )
            )
            action_id = inserted_id(result)
            work.log_change(record.audit_id, f"action.{action_id}", None, json.dumps({}), person)
        return action_id

    def update_action(
        self, moderation_id: int, action_id: int, person: Person, **changes: Any
    ) -> None:
        """A moderator changes only the actions they recorded themselves."""
        record = self.get(moderation_id)
        check_moderator(person, record.moderator_id, moderation_id, "change actions")
        if action_id not in {a["id"] for a in self.actions(moderation_id)}:
            raise NotAllowed(f"Action {action_id} was not recorded in this moderation.")
        fields = _clean_action(changes)
        c = schema.actions.c
        with self.store.unit_of_work() as work:
            conn, stamp = work.conn, work.stamp
            row = conn.execute(select(schema.actions).where(c.id == action_id)).first()
            if row is None:  # checked above, outside this transaction
                raise NotFound(f"There is no action {action_id}.")
            conn.execute(
                update(schema.actions).where(c.id == action_id).values(updated_at=stamp, **fields)
            )
            work.log_change(
                record.audit_id,
                f"action.{action_id}",
                json.dumps(_jsonable({k: row._mapping[k] for k in fields})),
                json.dumps(_jsonable(fields)),
                person,
            )
