"""Completing as the source requires: below Good an immediate action to reach Good; every
unanswered item answered or skipped with a reason, the reason kept; where Inadequate the
practice observation proposed. The domain refuses, changing nothing, whatever the screen does."""

from __future__ import annotations

import pytest

from tests.support.register import add_people, graded_audit, snapshot
from toolkit.audit import completion
from toolkit.audit.records import audit_record_html
from toolkit.store import InvalidAnswer, Store

REASON = "The family declined to take part in feedback this month."


def _all_skipped(store: Store, audit_id: int) -> dict[str, str]:
    return {u.item: REASON for u in completion.checklist(store, audit_id).unanswered}


def _not_immediate(store: Store, audit_id: int, person) -> None:
    for action in store.actions(audit_id):
        store.update_action(action["id"], person, immediate=False)


def test_below_good_without_an_immediate_action_is_refused_and_changes_nothing(
    store: Store,
) -> None:
    p = add_people(store)
    audit = graded_audit(store, p, "LL-500001", 4)  # Requires improvement
    _not_immediate(store, audit.id, p["abe"])
    before = snapshot(store)
    with pytest.raises(InvalidAnswer) as refused:
        completion.complete_audit(
            store, audit.id, p["abe"], smtp=None, skipped=_all_skipped(store, audit.id)
        )
    assert "immediate action" in str(refused.value)
    assert "Immediate actions to improve to ‘Good’ must be recorded." in str(refused.value)
    assert "002 L683–684" in str(refused.value)
    assert snapshot(store) == before
    assert store.audit(audit.id).state == "graded"


def test_a_good_audit_needs_no_immediate_action(store: Store) -> None:
    p = add_people(store)
    audit = graded_audit(store, p, "LL-500002", 6)
    _not_immediate(store, audit.id, p["abe"])
    done = completion.complete_audit(
        store, audit.id, p["abe"], smtp=None, skipped=_all_skipped(store, audit.id)
    )
    assert done.state == "complete"


def test_unanswered_items_need_a_reason_each_and_the_reasons_are_kept(store: Store) -> None:
    p = add_people(store)
    audit = graded_audit(store, p, "LL-500003", 4)  # its one action is marked immediate
    store.save_answer(audit.id, "area_7.collaborative_scale", 5, p["abe"])
    items = completion.checklist(store, audit.id).unanswered
    keys = [u.item for u in items]
    assert "area:area_7" not in keys  # scaled: not on the list
    assert "area:area_8" in keys
    assert {"feedback:child_feedback", "feedback:family_feedback"} <= set(keys)
    assert len(keys) == 18 + 3  # 18 areas unscaled, three kinds of feedback missing

    reasons = {k: REASON for k in keys}
    del reasons["area:area_8"]
    reasons["feedback:child_feedback"] = "   "  # blank is no reason
    before = snapshot(store)
    with pytest.raises(InvalidAnswer) as refused:
        completion.complete_audit(store, audit.id, p["abe"], smtp=None, skipped=reasons)
    message = str(refused.value)
    assert "Area 8 not scaled" in message
    assert "Feedback from the child" in message
    assert "Area 9 not scaled" not in message  # it has a reason
    assert snapshot(store) == before

    reasons["area:area_8"] = "Not relevant: no plan yet."
    reasons["feedback:child_feedback"] = "The child is 2 months old."
    done = completion.complete_audit(store, audit.id, p["abe"], smtp=None, skipped=reasons)
    assert done.state == "complete"
    kept = {s["item"]: s["reason"] for s in completion.skipped_items(store, audit.id)}
    assert kept == reasons
    assert all(s["skipped_by"] == p["abe"].id for s in completion.skipped_items(store, audit.id))
    logged = {c["field_key"] for c in store.history(audit.id, p["abe"])}
    assert "skip.feedback:child_feedback" in logged
    record = audit_record_html(store, audit.id, p["abe"])  # the record: HTML, and so the PDF
    assert "Left unanswered at completion" in record
    assert "Area 8 not scaled" in record
    assert "The child is 2 months old." in record
    assert "(immediate action to reach Good)" in record


def test_a_reason_is_kept_as_typed_and_shown_as_text(store: Store) -> None:
    p = add_people(store)
    audit = graded_audit(store, p, "LL-500006", 6)
    payload = "<img src=x onerror=alert(1)> =SUM(A1)"
    reasons = {u.item: payload for u in completion.checklist(store, audit.id).unanswered}
    completion.complete_audit(store, audit.id, p["abe"], smtp=None, skipped=reasons)
    assert {s["reason"] for s in completion.skipped_items(store, audit.id)} == {payload}
    record = audit_record_html(store, audit.id, p["abe"])
    assert "<img src=x" not in record
    assert "&lt;img src=x onerror=alert(1)&gt;" in record


def test_where_inadequate_the_checklist_proposes_a_practice_observation(store: Store) -> None:
    p = add_people(store)
    audit = graded_audit(store, p, "LL-500004", 1)
    proposed = completion.checklist(store, audit.id).proposed_action
    assert proposed is not None
    rule, what = proposed
    assert "found the work to be inadequate, when it should be included as an action" in rule.text
    assert rule.source.label("002") == "002 L705–709"
    action_id = completion.add_proposed_action(store, audit.id, p["abe"])
    (added,) = [a for a in store.actions(audit.id) if a["id"] == action_id]
    assert added["what"] == what
    assert added["immediate"] is True
    assert completion.checklist(store, audit.id).proposed_action is None  # recorded now


def test_no_practice_observation_is_proposed_above_inadequate(store: Store) -> None:
    p = add_people(store)
    audit = graded_audit(store, p, "LL-500005", 4)
    assert completion.checklist(store, audit.id).proposed_action is None
    with pytest.raises(InvalidAnswer):
        completion.add_proposed_action(store, audit.id, p["abe"])
