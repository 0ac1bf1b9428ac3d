"""Moderation: the sample is reproducible and holds every Inadequate audit; only the allocated
moderator changes a moderation; a moderated audit shows both grades."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.support.audits import completed_audit
from toolkit.core.moderation import (
    BothGrades,
    Candidate,
    Selected,
    allocate,
    months_before,
    select_for_moderation,
)
from toolkit.store import InvalidAnswer, NotAllowed, Store, schema
from toolkit.store.moderations import Moderations

TODAY = dt.date(2026, 11, 22)


def _candidates(n: int = 40) -> list[Candidate]:
    grades = ["Inadequate", "Requires improvement", "Good", "Outstanding"]
    return [
        Candidate(i, 100 + i % 3, 200 + i, TODAY - dt.timedelta(days=6 * i), grades[i % 4])
        for i in range(1, n + 1)
    ]


# --- selection (pure) ----------------------------------------------------------------------------


def test_selection_is_reproducible_from_its_seed_whatever_the_order() -> None:
    audits = _candidates()
    first = select_for_moderation(audits, TODAY, 0.25, seed=7)
    again = select_for_moderation(list(reversed(audits)), TODAY, 0.25, seed=7)
    assert first == again
    other_seeds = {
        tuple(s.audit_id for s in select_for_moderation(audits, TODAY, 0.25, seed=s))
        for s in range(5)
    }
    assert len(other_seeds) > 1, "the seed must change the random share"


def test_every_inadequate_audit_of_the_last_six_months_is_selected() -> None:
    audits = _candidates()
    window_start = months_before(TODAY, 6)
    chosen = select_for_moderation(audits, TODAY, 0.0, seed=1)
    recent_inadequate = {
        a.audit_id for a in audits if a.grade == "Inadequate" and a.completed_on > window_start
    }
    assert {s.audit_id for s in chosen} == recent_inadequate
    assert all(s.selection == "inadequate" for s in chosen)
    old = [a for a in audits if a.completed_on <= window_start]
    assert old, "the test needs audits older than six months"
    assert not {a.audit_id for a in old} & {s.audit_id for s in chosen}


def test_the_random_share_is_drawn_from_the_others_rounded_up() -> None:
    audits = _candidates()
    start = months_before(TODAY, 6)
    others = [a for a in audits if a.grade != "Inadequate" and a.completed_on > start]
    chosen = select_for_moderation(audits, TODAY, 0.1, seed=3)
    drawn = [s for s in chosen if s.selection == "random"]
    assert len(drawn) == -(-len(others) // 10)
    assert {s.audit_id for s in drawn} <= {a.audit_id for a in others}


@pytest.mark.parametrize("share", [-0.1, 1.5, "half", True])
def test_a_share_outside_nought_to_one_is_refused(share: object) -> None:
    with pytest.raises(InvalidAnswer, match="fraction from 0 to 1"):
        select_for_moderation(_candidates(), TODAY, share, seed=1)  # type: ignore[arg-type]


def test_six_months_back_keeps_the_day_or_the_month_end() -> None:
    assert months_before(dt.date(2026, 11, 22), 6) == dt.date(2026, 5, 22)
    assert months_before(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 3, 15), 6) == dt.date(2025, 9, 15)


def test_allocation_takes_moderators_in_turn_and_never_the_audits_own_auditor() -> None:
    selected = [
        Selected(i, auditor_id=10, practitioner_id=20, selection="random") for i in range(6)
    ]
    pairs = allocate(selected, [10, 11, 12])
    assert [m for _, m in pairs] == [11, 12, 11, 12, 11, 12]
    mixed = [Selected(1, 11, 20, "random"), Selected(2, 12, 20, "random"), Selected(3, 13, 20, "x")]
    assert allocate(mixed, [11, 12, 13]) == [(1, 12), (2, 13), (3, 11)]


def test_allocation_without_a_possible_moderator_is_refused_by_audit() -> None:
    with pytest.raises(InvalidAnswer, match="Audit 5 has no moderator"):
        allocate([Selected(5, 10, 20, "random")], [10, 20])
    with pytest.raises(InvalidAnswer, match="nobody with the moderator role"):
        allocate([Selected(5, 10, 20, "random")], [])


def test_both_grades_describe_agreement_and_disagreement() -> None:
    assert BothGrades("Good").final == "Good"
    agreed = BothGrades("Good", "Good", True, None, True)
    assert agreed.final == "Good"
    assert "Moderation agreed" in agreed.describe()
    differ = BothGrades("Good", "Requires improvement", False, "Requires improvement", True)
    assert differ.final == "Requires improvement"
    assert "Auditor’s grade: Good" in differ.describe()
    assert "Grade agreed with the auditor: Requires improvement" in differ.describe()


# --- the store -------------------------------------------------------------------------------


@pytest.fixture
def people(store: Store) -> dict:
    return {
        "auditor": store.add_person("Ama Auditor", ["auditor", "manager"]),
        "practitioner": store.add_person("Pat Practitioner", ["practitioner"]),
        "moderator": store.add_person("Mo Moderator", ["moderator"]),
        "moderator2": store.add_person("Meg Moderator", ["moderator", "auditor"]),
        "qa": store.add_person("Quinn QA", ["quality_assurance"]),
        "support": store.add_person("Bea Support", ["business_support"]),
        "stranger": store.add_person("Stan Stranger", ["practitioner"]),
    }


@pytest.fixture
def moderated(store: Store, people: dict) -> tuple[Moderations, int, int]:
    """One Inadequate audit selected and allocated; returns (moderations, audit id, id)."""
    audit_id = completed_audit(store, people["auditor"], people["practitioner"], 2)
    completed_audit(store, people["auditor"], people["practitioner"], 6, child_id="LL-2")
    book = Moderations(store)
    made = book.select_and_allocate(people["support"], dt.date.today(), 0.0, seed=1)
    assert [(m.audit_id, m.selection) for m in made] == [(audit_id, "inadequate")]
    return book, audit_id, made[0].id


def _count(store: Store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_only_quality_assurance_or_business_support_select_the_sample(
    store: Store, people: dict
) -> None:
    completed_audit(store, people["auditor"], people["practitioner"], 1)
    book = Moderations(store)
    for who in ("moderator", "auditor", "practitioner"):
        with pytest.raises(NotAllowed, match="quality assurance or business support"):
            book.select_and_allocate(people[who], dt.date.today(), 0.5, seed=1)
    assert _count(store, schema.moderations) == 0
    assert len(book.select_and_allocate(people["qa"], dt.date.today(), 0.5, seed=1)) == 1
    assert book.select_and_allocate(people["qa"], dt.date.today(), 1.0, seed=1) == []


def test_only_the_allocated_moderator_changes_a_moderation(store: Store, people: dict, moderated):
    book, _audit_id, mid = moderated
    moderator = people[
        "moderator" if book.get(mid).moderator_id == people["moderator"].id else "moderator2"
    ]
    others = [p for k, p in people.items() if p.id != moderator.id]
    for person in others:
        with pytest.raises(NotAllowed, match="Only the moderator allocated"):
            book.save(mid, "feedback.good_practice", "mine", person)
        with pytest.raises(NotAllowed):
            book.add_action(mid, person)
        with pytest.raises(NotAllowed):
            book.complete(mid, person)
    assert book.values(mid)["feedback.good_practice"] is None
    assert _count(store, schema.actions) == 2  # the two audits' own actions only
    assert book.save(mid, "feedback.good_practice", "Clear plan", moderator).value == "Clear plan"


def test_the_moderator_reads_the_audit_they_moderate_and_no_other(
    store: Store, people: dict, moderated
) -> None:
    book, audit_id, mid = moderated
    moderator = store.person(book.get(mid).moderator_id)
    assert store.audit(audit_id, moderator).id == audit_id
    assert book.audit_for(mid, moderator).id == audit_id
    other = completed_audit(store, people["auditor"], people["practitioner"], 7, child_id="LL-3")
    with pytest.raises(NotAllowed):
        store.audit(other, moderator)
    with pytest.raises(NotAllowed):
        book.get(mid, people["stranger"])


def _finish(book: Moderations, mid: int, moderator, agree: bool) -> None:
    audit = book.store.audit(book.get(mid).audit_id)
    for key in book.scale_keys(audit):
        book.save(mid, key, 4, moderator)
    book.save(mid, "feedback.good_practice", "Mother's words are in the plan.", moderator)
    book.save(mid, "feedback.development", "No network beyond professionals.", moderator)
    book.save(mid, "audit_actions.actions_completed", "Partly", moderator)
    book.save(mid, "agreement.agrees", "Agree" if agree else "Disagree", moderator)


def test_a_moderated_audit_shows_both_grades(store: Store, people: dict, moderated) -> None:
    book, audit_id, mid = moderated
    moderator = store.person(book.get(mid).moderator_id)
    assert book.grades(audit_id) == BothGrades("Inadequate")
    _finish(book, mid, moderator, agree=False)
    with pytest.raises(InvalidAnswer, match="grade agreed with the auditor"):
        book.complete(mid, moderator)
    with pytest.raises(InvalidAnswer, match="is not one of"):
        book.save(mid, "agreement.agreed_grade", "Splendid", moderator)
    book.save(mid, "agreement.agreed_grade", "Requires improvement", moderator)
    done = book.complete(mid, moderator)
    assert done.state == "complete"
    assert done.moderator_grade == "Requires improvement"
    grades = book.grades(audit_id)
    assert (grades.auditor, grades.agreed, grades.agrees) == (
        "Inadequate",
        "Requires improvement",
        False,
    )
    assert "Auditor’s grade: Inadequate" in grades.describe()
    with pytest.raises(NotAllowed, match="complete"):
        book.save(mid, "feedback.development", "later", moderator)


def test_a_moderation_is_incomplete_without_scaling_and_comments(
    store: Store, people: dict, moderated
) -> None:
    book, _audit_id, mid = moderated
    moderator = store.person(book.get(mid).moderator_id)
    with pytest.raises(InvalidAnswer) as refused:
        book.complete(mid, moderator)
    for missing in ("overall rating", "Scale every area", "good practice", "agreement"):
        assert missing in str(refused.value)
    assert book.get(mid).state == "allocated"


def test_moderator_actions_are_the_audits_actions_with_timescales(
    store: Store, people: dict, moderated
) -> None:
    book, audit_id, mid = moderated
    moderator = store.person(book.get(mid).moderator_id)
    action_id = book.add_action(mid, moderator)
    book.update_action(mid, action_id, moderator, what="Network meeting", due="2026-12-10")
    assert [(a["what"], a["due"]) for a in book.actions(mid)] == [
        ("Network meeting", dt.date(2026, 12, 10))
    ]
    auditors_action = store.actions(audit_id)[0]["id"]
    with pytest.raises(NotAllowed, match="not recorded in this moderation"):
        book.update_action(mid, auditors_action, moderator, what="changed")
    assert store.actions(audit_id)[0]["what"] == "Share the plan with the school"


def test_the_agreed_grade_is_chosen_from_the_grade_bands() -> None:
    from toolkit.forms.loader import load_grade_bands
    from toolkit.store.moderations import moderation_form

    options = moderation_form().field("agreement.agreed_grade")[2].options
    assert options == [b.grade for b in load_grade_bands().bands]
