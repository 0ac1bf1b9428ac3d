"""Supervision sessions in the store: notes saved with revisions and conflicts, the supervisor
writes and the supervisee reads, ratings need both ends of the scale defined, lists are checked."""

from __future__ import annotations

import pytest

from tests.support.audits import new_audit
from toolkit.store import Conflict, InvalidAnswer, NotAllowed, NotFound
from toolkit.supervision.scaling import spread
from toolkit.supervision.store import SupervisionStore, clean_note


@pytest.fixture
def sup(store):
    return SupervisionStore(store)


@pytest.fixture
def people(store):
    return {
        "manager": store.add_person("Maya Manager", ["manager"]),
        "worker": store.add_person("Wes Worker", ["practitioner"], team="T1"),
        "other": store.add_person("Olu Other", ["practitioner"]),
        "qa": store.add_person("Quinn QA", ["quality_assurance"]),
    }


def test_a_note_is_saved_with_a_revision_and_read_back(sup, people):
    s = sup.create_session("ears", people["manager"], supervisee=people["worker"], title="Sept")
    first = sup.save_note(
        s.id, "r1.elicit.note", "Proud of the network meeting", people["manager"], 0
    )
    assert first.revision == 1
    second = sup.save_note(
        s.id, "r1.elicit.note", "Proud of the network meeting on 3/9", people["manager"], 1
    )
    assert second.revision == 2
    assert sup.note_values(s.id, people["worker"]) == {
        "r1.elicit.note": "Proud of the network meeting on 3/9"
    }
    assert sup.session(s.id).updated_at >= s.started_at


def test_a_stale_revision_is_a_conflict_and_nothing_is_overwritten(sup, people):
    s = sup.create_session("ears", people["manager"], supervisee=people["worker"])
    sup.save_note(s.id, "learning", "theirs", people["manager"], 0)
    with pytest.raises(Conflict) as caught:
        sup.save_note(s.id, "learning", "mine", people["manager"], 0)
    assert caught.value.current == "theirs"
    assert sup.note_values(s.id)["learning"] == "theirs"


def test_only_the_supervisor_writes_and_only_those_in_it_read(sup, people):
    s = sup.create_session("reflective_tool", people["manager"], supervisee=people["worker"])
    with pytest.raises(NotAllowed):
        sup.save_note(s.id, "cell.x.y.note", "x", people["worker"])
    with pytest.raises(NotAllowed):
        sup.notes(s.id, people["other"])
    assert sup.notes(s.id, people["qa"]) == {}
    assert [x.id for x in sup.sessions_for(people["worker"])] == [s.id]
    assert sup.sessions_for(people["other"]) == []
    assert [x.id for x in sup.sessions_for(people["qa"])] == [s.id]


def test_a_practitioner_cannot_start_a_session(sup, people):
    with pytest.raises(NotAllowed):
        sup.create_session("ears", people["worker"], supervisee=people["other"])
    with pytest.raises(InvalidAnswer):
        sup.create_session("coffee", people["manager"])
    with pytest.raises(NotFound):
        sup.session(999)


def test_sessions_are_listed_by_supervisee_and_case(sup, people):
    a = sup.create_session("ears", people["manager"], supervisee=people["worker"], child_id="LL-1")
    b = sup.create_session("ears", people["manager"], supervisee=people["other"], child_id="LL-2")
    assert [x.id for x in sup.sessions_for(people["manager"])] == [b.id, a.id]
    assert [
        x.id for x in sup.sessions_for(people["manager"], supervisee_id=people["worker"].id)
    ] == [a.id]
    assert [x.id for x in sup.sessions_for(people["manager"], child_id="LL-2")] == [b.id]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("r1.amplify.0.asked", "yes"),
        ("Bad Key", "x"),
        ("learning", 5),
        ("learning", "x" * 20001),
        ("participants", [{"name": "", "role": "observer"}]),
        ("participants", [{"name": "A", "role": "boss"}]),
        ("participants", [{"name": "A", "role": "observer"}, {"name": "a", "role": "advisor"}]),
        ("actions", [{"what": "x", "who": "y", "when": "next Tuesday"}]),
        ("pairs", [{"danger": "x", "goal": "y", "extra": "z"}]),
    ],
)
def test_bad_notes_are_refused_with_a_reason(key, value):
    with pytest.raises(InvalidAnswer):
        clean_note(key, value)


def test_good_lists_are_kept(sup, people):
    s = sup.create_session("group_mapping", people["manager"], group_name="Team 1")
    saved = sup.save_note(
        s.id,
        "actions",
        [{"what": "Network meeting", "who": "Wes", "when": "2026-12-01"}],
        people["manager"],
    )
    assert saved.value == [{"what": "Network meeting", "who": "Wes", "when": "2026-12-01"}]


def test_ratings_need_both_ends_defined_and_a_participant(sup, people):
    m = people["manager"]
    s = sup.create_session("group_mapping", m, group_name="Team 1")
    sup.save_note(
        s.id,
        "participants",
        [{"name": "Ann", "role": "facilitator"}, {"name": "Bo", "role": "case_holder"}],
        m,
    )
    sup.save_note(s.id, "scale.zero", "Jo will be hurt again", m)
    with pytest.raises(InvalidAnswer, match="0 and what 10"):
        sup.save_rating(s.id, "Ann", 4, "", m)
    sup.save_note(s.id, "scale.ten", "Everyone knows Jo is safe with her mum", m)
    with pytest.raises(InvalidAnswer):
        sup.save_rating(s.id, "Zed", 4, "", m)
    with pytest.raises(InvalidAnswer):
        sup.save_rating(s.id, "Ann", 11, "", m)
    sup.save_rating(s.id, "Ann", 4, "Mum called the police herself", m)
    sup.save_rating(s.id, "Bo", 7, "Grandma visits daily", m)
    sup.save_rating(s.id, "Bo", 6, "Grandma visits most days", m)
    ratings = sup.ratings(s.id)
    assert [(r.participant, r.value) for r in ratings] == [("Ann", 4), ("Bo", 6)]
    assert spread([r.value for r in ratings]).range == 2


def test_spread():
    assert spread([]) is None
    s = spread([3, 7, 5])
    assert (s.minimum, s.maximum, s.median, s.range, s.count) == (3, 7, 5, 4, 3)
    assert spread([2, 5]).median == 3.5


def test_a_session_from_an_audit_must_follow_a_completed_audit(sup, store, people):
    auditor = store.add_person("Ari Auditor", ["auditor", "manager"])
    audit = new_audit(store, auditor, people["worker"], "LL-77")
    with pytest.raises(InvalidAnswer, match="not complete"):
        sup.create_session("ears", auditor, audit_id=audit.id)
    with pytest.raises(NotAllowed):
        sup.create_session("ears", people["manager"], audit_id=audit.id)
