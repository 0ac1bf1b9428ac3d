"""Thematic audits in the store, on SQLite and PostgreSQL: each answer kept with its revision,
a stale revision a conflict, bad input and the wrong person refused with nothing written, and a
thematic audit added to a collaborative audit read by that audit's readers."""

from __future__ import annotations

import pytest

from toolkit.forms.loader import registry
from toolkit.standards.store import (
    create_thematic_audit,
    save_thematic_answer,
    thematic_answers,
    thematic_audit,
    thematic_audits_for,
    thematic_summary,
)
from toolkit.store import Conflict, InvalidAnswer, NotAllowed


@pytest.fixture
def env(store, monkeypatch):
    monkeypatch.delenv("SOS_TOOLKIT_AUTHORITY", raising=False)
    auditor = store.add_person("Ada Auditor", ["auditor"], team="North")
    practitioner = store.add_person("Priya Practitioner", ["practitioner"], team="South")
    stranger = store.add_person("Sam Stranger", ["practitioner"], team="East")
    return store, auditor, practitioner, stranger


def test_each_part_is_saved_with_who_and_a_revision(env):
    store, auditor, *_ = env
    thematic = create_thematic_audit(store, auditor, "bexley", ["ra"], child_id="LL-100")
    save_thematic_answer(store, auditor, thematic.id, "ra_bl02", "rating", "Not met", 0)
    saved = save_thematic_answer(
        store, auditor, thematic.id, "ra_bl02", "evidence", "No FNM on file.", 1
    )
    save_thematic_answer(store, auditor, thematic.id, "ra_bl02", "location", "Case notes 03/24", 2)
    answer = thematic_answers(store, thematic.id)["ra_bl02"]
    assert (answer.rating, answer.evidence, answer.location) == (
        "not_met",
        "No FNM on file.",
        "Case notes 03/24",
    )
    assert saved.revision == 2
    assert answer.revision == 3
    assert answer.updated_by == auditor.id
    summary = thematic_summary(store, thematic)
    assert [i.id for _, i in summary.bottom_lines_not_met] == ["ra_bl02"]


def test_a_stale_revision_is_a_conflict_and_nothing_is_overwritten(env):
    store, auditor, *_ = env
    thematic = create_thematic_audit(store, auditor, "bexley", ["ra"], child_id="LL-100")
    save_thematic_answer(store, auditor, thematic.id, "ra_e01", "rating", "met", 0)
    with pytest.raises(Conflict) as caught:
        save_thematic_answer(store, auditor, thematic.id, "ra_e01", "rating", "not_met", 0)
    assert caught.value.current == "met"
    assert thematic_answers(store, thematic.id)["ra_e01"].rating == "met"


@pytest.mark.parametrize(
    ("item", "part", "value", "message"),
    [
        ("ra_e01", "rating", "Mostly", "not a rating"),
        ("ra_e01", "colour", "blue", "not 'colour'"),
        ("fw_e01", "rating", "met", "does not cover"),
        ("nope_e01", "rating", "met", "not one of bexley"),
        ("ra_e01", "evidence", "x" * 20001, "at most 20000"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(
    env, item, part, value, message
):
    store, auditor, *_ = env
    thematic = create_thematic_audit(store, auditor, "bexley", ["ra"], child_id="LL-100")
    with pytest.raises(InvalidAnswer, match=message):
        save_thematic_answer(store, auditor, thematic.id, item, part, value)
    assert thematic_answers(store, thematic.id) == {}


def test_only_the_auditor_changes_a_thematic_audit(env):
    store, auditor, practitioner, _ = env
    thematic = create_thematic_audit(store, auditor, "bexley", ["ra"], child_id="LL-100")
    with pytest.raises(NotAllowed):
        save_thematic_answer(store, practitioner, thematic.id, "ra_e01", "rating", "met")
    with pytest.raises(NotAllowed):
        create_thematic_audit(store, practitioner, "bexley", ["ra"], child_id="LL-100")


def test_starting_needs_areas_a_known_authority_and_a_child_id(env):
    store, auditor, *_ = env
    with pytest.raises(InvalidAnswer, match="at least one service area"):
        create_thematic_audit(store, auditor, "bexley", [], child_id="LL-1")
    with pytest.raises(InvalidAnswer, match="not an authority"):
        create_thematic_audit(store, auditor, "narnia", ["ra"], child_id="LL-1")
    with pytest.raises(InvalidAnswer, match="no service area"):
        create_thematic_audit(store, auditor, "bexley", ["zz"], child_id="LL-1")
    with pytest.raises(InvalidAnswer, match="LiquidLogic ID"):
        create_thematic_audit(store, auditor, "bexley", ["ra"], child_id="")


def test_as_a_section_of_a_collaborative_audit_it_takes_the_child_and_its_readers(env):
    store, auditor, practitioner, stranger = env
    form = registry().latest("collaborative_case_audit")
    audit = store.create_audit(
        form, child_id="LL-777", auditor=auditor, practitioner=practitioner, created_by=auditor
    )
    thematic = create_thematic_audit(
        store, auditor, "leicester", ["lundy_space"], audit_id=audit.id
    )
    assert (thematic.child_id, thematic.audit_id) == ("LL-777", audit.id)
    assert thematic_audit(store, thematic.id, practitioner).id == thematic.id  # may read
    with pytest.raises(NotAllowed):
        thematic_audit(store, thematic.id, stranger)
    assert [t.id for t in thematic_audits_for(store, practitioner, audit.id)] == [thematic.id]
    with pytest.raises(NotAllowed):  # only the audit's auditor adds a section to it
        create_thematic_audit(store, practitioner, "bexley", ["ra"], audit_id=audit.id)
