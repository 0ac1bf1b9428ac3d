"""History: every change to an audit reads as who, when, what, old → new; a completed audit's
grade changes only with a reason, and a refused change changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.audits import completed_audit, new_audit
from toolkit.audit.history import history_html, history_lines
from toolkit.forms.loader import registry
from toolkit.store import InvalidAnswer, NotAllowed, Store
from toolkit.store.moderations import moderation_form

OVERALL = "overall.overall_rating"


@pytest.fixture
def people(store: Store) -> dict:
    return {
        "auditor": store.add_person("Ama Auditor", ["auditor"]),
        "practitioner": store.add_person("Pat <i>Practitioner</i>", ["practitioner"]),
        "qa": store.add_person("Quinn QA", ["quality_assurance"]),
    }


def _lines(store: Store, audit_id: int, reader) -> list:
    forms = [store.form_of(store.audit(audit_id)), moderation_form()]
    names = {p.id: p.name for p in store.people()}
    return history_lines(store.history(audit_id, reader), forms, names)


def test_history_says_who_changed_what_from_what_to_what(store: Store, people: dict) -> None:
    audit_id = completed_audit(store, people["auditor"], people["practitioner"], 6)
    texts = [line.text for line in _lines(store, audit_id, people["qa"])]
    assert any(
        "Ama Auditor · Overall rating of case audit — Auditor rating: (empty) → 6" in t
        for t in texts
    ), texts
    assert any("State of the audit: Graded → Complete" in t for t in texts), texts
    assert any("Action " in t and "what: Share the plan with the school" in t for t in texts)


def test_history_labels_areas_and_shows_old_and_new(store: Store, people: dict) -> None:
    audit = new_audit(store, people["auditor"], people["practitioner"], "LL-5")
    store.save_answer(audit.id, "area_6.collaborative_scale", 4, people["auditor"])
    store.save_answer(audit.id, "self_assessment_difference.scale", 5, people["practitioner"])
    lines = _lines(store, audit.id, people["auditor"])
    assert [(line.who, line.what, line.old, line.new) for line in lines] == [
        ("Ama Auditor", "Area 6 — Collaborative Scale", "(empty)", "4"),
        ("Pat <i>Practitioner</i>", lines[1].what, "(empty)", "5"),
    ]
    assert "Practitioner scaling" in lines[1].what
    html = history_html(lines)
    assert "Pat &lt;i&gt;Practitioner&lt;/i&gt;" in html
    assert "<i>" not in html


def test_changing_a_completed_grade_needs_a_reason_and_is_logged_with_it(
    store: Store, people: dict
) -> None:
    audit_id = completed_audit(store, people["auditor"], people["practitioner"], 6)
    before = store.history(audit_id, people["qa"])
    for reason in ("", "   ", None):
        with pytest.raises(InvalidAnswer, match="Say why"):
            store.change_completed_grade(audit_id, 4, reason, people["auditor"])  # type: ignore[arg-type]
    assert store.answer_values(audit_id)[OVERALL] == 6
    assert store.history(audit_id, people["qa"]) == before
    with pytest.raises(NotAllowed, match="Only the auditor"):
        store.change_completed_grade(audit_id, 4, "Moderation", people["qa"])
    with pytest.raises(InvalidAnswer):
        store.change_completed_grade(audit_id, 11, "Too high", people["auditor"])
    assert store.answer_values(audit_id)[OVERALL] == 6

    store.change_completed_grade(
        audit_id, 4, "Agreed with the moderator on 20 Nov", people["auditor"]
    )
    assert store.answer_values(audit_id)[OVERALL] == 4
    last = _lines(store, audit_id, people["qa"])[-1]
    assert (last.old, last.new, last.reason, last.who) == (
        "6",
        "4",
        "Agreed with the moderator on 20 Nov",
        "Ama Auditor",
    )
    assert "(reason: Agreed with the moderator on 20 Nov)" in last.text


def test_a_grade_can_be_changed_this_way_only_on_a_completed_audit(
    store: Store, people: dict
) -> None:
    audit = new_audit(store, people["auditor"], people["practitioner"], "LL-6")
    with pytest.raises(InvalidAnswer, match="not complete"):
        store.change_completed_grade(audit.id, 4, "why", people["auditor"])
    assert store.history(audit.id, people["qa"]) == []


def test_history_lines_keep_time_order_and_html_shows_newest_first() -> None:
    form = registry().latest("collaborative_case_audit")
    t0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone.utc)
    rows = [
        {
            "field_key": "state",
            "old": "graded",
            "new": "complete",
            "changed_by": 1,
            "changed_at": t0,
            "reason": None,
        },
        {
            "field_key": OVERALL,
            "old": 6,
            "new": 4,
            "changed_by": 2,
            "changed_at": t0 + dt.timedelta(hours=1),
            "reason": "Moderated",
        },
    ]
    lines = history_lines(rows, [form], {1: "Ama", 2: "Bo"})
    assert [line.who for line in lines] == ["Ama", "Bo"]
    html = history_html(lines)
    assert html.index("Bo") < html.index("Ama")
    assert "Moderated" in html
