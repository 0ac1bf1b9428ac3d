"""The store: every answer saved the moment it is given, with who, when and a revision.

SQLite (WAL) in the data directory by default; any SQLAlchemy URL, PostgreSQL included.
All writes go through here so permissions and validation cannot be skipped by a screen.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, or_, select, update

import toolkit.store.access as access
import toolkit.store.change_log as change_log
import toolkit.store.schema as schema
import toolkit.store.statements as statements
import toolkit.store.upgrade as upgrade
from toolkit import config
from toolkit.core import lifecycle
from toolkit.core.audit_rules import pairing_problems, refusal, under_way_problem
from toolkit.core.permissions import (
    READ_ALL_ROLES,
    SERVICE_READ_ROLES,
    AuditRecord,
    Person,
    check_action_change,
    check_auditor,
    check_edit,
    check_read,
)
from toolkit.core.text import check_text
from toolkit.core.validation import clean_answer, parse_date
from toolkit.forms.loader import registry
from toolkit.forms.models import Field, FieldKind, Form, Group, Section
from toolkit.store.change_log import CHANGE_BURST_SECONDS
from toolkit.store.errors import (
    Conflict,
    InvalidAnswer,
    NotAllowed,
    NotFound,
    SaveFailed,
)
from toolkit.store.revisioned import Saved, audit_change_log, save_json_value
from toolkit.store.rows import action_row, audit_record, find_audit, inserted_id, person_row
from toolkit.store.times import as_utc as _as_utc
from toolkit.store.unit_of_work import UnitOfWork, now, unit_of_work

log = logging.getLogger("toolkit.store")

CHILD_ID_FIELD = "personal_details.liquidlogic_id"
ACTION_FIELDS = ("what", "who", "due", "status", "completion_note", "immediate")
ACTION_STATUSES = ("open", "done", "cancelled")


@dataclass(frozen=True)
class Answer:
    value: Any
    revision: int
    updated_by: int
    updated_at: dt.datetime
    #: False when the save found this value stored already and wrote nothing
    written: bool = True


#: How long a save waits for another writer before telling the user the database is busy.
BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable across a killed process, fast commits
    cursor.execute("PRAGMA foreign_keys=ON")
    # wait for another writer rather than fail at once
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine as the store uses it: SQLite in WAL mode waiting for a busy writer, and
    PostgreSQL giving up on a lock after the same time."""
    engine = create_engine(
        url,
        future=True,
        pool_pre_ping=not url.startswith("sqlite"),
        # PostgreSQL waits for a lock for ever by default: give up like SQLite does
        connect_args={"options": f"-c lock_timeout={BUSY_TIMEOUT_MS}"}
        if url.startswith("postgresql")
        else {},
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Store:
    def __init__(self, url: str | None = None, engine: Engine | None = None):
        self.url = url or config.database_url()
        self.engine = engine if engine is not None else make_engine(self.url)
        try:
            self._check_schema()
        except upgrade.SchemaNotReady:
            self.engine.dispose()
            raise

    def _check_schema(self) -> None:
        """Use the database as it is when it is at this toolkit's schema revision (two small
        queries, no DDL). The embedded SQLite store belongs to whoever runs it, so it is
        upgraded here (once, however many pages open it at the same moment); on PostgreSQL only
        the owner changes the schema, so a database behind is explained, never attempted (it
        would fail with a permission error under the servers' role). A database a newer
        toolkit upgraded is refused on both
        (:class:`toolkit.core.errors.SchemaNewerThanToolkit`)."""
        if self.engine.dialect.name == "sqlite":
            upgrade.bring_up_to_date(self.engine)
        else:
            upgrade.check_at_head(self.engine)

    # --- plumbing ---------------------------------------------------------------------------
    def unit_of_work(self, stamp: dt.datetime | None = None) -> AbstractContextManager[UnitOfWork]:
        """One transaction with its moment and change log (:mod:`toolkit.store.unit_of_work`);
        a database failure becomes :class:`SaveFailed` with nothing written."""
        return unit_of_work(self.engine, stamp)

    def close(self) -> None:
        self.engine.dispose()

    # --- people -----------------------------------------------------------------------------
    def add_person(
        self,
        name: str,
        roles: Iterable[str],
        *,
        username: str | None = None,
        email: str | None = None,
        team: str | None = None,
        service: str | None = None,
    ) -> Person:
        with self.unit_of_work() as work:
            conn = work.conn
            result = conn.execute(
                insert(schema.people).values(
                    name=name,
                    roles=",".join(sorted(set(roles))),
                    username=username,
                    email=email,
                    team=team,
                    service=service,
                )
            )
            pid = inserted_id(result)
        return self.person(pid)

    def person(self, person_id: int) -> Person:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.people).where(schema.people.c.id == person_id)).first()
        if row is None:
            raise NotFound(f"No person with id {person_id}.")
        return person_row(row)

    def person_by_username(self, username: str) -> Person:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.people).where(schema.people.c.username == username)
            ).first()
        if row is None:
            raise NotFound(f"{username!r} is not in the people register.")
        return person_row(row)

    def people(self) -> list[Person]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.people).order_by(schema.people.c.name)).all()
        return [person_row(r) for r in rows]

    # --- audits -----------------------------------------------------------------------------
    def create_audit(
        self,
        form: Form,
        *,
        child_id: str,
        auditor: Person,
        practitioner: Person,
        manager: Person | None = None,
        staying_together: Person | None = None,
        created_by: Person,
        demo: bool = False,
    ) -> AuditRecord:
        """A new audit in the *allocated* state, with the names and child's ID filled in."""
        with self.unit_of_work() as work:
            conn = work.conn
            audit_id = self._insert_audit(
                conn,
                form,
                child_id,
                auditor,
                practitioner,
                manager,
                staying_together,
                created_by,
                demo,
                _audits_under_way(conn, [child_id]),
            )
        return self.audit(audit_id)

    def create_audits(
        self, form: Form, allocations: Iterable[dict[str, Any]], created_by: Person
    ) -> list[int]:
        """Many audits in one transaction: all are created or none (an allocation spreadsheet).
        Each allocation has the keyword arguments of :meth:`create_audit`."""
        known = form.fields()
        allocations = list(allocations)
        with self.unit_of_work() as work:
            conn = work.conn
            under_way = _audits_under_way(conn, [a["child_id"] for a in allocations])
            return [
                self._insert_audit(
                    conn,
                    form,
                    a["child_id"],
                    a["auditor"],
                    a["practitioner"],
                    a.get("manager"),
                    a.get("staying_together"),
                    created_by,
                    a.get("demo", False),
                    under_way,
                    known,
                )
                for a in allocations
            ]

    def _insert_audit(
        self,
        conn: Connection,
        form: Form,
        child_id: str,
        auditor: Person,
        practitioner: Person,
        manager: Person | None,
        staying_together: Person | None,
        created_by: Person,
        demo: bool,
        under_way: dict[str, int],
        known: dict[str, tuple[Section, Group, Field]] | None = None,
    ) -> int:
        """Insert one audit; ``under_way`` (child's ID in upper case → audit not complete) is
        read once per transaction and kept up to date here."""
        child_id = check_child_id(child_id)
        problems = pairing_problems(auditor, practitioner, staying_together)
        if child_id.upper() in under_way:
            problems.append(under_way_problem(child_id, under_way[child_id.upper()]))
        if problems:  # allocation's rules, the same for one audit as for a spreadsheet
            log.warning(
                "Refused an audit of %s by %s (%s, created by %s): %s",
                child_id,
                auditor.name,
                practitioner.name,
                created_by.name,
                "; ".join(problems),
            )
            raise InvalidAnswer(refusal(problems))
        stamp = now()
        result = conn.execute(
            insert(schema.audits),  # bound parameters: one compiled statement for many audits
            dict(
                form_id=form.id,
                form_version=form.version,
                child_id=child_id,
                auditor_id=auditor.id,
                practitioner_id=practitioner.id,
                manager_id=manager.id if manager else None,
                staying_together_id=staying_together.id if staying_together else None,
                state="allocated",
                team=practitioner.team,
                service=practitioner.service,
                demo=demo,
                created_at=stamp,
                updated_at=stamp,
            ),
        )
        audit_id = inserted_id(result)
        under_way[child_id.upper()] = audit_id
        prefill = {
            "people.auditor_name": auditor.name,
            "people.practitioner_name": practitioner.name,
            "people.manager_name": manager.name if manager else None,
            "people.staying_together_name": staying_together.name if staying_together else None,
            CHILD_ID_FIELD: child_id,
        }
        known = form.fields() if known is None else known
        rows = [
            {
                "audit_id": audit_id,
                "field_key": key,
                "value": json.dumps(value),
                "revision": 1,
                "updated_by": created_by.id,
                "updated_at": stamp,
            }
            for key, value in prefill.items()
            if value is not None and key in known
        ]
        if rows:
            conn.execute(insert(schema.answers), rows)
        return audit_id

    def audit(self, audit_id: int, reader: Person | None = None) -> AuditRecord:
        with self.engine.connect() as conn:
            record = find_audit(conn, audit_id)
        if reader is not None:
            try:
                check_read(reader, record)
            except NotAllowed:
                if not self._moderates(reader, audit_id):
                    raise
        return record

    def _moderates(self, person: Person, audit_id: int) -> bool:
        """A moderator may read the audits allocated to them for moderation."""
        m = schema.moderations.c
        with self.engine.connect() as conn:
            found = conn.execute(
                select(m.id).where(m.audit_id == audit_id, m.moderator_id == person.id).limit(1)
            ).first()
        return found is not None

    def audits_for(self, person: Person, include_demo: bool = False) -> list[AuditRecord]:
        """The audits a person is part of (all audits for quality assurance), newest first."""
        a = schema.audits.c
        query = select(schema.audits).order_by(a.updated_at.desc(), a.id.desc())
        if not person.roles & READ_ALL_ROLES:  # the same rule as check_read
            mine = [
                a.auditor_id == person.id,
                a.practitioner_id == person.id,
                a.staying_together_id == person.id,
                a.manager_id == person.id,
            ]
            if "manager" in person.roles and person.team:  # permissions.reads_by_role
                mine.append(a.team == person.team)
            if person.roles & SERVICE_READ_ROLES and person.service:
                mine.append(a.service == person.service)
            query = query.where(or_(*mine))
        if not include_demo:
            query = query.where(a.demo.is_(False))
        with self.engine.connect() as conn:
            return [audit_record(r) for r in conn.execute(query).all()]

    def form_of(self, audit: AuditRecord) -> Form:
        return registry().get(audit.form_id, audit.form_version)

    # --- answers ----------------------------------------------------------------------------
    def answers(self, audit_id: int, reader: Person | None = None) -> dict[str, Answer]:
        if reader is not None:
            self.audit(audit_id, reader)
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(schema.answers).where(schema.answers.c.audit_id == audit_id)
            ).all()
        return {
            r.field_key: Answer(
                json.loads(r.value), r.revision, r.updated_by, _as_utc(r.updated_at)
            )
            for r in rows
        }

    def answer_values(self, audit_id: int) -> dict[str, Any]:
        return {key: a.value for key, a in self.answers(audit_id).items()}

    def save_answer(
        self,
        audit_id: int,
        field_key: str,
        value: Any,
        person: Person,
        expected_revision: int | None = None,
    ) -> Answer:
        """Validate and save one answer at once; returns what is now stored.

        ``expected_revision`` is the revision the screen loaded (0 for none): when someone else
        saved the field since, :class:`Conflict` is raised and nothing is overwritten.
        """
        with self.unit_of_work() as work:
            conn, stamp = work.conn, work.stamp
            audit = work.audit(audit_id)
            form = self.form_of(audit)
            try:
                section, _, field = form.field(field_key)
            except KeyError as exc:
                raise InvalidAnswer(str(exc.args[0])) from None
            if field.kind in (FieldKind.statement, FieldKind.actions):
                raise InvalidAnswer(f"'{field_key}' is not answered directly")
            check_edit(person, audit, field.editable_by or section.editable_by)
            clean = clean_answer(field, value)
            if field_key == CHILD_ID_FIELD and clean is not None:
                clean = check_child_id(clean)  # it is also the audit's reference to the file
            saved = save_json_value(
                work,
                schema.answers,
                {"audit_id": audit_id, "field_key": field_key},
                clean,
                expected_revision=expected_revision,
                person=person,
                log=audit_change_log(work, audit_id, field_key, person),
            )
            if not saved.written:
                return _answer(saved)
            new_state = lifecycle.state_after_answer(audit.state, section.id, field_key, clean)
            changed = {"state": new_state, "updated_at": stamp}
            if field_key == CHILD_ID_FIELD and clean:
                changed["child_id"] = clean
            touched = statements.update_where(schema.audits, ("id",), tuple(changed))
            conn.execute(touched, {"k_id": audit_id} | statements.at("p_", changed))
        return _answer(saved)

    def history(self, audit_id: int, reader: Person) -> list[dict[str, Any]]:
        """The audit's changes, oldest first, a burst of typing as one entry."""
        self.audit(audit_id, reader)
        with self.engine.connect() as conn:
            return change_log.read(conn, audit_id)

    # --- actions ----------------------------------------------------------------------------
    def actions(self, audit_id: int) -> list[dict[str, Any]]:
        c = schema.actions.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(schema.actions).where(c.audit_id == audit_id).order_by(c.id)
            ).all()
        return [action_row(r) for r in rows]

    def add_action(
        self,
        audit_id: int,
        person: Person,
        what: str = "",
        who: str = "",
        due: Any = None,
        immediate: bool = False,
    ) -> int:
        fields = _clean_action({"what": what, "who": who, "due": due, "immediate": immediate})
        with self.unit_of_work() as work:
            conn, stamp = work.conn, work.stamp
            audit = work.audit(audit_id)
            check_auditor(person, audit, "record actions")
            result = conn.execute(
                insert(schema.actions).values(
                    audit_id=audit_id,
                    created_by=person.id,
                    created_at=stamp,
                    updated_at=stamp,
                    **fields,
                )
            )
            action_id = inserted_id(result)
            work.log_change(
                audit_id, f"action.{action_id}", None, json.dumps(_jsonable(fields)), person
            )
        return action_id

    def update_action(self, action_id: int, person: Person, **changes: Any) -> dict[str, Any]:
        unknown = set(changes) - set(ACTION_FIELDS)
        if unknown:
            raise InvalidAnswer(f"Actions have no {', '.join(sorted(unknown))}")
        fields = _clean_action(changes)
        c = schema.actions.c
        with self.unit_of_work() as work:
            conn, stamp = work.conn, work.stamp
            row = conn.execute(select(schema.actions).where(c.id == action_id)).first()
            if row is None:
                raise NotFound(f"There is no action {action_id}.")
            audit = work.audit(row.audit_id)
            check_action_change(person, audit, fields)
            conn.execute(
                update(schema.actions).where(c.id == action_id).values(updated_at=stamp, **fields)
            )
            old = {k: row._mapping[k] for k in fields}
            work.log_change(
                row.audit_id,
                f"action.{action_id}",
                json.dumps(_jsonable(old)),
                json.dumps(_jsonable(fields)),
                person,
            )
            new_row = conn.execute(select(schema.actions).where(c.id == action_id)).first()
        return action_row(new_row)

    def remove_action(self, action_id: int, person: Person) -> None:
        """An action is cancelled rather than deleted, so the record keeps it."""
        self.update_action(action_id, person, status="cancelled")

    # --- completing ---------------------------------------------------------------------------
    def mark_complete(
        self,
        work: UnitOfWork,
        audit_id: int,
        person: Person,
        skipped: Mapping[str, str] | None = None,
    ) -> dict[str, Any] | None:
        """Inside ``work``: check the auditor may complete the audit and nothing is missing
        (:func:`toolkit.core.lifecycle.completion_problems`; every item of the checklist
        answered or in ``skipped`` with a reason, which is saved), mark it complete and log it.
        Returns its answers, for what completion decides next (the follow-up and any
        escalation, :mod:`toolkit.audit.completion`), or None when the audit was complete
        already. Complete audits through :func:`toolkit.audit.completion.complete_audit`,
        which does all of it."""
        conn, stamp = work.conn, work.stamp
        audit = work.audit(audit_id)
        check_auditor(person, audit, "complete the audit")
        if audit.state == "complete":
            return None
        values = {
            k: json.loads(v)
            for k, v in conn.execute(
                select(schema.answers.c.field_key, schema.answers.c.value).where(
                    schema.answers.c.audit_id == audit_id
                )
            ).all()
        }
        live_actions = [
            dict(r._mapping)
            for r in conn.execute(
                select(schema.actions).where(
                    schema.actions.c.audit_id == audit_id,
                    schema.actions.c.status != "cancelled",
                )
            ).all()
        ]
        form = self.form_of(audit)
        problems = lifecycle.completion_problems(values, live_actions, form)
        if problems:
            raise InvalidAnswer("The audit cannot be completed yet: " + " ".join(problems))
        skipped = {
            k: check_text(v or "", label="A reason", max_length=2000).strip()
            for k, v in (skipped or {}).items()
        }
        items = lifecycle.unanswered(form, values)
        missing = [u for u in items if not skipped.get(u.item)]
        if missing:
            raise InvalidAnswer(
                "The audit cannot be completed yet: answer these, or skip each with a reason: "
                + "; ".join(u.label for u in missing)
                + "."
            )
        for u in items:
            conn.execute(
                insert(schema.completion_skips).values(
                    audit_id=audit_id,
                    item=u.item,
                    reason=skipped[u.item],
                    skipped_by=person.id,
                    skipped_at=stamp,
                )
            )
            work.log_change(audit_id, f"skip.{u.item}", None, json.dumps(skipped[u.item]), person)
        conn.execute(
            update(schema.audits)
            .where(schema.audits.c.id == audit_id)
            .values(state="complete", completed_at=stamp, updated_at=stamp)
        )
        work.log_change(audit_id, "state", json.dumps(audit.state), json.dumps("complete"), person)
        return values

    def completion_skips(self, audit_id: int) -> list[dict[str, Any]]:
        """What the auditor left unanswered when completing, and why, in checklist order."""
        c = schema.completion_skips.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(c.item, c.reason, c.skipped_by, c.skipped_at)
                .where(c.audit_id == audit_id)
                .order_by(c.id)
            ).all()
        return [{**r._mapping, "skipped_at": _as_utc(r.skipped_at)} for r in rows]

    # --- who looked (toolkit/store/access.py) ---------------------------------------------------
    def record_access(self, **fields: Any) -> None:
        """Append one row to the access log (see :func:`toolkit.store.access.record_access`)."""
        access.record_access(self.engine, **fields)

    def looking(self, **fields: Any) -> AbstractContextManager[None]:
        """Around the read that opens a record: one row, allowed or refused (see
        :func:`toolkit.store.access.looking`)."""
        return access.looking(self.engine, **fields)

    def access_log(self, reader: Person | None, **filters: Any) -> list[access.Access]:
        """The access log, for quality assurance (the whole log) or, given ``record_id`` of an
        audit, for that audit's auditor too."""
        audit = None
        if filters.get("record_kind") == "audit" and filters.get("record_id") is not None:
            audit = self.audit(int(filters["record_id"]))
        access.check_reads_log(reader, audit)
        return access.read_access_log(self.engine, **filters)

    def audit_openings(
        self, reader: Person | None, audit_id: int, limit: int | None = None
    ) -> list[access.Access]:
        """Who has opened, downloaded or been refused this audit, newest first: the audit's own
        rows and those of the records that show it (:meth:`records_showing`). For quality
        assurance and the audit's auditor only."""
        access.check_reads_log(reader, self.audit(audit_id))
        return access.read_access_log(
            self.engine, records=self.records_showing(audit_id), newest_first=True, limit=limit
        )

    def records_showing(self, audit_id: int) -> list[tuple[str, int]]:
        """(kind, id) of the records whose opening shows this audit: it, its moderations (the
        whole audit beside the form) and the supervision sessions that follow it (its
        findings)."""
        m, s = schema.moderations.c, schema.supervision_sessions.c
        with self.engine.connect() as conn:
            moderations = conn.execute(select(m.id).where(m.audit_id == audit_id)).scalars().all()
            sessions = conn.execute(select(s.id).where(s.audit_id == audit_id)).scalars().all()
        return [
            ("audit", audit_id),
            *(("moderation", mid) for mid in moderations),
            *(("supervision_session", sid) for sid in sessions),
        ]

    def access_log_for_admin(self, **filters: Any) -> list[access.Access]:
        """The log for the administrator's command line (no person: the OS account decides)."""
        return access.read_access_log(self.engine, **filters)

    def count_audits(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.audits)).scalar_one()

    # --- changing a completed audit's grade ------------------------------------------------------
    def change_completed_grade(
        self, audit_id: int, new_rating: Any, reason: str, person: Person
    ) -> Answer:
        """The auditor changes the overall rating of a completed audit, saying why; the reason
        goes into the change log beside old → new. Without a reason nothing changes."""
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidAnswer(
                "Say why the grade of a completed audit is changed; nothing was changed."
            )
        reason = check_text(reason.strip(), label="The reason", max_length=5000)
        with self.unit_of_work() as work:
            conn, stamp = work.conn, work.stamp
            audit = work.audit(audit_id)
            check_auditor(person, audit, "change the grade of a completed audit")
            if audit.state != "complete":
                raise InvalidAnswer(
                    f"Audit {audit_id} is not complete: change its overall rating on the form."
                )
            field = self.form_of(audit).field(lifecycle.OVERALL_RATING)[2]
            clean = clean_answer(field, new_rating)
            if clean is None:
                raise InvalidAnswer(
                    "A completed audit keeps an overall rating; choose one from 0 to 10."
                )
            a = schema.answers.c
            current = conn.execute(
                select(schema.answers).where(
                    a.audit_id == audit_id, a.field_key == lifecycle.OVERALL_RATING
                )
            ).first()
            if current is not None and json.loads(current.value) == clean:
                raise InvalidAnswer(f"The overall rating is already {clean}; nothing was changed.")
            revision = (current.revision if current else 0) + 1
            value = json.dumps(clean)
            values = {
                "value": value,
                "revision": revision,
                "updated_by": person.id,
                "updated_at": stamp,
            }
            if current is None:
                conn.execute(
                    insert(schema.answers).values(
                        audit_id=audit_id, field_key=lifecycle.OVERALL_RATING, **values
                    )
                )
            else:
                conn.execute(
                    update(schema.answers)
                    .where(a.audit_id == audit_id, a.field_key == lifecycle.OVERALL_RATING)
                    .values(**values)
                )
            conn.execute(
                update(schema.audits).where(schema.audits.c.id == audit_id).values(updated_at=stamp)
            )
            work.log_change(
                audit_id,
                lifecycle.OVERALL_RATING,
                current.value if current else None,
                value,
                person,
                reason=reason,
            )
        return Answer(clean, revision, person.id, stamp)


def _answer(saved: Saved) -> Answer:
    assert saved.updated_by is not None
    assert saved.updated_at is not None
    return Answer(saved.value, saved.revision, saved.updated_by, saved.updated_at, saved.written)


_CHILD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 /-]{0,39}$")


def _audits_under_way(conn: Connection, child_ids: Iterable[str | None]) -> dict[str, int]:
    """Child's ID (upper case) → an audit of that child not complete yet, for ``child_ids``
    (one read for a whole allocation spreadsheet)."""
    wanted = {(c or "").strip().upper() for c in child_ids} - {""}
    if not wanted:
        return {}
    a = schema.audits.c
    rows = conn.execute(
        select(func.upper(a.child_id), a.id)
        .where(func.upper(a.child_id).in_(wanted), a.state != "complete")
        .order_by(a.id)
    )
    return {child: audit_id for child, audit_id in rows.all()[::-1]}  # the oldest wins


def check_child_id(child_id: str | None) -> str:
    """A LiquidLogic ID: letters, digits, spaces, hyphens and slashes, at most 40 characters."""
    child_id = (child_id or "").strip()
    if not child_id:
        raise InvalidAnswer("The child's LiquidLogic ID is needed to start an audit.")
    if not _CHILD_ID.match(child_id):
        raise InvalidAnswer(
            "A LiquidLogic ID is letters, digits, spaces, hyphens or slashes (at most 40), "
            f"so {child_id[:40]!r} cannot be one."
        )
    return child_id


def _clean_action(fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "due":
            clean["due"] = parse_date(value, "The action's due date")
        elif key == "immediate":
            if not isinstance(value, bool):
                raise InvalidAnswer(f"Whether an action is immediate is yes or no, not {value!r}")
            clean["immediate"] = value
        elif key == "status":
            if value not in ACTION_STATUSES:
                raise InvalidAnswer(
                    f"An action's status is one of {', '.join(ACTION_STATUSES)}, not {value!r}"
                )
            clean["status"] = value
        else:
            if value is None:
                value = ""
            clean[key] = check_text(value, label=f"The action's {key}", max_length=5000)
    return clean


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in fields.items()}


__all__ = [
    "CHANGE_BURST_SECONDS",
    "Answer",
    "Conflict",
    "InvalidAnswer",
    "NotAllowed",
    "NotFound",
    "SaveFailed",
    "Store",
]
