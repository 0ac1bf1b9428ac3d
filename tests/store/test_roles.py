"""Role × action: every forbidden read or write raises NotAllowed with a clear message and
changes nothing in the store; the allowed ones work.

Roles decide (toolkit/core/permissions.py): the practitioner reads their own audits and answers only
the preparation, and may mark their actions done; the auditor edits the audits allocated to them
and follows them up; a team manager reads the audits of their team; service managers and heads
of service read their service's; quality assurance and the deputy director read all; business
support allocates (and reads no answers); only quality assurance changes the register; only the
allocated moderator records a moderation; a trainer has no access to real audits.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.audits import skip_all
from tests.support.register import World, build_world, snapshot
from toolkit.audit import completion, escalation
from toolkit.audit.allocation import import_allocation
from toolkit.audit.people import import_people
from toolkit.core.permissions import check_moderator
from toolkit.store import NotAllowed, Store

PREPARATION = "self_assessment_difference.scale"
AREA = "area_6.collaborative_scale"


def _action_id(world: World) -> int:
    return world.store.actions(world.open_audit.id)[0]["id"]


ACTIONS: dict[str, Callable[[World, object], object]] = {
    "read the audit": lambda w, p: w.store.audit(w.open_audit.id, p),
    "read the answers": lambda w, p: w.store.answers(w.open_audit.id, p),
    "read the escalation": lambda w, p: escalation.escalations(w.store, w.done_audit.id, p),
    "answer the preparation": lambda w, p: w.store.save_answer(w.open_audit.id, PREPARATION, 5, p),
    "answer the audit": lambda w, p: w.store.save_answer(w.open_audit.id, AREA, 5, p),
    "add an action": lambda w, p: w.store.add_action(w.open_audit.id, p, what="More"),
    "reword an action": lambda w, p: w.store.update_action(_action_id(w), p, what="Other"),
    "mark an action done": lambda w, p: w.store.update_action(
        _action_id(w), p, status="done", completion_note="Seen on 3 Dec."
    ),
    "complete the audit": lambda w, p: completion.complete_audit(
        w.store, w.open_audit.id, p, smtp=None, skipped=skip_all(w.store, w.open_audit.id)
    ),
    "record the follow-up": lambda w, p: completion.record_follow_up(
        w.store, w.done_audit.id, p, "Visit done."
    ),
    "allocate audits": lambda w, p: import_allocation(
        w.store, b"Auditor,Child's ID,Allocated worker\nada,LL-300001,olly\n", "a.csv", p
    ),
    "change the register": lambda w, p: import_people(
        w.store, b"Name,Username,Email,Team,Service,Roles\nNew,new,,,,auditor\n", "p.csv", p
    ),
    "record a moderation": lambda w, p: check_moderator(p, w["mo"].id, 1, "record the moderation"),
}
READS = {"read the audit", "read the answers", "read the escalation"}
ALL = set(ACTIONS)

ALLOWED: dict[str, set[str]] = {
    "pat": READS | {"answer the preparation", "mark an action done"},
    "sky": READS | {"answer the preparation", "mark an action done"},  # Staying Together worker
    "abe": READS
    | {
        "answer the audit",
        "add an action",
        "reword an action",
        "mark an action done",
        "complete the audit",
        "record the follow-up",
    },
    "mia": READS,  # the team manager of the practitioner's team
    "olly": set(),  # another practitioner of the same team
    "ada": set(),  # another auditor
    "cal": set(),  # the manager of another team
    "mo": {"record a moderation"},  # allocated this moderation only (reads come with it)
    "quinn": READS | {"allocate audits", "change the register"},
    "bea": {"allocate audits"},
    "tia": set(),
    "sam": READS,  # service manager of the audit's service
    "sue": set(),  # service manager of another service
    "hal": READS,
    "dee": READS,
}
FORBIDDEN = [(who, action) for who in ALLOWED for action in sorted(ALL - ALLOWED[who])]
PERMITTED = [(who, action) for who in ALLOWED for action in sorted(ALLOWED[who])]


@pytest.fixture
def world(store: Store) -> World:
    return build_world(store)


@pytest.mark.parametrize(("who", "action"), FORBIDDEN)
def test_a_forbidden_read_or_write_is_refused_and_changes_nothing(
    world: World, who: str, action: str
) -> None:
    before = snapshot(world.store)
    with pytest.raises(NotAllowed) as refused:
        ACTIONS[action](world, world[who])
    message = str(refused.value)
    assert world[who].name in message  # says who was refused, in words fit to show them
    assert "only" in message.lower() or "may not" in message.lower()
    assert snapshot(world.store) == before


@pytest.mark.parametrize(("who", "action"), PERMITTED)
def test_what_a_role_may_do_it_can(world: World, who: str, action: str) -> None:
    ACTIONS[action](world, world[who])


def test_every_role_is_tried_for_every_action() -> None:
    from tests.support.register import PEOPLE
    from toolkit.core.permissions import ROLES

    held = {r for _name, roles, _t, _s in PEOPLE.values() for r in roles.split(",")}
    assert held == set(ROLES)
    assert len(FORBIDDEN) + len(PERMITTED) == len(ALLOWED) * len(ACTIONS)


def test_home_lists_what_each_person_may_read(world: World) -> None:
    """The home list applies the same rule as opening an audit."""
    store = world.store
    for who in ALLOWED:
        listed = {a.id for a in store.audits_for(world[who])}
        readable = set()
        for audit in (world.open_audit, world.done_audit):
            try:
                store.audit(audit.id, world[who])
                readable.add(audit.id)
            except NotAllowed:
                pass
        assert listed == readable, who


def test_the_practitioner_cannot_cancel_or_reword_while_marking_done(world: World) -> None:
    before = snapshot(world.store)
    for changes in (
        {"status": "cancelled"},
        {"status": "done", "what": "Changed"},
        {"due": "2027-01-01"},
    ):
        with pytest.raises(NotAllowed, match="mark their own actions done"):
            world.store.update_action(_action_id(world), world["pat"], **changes)
    assert snapshot(world.store) == before
