"""The fictional demo: idempotent, spread across the audit's stages, and made by the rules."""

from __future__ import annotations

import subprocess
import sys

from toolkit.core import lifecycle
from toolkit.demo.history import HISTORY_AUDITS
from toolkit.demo.seed import PEOPLE, seed_demo
from toolkit.store import Store

PREPARATION_PREFIX = ("self_assessment_difference.", "self_assessment_use_of_sos.")


def _all_audits(store: Store):
    qa = next(p for p in store.people() if "quality_assurance" in p.roles)
    return store.audits_for(qa, include_demo=True)


def test_seeding_twice_adds_nothing_the_second_time(store):
    first = seed_demo(store)
    assert first["created"] is True
    people, audits = len(store.people()), store.count_audits()
    assert people == len(PEOPLE)
    assert audits == 6

    second = seed_demo(store)
    assert second == {"created": False, "people": {}, "audits": {}}
    assert len(store.people()) == people
    assert store.count_audits() == audits


def test_nothing_is_added_to_a_register_that_has_people(store):
    store.add_person("Real Person", ["practitioner"])
    assert seed_demo(store)["created"] is False
    assert store.count_audits() == 0


def test_the_register_has_the_roles_a_demo_needs(store):
    seed_demo(store)
    people = store.people()
    roles = [p.roles for p in people]
    assert sum({"auditor", "manager"} <= r for r in roles) >= 2
    assert sum("practitioner" in r for r in roles) >= 3
    assert sum("quality_assurance" in r for r in roles) == 1
    assert sum("business_support" in r for r in roles) == 1
    assert len({p.service for p in people}) >= 3
    assert all(p.email.endswith("@example.org") for p in people)
    assert len({p.username for p in people}) == len(people)


def test_demo_audits_span_every_stage(store):
    result = seed_demo(store)
    audits = _all_audits(store)
    assert {a.id for a in audits} == set(result["audits"].values())
    states = {a.state for a in audits}
    assert len(states) >= 5
    assert states == set(lifecycle.STATES)
    assert all(a.demo for a in audits)
    assert all(a.child_id.startswith("LL-") for a in audits)
    assert len({a.child_id for a in audits}) == len(audits)


def test_complete_audits_meet_the_completion_rules(store):
    seed_demo(store)
    complete = [a for a in _all_audits(store) if a.state == "complete"]
    assert len(complete) == 2
    ratings = []
    for audit in complete:
        answers = store.answer_values(audit.id)
        actions = [a for a in store.actions(audit.id) if a["status"] != "cancelled"]
        form = store.form_of(audit)
        assert lifecycle.completion_problems(answers, actions, form) == []
        # the Inadequate one also has the practice observation the source asks for
        assert len(actions) == (3 if lifecycle.below_good(answers[lifecycle.OVERALL_RATING]) else 2)
        assert all(a["who"] and a["due"] for a in actions)
        assert audit.completed_at is not None
        for n in range(6, 19):  # every area of practice scaled, with the auditor's rationale
            assert answers[f"area_{n}.collaborative_scale"] is not None
            assert answers[f"area_{n}.auditor_rationale"].strip()
        ratings.append(answers[lifecycle.OVERALL_RATING])
    assert min(ratings) <= 2, "one complete audit is Inadequate (0–2)"
    assert max(ratings) >= 6, "one complete audit is Good"


def test_each_answer_was_given_by_the_person_whose_part_it_is(store):
    result = seed_demo(store)
    created_by_business_support = result["people"]["colin"]
    for audit in _all_audits(store):
        for key, answer in store.answers(audit.id).items():
            if answer.updated_by == created_by_business_support:
                continue  # names and the child's ID, filled in when the audit was allocated
            expected = (
                audit.practitioner_id if key.startswith(PREPARATION_PREFIX) else audit.auditor_id
            )
            assert answer.updated_by == expected, (audit.child_id, key)


def test_stages_have_what_they_should(store):
    result = seed_demo(store)
    ids = result["audits"]
    preparation = store.answer_values(ids["preparation"])
    assert preparation["self_assessment_difference.scale"] is not None
    assert "self_assessment_use_of_sos.what_worked_well" not in preparation  # only partly done

    in_progress = store.answer_values(ids["in_progress"])
    scaled = [
        k for k, v in in_progress.items() if k.endswith(".collaborative_scale") and v is not None
    ]
    assert len(scaled) >= 3
    for key in scaled:
        assert in_progress[key.replace("collaborative_scale", "auditor_rationale")].strip()
    assert lifecycle.OVERALL_RATING not in in_progress

    graded = store.answer_values(ids["graded"])
    assert graded[lifecycle.OVERALL_RATING] is not None
    assert not store.actions(ids["graded"])


def test_seed_demo_command(tmp_path):
    data = tmp_path / "data"
    command = [sys.executable, "-m", "toolkit", "seed-demo", "--data-dir", str(data)]
    first = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    assert f"Added the demo people ({len(PEOPLE)}) and audits (6)" in first.stdout
    assert f"{HISTORY_AUDITS} past audits" in first.stdout
    second = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    assert "nothing was added" in second.stdout
    store = Store(f"sqlite:///{data / 'toolkit.sqlite'}")
    try:
        assert store.count_audits() == 6 + HISTORY_AUDITS
    finally:
        store.close()


def test_importing_the_command_line_is_cheap():
    code = (
        "import sys, toolkit.cli.main; "
        "heavy = [m for m in ('sqlalchemy', 'pandas', 'voila', 'yaml', 'pydantic', 'ipywidgets') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_demo_inadequate_audit_has_its_escalation_and_follow_ups(store):
    import datetime as dt

    from toolkit.audit import completion, escalation

    result = seed_demo(store)
    inadequate, good = result["audits"]["complete_inadequate"], result["audits"]["complete_good"]
    qa = store.person(result["people"]["nadia"])
    (esc,) = escalation.escalations(store, inadequate, qa)
    assert esc["tasks_due_at"] - esc["created_at"] == dt.timedelta(hours=24)
    notes = escalation.notifications(store, inadequate)
    assert {n["recipient_role"] for n in notes} == {r for r, _ in escalation.RECIPIENT_ROLES}
    assert all(n["route"] == "copy" and n["recipient_email"] for n in notes)  # never sent
    assert escalation.escalations(store, good, qa) == []
    assert completion.follow_up(store, good)
    assert completion.follow_up(store, inadequate)
