"""One revisioned save for audit answers, supervision notes and ratings, thematic items,
moderation answers and calibration scores (``toolkit/store/revisioned.py``), and one text check
(``toolkit/core/text.py``), on SQLite and on PostgreSQL.

For each kind: a stale revision raises ``Conflict`` saying who changed it and when, and changes
nothing; the same value twice writes once (and says so); a saved value writes exactly one
change-log row with who, when, old → new; a NUL, a lone surrogate and an over-length text are
refused with a clear message and nothing is stored."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.support.audits import completed_audit, new_audit
from tests.support.pgserver import OWNER_ROLE, SERVERS_ROLE
from toolkit.core.permissions import Person
from toolkit.store import Conflict, InvalidAnswer, Store, schema
from toolkit.store.moderations import Moderations
from toolkit.supervision.store import SupervisionStore

KINDS = (
    "audit_answer",
    "supervision_note",
    "supervision_rating",
    "thematic_item",
    "moderation_answer",
    "calibration_score",
)
TOO_LONG = "x" * 1_000_001
BAD_TEXTS = {
    "nul": ("before\x00after", "NUL character"),
    "lone_surrogate": ("broken \ud83d here", "broken character"),
    "over_length": (TOO_LONG, "at most"),
}


@dataclass
class Kind:
    """One kind of revisioned record, as a screen saves it."""

    store: Store
    person: Person | None  # who saves (None: a learner, named by ``actor``)
    actor: str  # the name the change log and the Conflict give
    values: tuple[Any, Any, Any]  # three different valid values
    save: Callable[[Any, int | None], Any]  # (value, revision loaded) → what is stored
    stored: Callable[[], Any]
    log: Callable[[], list[dict[str, Any]]]  # this record's change-log rows, oldest first
    save_text: Callable[[str], Any]  # save a typed text of this kind
    #: the value in a Conflict's ``current`` (a rating's is its value and reason)
    shown: Callable[[Any], Any] = lambda current: current


def _log_rows(store: Store, table: Any, **where: Any) -> Callable[[], list[dict]]:
    """The rows of a change log (``changes`` or ``record_changes``) matching ``where``."""

    def read() -> list[dict]:
        with store.engine.connect() as conn:
            rows = conn.execute(
                select(table)
                .where(*(table.c[k] == v for k, v in where.items()))
                .order_by(table.c.id)
            ).all()
        return [
            {
                "old": r.old_value,
                "new": r.new_value,
                "by": r.changed_by,
                "actor": getattr(r, "actor", None),
                "at": r.changed_at,
            }
            for r in rows
        ]

    return read


def _changes(store: Store, audit_id: int, field_key: str) -> Callable[[], list[dict]]:
    return _log_rows(store, schema.changes, audit_id=audit_id, field_key=field_key)


def _record_changes(
    store: Store, kind: str, record_id: int, field_key: str
) -> Callable[[], list[dict]]:
    return _log_rows(
        store, schema.record_changes, kind=kind, record_id=record_id, field_key=field_key
    )


# --- the five kinds -------------------------------------------------------------------------------


def audit_answer(store: Store, _monkeypatch: pytest.MonkeyPatch) -> Kind:
    auditor = store.add_person("Ama Auditor", ["auditor"])
    practitioner = store.add_person("Pat Practitioner", ["practitioner"])
    audit = new_audit(store, auditor, practitioner)
    key = "overall.signs_of_impact"

    def save(value: Any, revision: int | None) -> Any:
        return store.save_answer(audit.id, key, value, auditor, revision)

    return Kind(
        store, auditor, auditor.name, ("first", "second", "third"), save,
        lambda: store.answer_values(audit.id).get(key),
        _changes(store, audit.id, key),
        lambda text: save(text, None),
    )  # fmt: skip


def supervision_note(store: Store, _monkeypatch: pytest.MonkeyPatch) -> Kind:
    manager = store.add_person("Maya Manager", ["manager"])
    worker = store.add_person("Wes Worker", ["practitioner"])
    sup = SupervisionStore(store)
    session = sup.create_session("ears", manager, supervisee=worker)

    def save(value: Any, revision: int | None) -> Any:
        return sup.save_note(session.id, "learning", value, manager, revision)

    return Kind(
        store, manager, manager.name, ("first", "second", "third"), save,
        lambda: sup.note_values(session.id).get("learning"),
        _record_changes(store, "supervision_note", session.id, "learning"),
        lambda text: save(text, None),
    )  # fmt: skip


def supervision_rating(store: Store, _monkeypatch: pytest.MonkeyPatch) -> Kind:
    facilitator = store.add_person("Fay Facilitator", ["manager"])
    sup = SupervisionStore(store)
    session = sup.create_session("group_mapping", facilitator, group_name="North")
    sup.save_note(session.id, "scale.zero", "The children are not safe", facilitator)
    sup.save_note(session.id, "scale.ten", "Everyone knows they are safe", facilitator)
    sup.save_note(session.id, "participants", [{"name": "Ann", "role": "observer"}], facilitator)

    def save(value: Any, revision: int | None) -> Any:
        return sup.save_rating(session.id, "Ann", value, "", facilitator, revision)

    def stored() -> Any:
        return {r.participant: r.value for r in sup.ratings(session.id)}.get("Ann")

    def log() -> list[dict]:
        rows = _record_changes(store, "supervision_rating", session.id, "Ann")()
        for row in rows:  # the rating as value and reason: compare the value
            for side in ("old", "new"):
                if row[side] is not None:
                    row[side] = json.dumps(json.loads(row[side])["value"])
        return rows

    return Kind(
        store, facilitator, facilitator.name, (3, 5, 8), save, stored, log,
        lambda text: sup.save_rating(session.id, "Ann", 4, text, facilitator),
        lambda current: current["value"],
    )  # fmt: skip


def thematic_item(store: Store, monkeypatch: pytest.MonkeyPatch) -> Kind:
    from toolkit.standards.store import (
        create_thematic_audit,
        save_thematic_answer,
        thematic_answers,
    )

    monkeypatch.delenv("SOS_TOOLKIT_AUTHORITY", raising=False)
    auditor = store.add_person("Ada Auditor", ["auditor"])
    thematic = create_thematic_audit(store, auditor, "bexley", ["ra"], child_id="LL-100")

    def save(value: Any, revision: int | None) -> Any:
        return save_thematic_answer(
            store, auditor, thematic.id, "ra_e01", "evidence", value, revision
        )

    def stored() -> Any:
        answer = thematic_answers(store, thematic.id).get("ra_e01")
        return answer.evidence if answer else None

    return Kind(
        store, auditor, auditor.name, ("first", "second", "third"), save, stored,
        _record_changes(store, "thematic_answer", thematic.id, "ra_e01.evidence"),
        lambda text: save(text, None),
    )  # fmt: skip


def moderation_answer(store: Store, _monkeypatch: pytest.MonkeyPatch) -> Kind:
    auditor = store.add_person("Ama Auditor", ["auditor", "manager"])
    practitioner = store.add_person("Pat Practitioner", ["practitioner"])
    moderator = store.add_person("Mo Moderator", ["moderator"])
    support = store.add_person("Bea Support", ["business_support"])
    audit_id = completed_audit(store, auditor, practitioner, 2)
    book = Moderations(store)
    (made,) = book.select_and_allocate(support, dt.date.today(), 0.0, seed=1)
    key = "feedback.good_practice"

    def save(value: Any, revision: int | None) -> Any:
        return book.save(made.id, key, value, moderator, revision)

    return Kind(
        store, moderator, moderator.name, ("first", "second", "third"), save,
        lambda: book.values(made.id)[key],
        _changes(store, audit_id, f"moderation.{key}"),
        lambda text: save(text, None),
    )  # fmt: skip


def calibration_score(store: Store, monkeypatch: pytest.MonkeyPatch) -> Kind:
    from toolkit.training import mode
    from toolkit.training.calibration import CalibrationStore

    if store.engine.dialect.name != "sqlite":  # the same SQL, on a training store elsewhere
        monkeypatch.setattr(mode, "is_training_url", lambda _url: True)
    trainer = store.add_person("Tia Trainer", ["trainer"])
    cal = CalibrationStore(store)
    exercise = cal.start("greenfield", trainer)
    learner = cal.join(exercise, "Lee Learner")

    def save(value: Any, revision: int | None) -> Any:
        return cal.score(learner, "area_7", value, revision)

    return Kind(
        store, None, "Lee Learner", (3, 5, 8), save,
        lambda: cal.learner_scores(learner).get("area_7"),
        _record_changes(store, "calibration_score", learner, "area_7"),
        lambda text: cal.join(exercise, text),
    )  # fmt: skip


MAKERS = {
    "audit_answer": audit_answer,
    "supervision_note": supervision_note,
    "supervision_rating": supervision_rating,
    "thematic_item": thematic_item,
    "moderation_answer": moderation_answer,
    "calibration_score": calibration_score,
}


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(params=KINDS)
def kind(
    request: pytest.FixtureRequest,
    database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Kind]:
    """One kind of record on a new database: SQLite (a calibration's is the training store's
    file) or PostgreSQL as the servers' role (a calibration's as the owner, who makes the
    training tables)."""
    if database == "sqlite":
        name = "training.sqlite" if request.param == "calibration_score" else "toolkit.sqlite"
        url = f"sqlite:///{tmp_path / name}"
    else:
        server = request.getfixturevalue("postgres_server")
        role = OWNER_ROLE if request.param == "calibration_score" else SERVERS_ROLE
        url = server.new_database(role)
    store = Store(url)
    try:
        yield MAKERS[request.param](store, monkeypatch)
    finally:
        store.close()
        if database != "sqlite":
            server.drop_database(url)


def _expected_who(kind: Kind) -> dict[str, Any]:
    if kind.person is None:
        return {"by": None, "actor": kind.actor}
    return {"by": kind.person.id}


def _json(value: Any) -> str:
    return json.dumps(value)


# --- the tests ------------------------------------------------------------------------------------


def test_a_stale_revision_is_a_conflict_saying_who_and_when_and_changes_nothing(kind: Kind):
    a, b, c = kind.values
    first = kind.save(a, 0)
    theirs = kind.save(b, first.revision)  # another tab, saved since this one loaded
    logged = kind.log()
    with pytest.raises(Conflict) as caught:
        kind.save(c, first.revision)
    conflict = caught.value
    assert kind.shown(conflict.current) == b
    assert conflict.revision == theirs.revision
    assert conflict.updated_at is not None
    assert conflict.updated_by == (kind.person.id if kind.person else None)
    if kind.person is not None:
        assert conflict.updated_by_name == kind.person.name
        assert kind.person.name in str(conflict)
    assert f"{conflict.updated_at:%H:%M}" in str(conflict)
    assert kind.stored() == b
    assert kind.log() == logged, "a refused save logs nothing"


def test_the_same_value_twice_writes_once_and_says_so(kind: Kind):
    a, _b, _c = kind.values
    first = kind.save(a, 0)
    assert first.written is True
    assert first.revision == 1
    again = kind.save(a, first.revision)
    assert again.written is False
    assert again.revision == 1
    stale_but_same = kind.save(a, 0)  # both wrote the same thing: nothing is lost
    assert stale_but_same.written is False
    assert stale_but_same.revision == 1
    assert kind.stored() == a
    assert len(kind.log()) == 1


def test_a_saved_value_writes_one_change_log_row_with_who_when_old_and_new(kind: Kind):
    a, b, _c = kind.values
    first = kind.save(a, 0)
    before = dt.datetime.now(dt.timezone.utc)
    second = kind.save(b, first.revision)
    after = dt.datetime.now(dt.timezone.utc)
    assert second.written is True
    assert second.revision == 2
    rows = kind.log()
    assert len(rows) == 2
    last = rows[-1]
    assert last["old"] == _json(a)
    assert last["new"] == _json(b)
    for key, value in _expected_who(kind).items():
        assert last[key] == value
    at = last["at"] if last["at"].tzinfo else last["at"].replace(tzinfo=dt.timezone.utc)
    assert before - dt.timedelta(seconds=1) <= at <= after + dt.timedelta(seconds=1)


@pytest.mark.parametrize("bad", BAD_TEXTS, ids=list(BAD_TEXTS))
def test_a_nul_a_lone_surrogate_and_an_over_length_text_are_refused(kind: Kind, bad: str):
    a, _b, _c = kind.values
    kind.save(a, 0)
    logged = kind.log()
    text, message = BAD_TEXTS[bad]
    with pytest.raises(InvalidAnswer, match=message) as caught:
        kind.save_text(text)
    assert "saved" in str(caught.value)  # it says that nothing was saved
    assert kind.stored() == a
    assert kind.log() == logged


def test_an_audit_answer_with_a_lone_surrogate_is_refused_and_the_audit_still_opens(
    database_url: str,
):
    """Before, it was stored; the audit could then be neither opened nor exported."""
    from toolkit.audit.records import audit_record_html

    store = Store(database_url)
    try:
        auditor = store.add_person("Ama Auditor", ["auditor"])
        practitioner = store.add_person("Pat Practitioner", ["practitioner"])
        audit = new_audit(store, auditor, practitioner)
        with pytest.raises(InvalidAnswer, match="Signs of Impact holds a broken character"):
            store.save_answer(audit.id, "overall.signs_of_impact", "A \udc00 B", auditor, 0)
        assert "overall.signs_of_impact" not in store.answer_values(audit.id)
        html = audit_record_html(store, audit.id, auditor)
        html.encode("utf-8")  # what an export writes
    finally:
        store.close()
