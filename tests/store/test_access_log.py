"""The access log: every opening and refusal is a row; only quality assurance and the audit's
auditor read it; its CSV cannot carry a formula. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.audits import new_audit
from toolkit.store import NotAllowed, Store
from toolkit.store.access import CSV_HEADINGS, access_csv


@pytest.fixture
def store(database_url: str):
    s = Store(database_url)
    yield s
    s.close()


@pytest.fixture
def people(store: Store) -> dict:
    return {
        "auditor": store.add_person("Ama Auditor", ["auditor"], username="ama", team="A"),
        "practitioner": store.add_person(
            "Pat Practitioner", ["practitioner"], username="pat", team="B"
        ),
        "qa": store.add_person("Quinn QA", ["quality_assurance"], username="quinn"),
        "stranger": store.add_person("Stan Stranger", ["practitioner"], username="stan", team="C"),
    }


def test_an_opening_and_a_refusal_are_both_rows_with_who_what_and_where(store, people):
    audit = new_audit(store, people["auditor"], people["practitioner"])
    store.record_access(
        action="open",
        record_kind="audit",
        record_id=audit.id,
        screen="audit.ipynb",
        person=people["practitioner"],
    )
    store.record_access(
        action="open",
        record_kind="audit",
        record_id=audit.id,
        screen="audit.ipynb",
        person=people["stranger"],
        allowed=False,
        detail="not part of this audit",
    )
    rows = store.access_log(people["qa"], record_kind="audit", record_id=audit.id)
    assert [(r.actor, r.allowed, r.screen) for r in rows] == [
        ("pat", True, "audit.ipynb"),
        ("stan", False, "audit.ipynb"),
    ]
    assert rows[1].detail == "not part of this audit"
    assert rows[0].at.tzinfo is not None
    assert dt.datetime.now(dt.timezone.utc) - rows[0].at < dt.timedelta(minutes=1)


def test_the_auditor_reads_who_opened_their_audit_but_nobody_else_but_qa(store, people):
    audit = new_audit(store, people["auditor"], people["practitioner"])
    another = store.add_person("Abe Auditor", ["auditor"], username="abe", team="D")
    other = new_audit(store, another, people["stranger"], child_id="LL-2")
    store.record_access(
        action="open",
        record_kind="audit",
        record_id=audit.id,
        screen="audit.ipynb",
        person=people["practitioner"],
    )
    assert len(store.access_log(people["auditor"], record_kind="audit", record_id=audit.id)) == 1
    with pytest.raises(NotAllowed):
        store.access_log(people["practitioner"], record_kind="audit", record_id=audit.id)
    with pytest.raises(NotAllowed):  # the auditor of one audit is not a reader of another's
        store.access_log(people["auditor"], record_kind="audit", record_id=other.id)
    with pytest.raises(NotAllowed):  # nor of the whole log
        store.access_log(people["auditor"])
    with pytest.raises(NotAllowed):
        store.access_log(None)


def test_the_period_filter_keeps_rows_in_the_period_only(store, people):
    store.record_access(
        action="export",
        record_kind="period_export",
        record_id=None,
        screen="cli:export-audits",
        actor="system:root",
        detail="2026Q3",
    )
    now = dt.datetime.now(dt.timezone.utc)
    assert len(store.access_log(people["qa"], since=now - dt.timedelta(minutes=5))) == 1
    assert store.access_log(people["qa"], since=now + dt.timedelta(minutes=5)) == []
    assert store.access_log(people["qa"], until=now - dt.timedelta(minutes=5)) == []


def test_the_csv_neutralises_formulas_typed_as_names(store, people):
    store.record_access(
        action="open",
        record_kind="audit",
        record_id="1",
        screen="audit.ipynb",
        actor='=HYPERLINK("http://x")',
        detail="+1",
    )
    text = access_csv(store.access_log(people["qa"]))
    lines = text.splitlines()
    assert lines[0].split(",")[0] == CSV_HEADINGS[0]
    assert "'=HYPERLINK" in lines[1]
    assert ",'+1" in lines[1]


def test_unknown_kinds_are_refused_and_write_nothing(store, people):
    with pytest.raises(ValueError, match="record kind"):
        store.record_access(action="open", record_kind="diary", record_id=1, screen="x")
    assert store.access_log(people["qa"]) == []


def test_looking_writes_one_row_or_one_refused_row_and_an_audit_gathers_its_moderations(
    store, people
):
    from tests.support.audits import completed_audit
    from toolkit.store.moderations import Moderations

    audit = store.audit(completed_audit(store, people["auditor"], people["practitioner"], 6))
    where = {"action": "open", "record_kind": "audit", "record_id": audit.id, "screen": "x"}
    with store.looking(**where, person=people["practitioner"]):
        store.audit(audit.id, people["practitioner"])
    with pytest.raises(NotAllowed), store.looking(**where, person=people["stranger"]):
        store.audit(audit.id, people["stranger"])
    with pytest.raises(RuntimeError), store.looking(**where, person=people["qa"]):
        raise RuntimeError("the database went away")  # not a refusal: nothing shown or written
    moderator = store.add_person("Mo Moderator", ["moderator"])
    (m,) = Moderations(store).select_and_allocate(people["qa"], dt.date.today(), 1.0, seed=1)
    store.record_access(
        action="open", record_kind="moderation", record_id=m.id, screen="m", person=moderator
    )
    store.record_access(action="open", record_kind="moderation", record_id=m.id + 1, screen="m")
    shown = store.audit_openings(people["auditor"], audit.id)
    assert [(r.actor, r.record_kind, r.allowed) for r in shown] == [
        ("Mo Moderator", "moderation", True),  # newest first; another moderation's row is not here
        ("stan", "audit", False),
        ("pat", "audit", True),
    ]
    assert len(store.audit_openings(people["qa"], audit.id, limit=2)) == 2
    with pytest.raises(NotAllowed):
        store.audit_openings(people["practitioner"], audit.id)
