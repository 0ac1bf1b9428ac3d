"""'Start an audit' keeps allocation's rules: one check (``toolkit/core/audit_rules.py``) refuses an
auditor from the worker's own team, a non-auditor, and a second audit of a child whose audit is
under way, in the store both paths use; the escalation never names the auditor (or the
worker) as the worker's team manager."""

from __future__ import annotations

import datetime as dt
import html
import io

import openpyxl
import pytest
from sqlalchemy import insert

from tests.support.audits import new_audit, skip_all
from tests.support.chosen import choose
from tests.support.register import add_people, snapshot
from toolkit.apps.audit.app import AuditApp
from toolkit.audit import escalation
from toolkit.audit.allocation import check_file
from toolkit.audit.completion import complete_audit
from toolkit.audit.people import PeopleIndex
from toolkit.forms.loader import registry
from toolkit.store import InvalidAnswer, Store, schema

FORM = "collaborative_case_audit"
OWN_TEAM = "is in Pat O'Neil's own team (Team A): the file audited must be from another team"


@pytest.fixture
def people(app_store: Store):
    p = add_people(app_store)
    # Tom audits and manages in Pat's own team (Team A)
    p["tom"] = app_store.add_person(
        "Tom Team-Lead",
        ["auditor", "manager"],
        username="tom",
        email="tom@example.org",
        team="Team A",
        service=p["pat"].service,
    )
    return p


def _start(store: Store, auditor, practitioner, child_id: str = "LL-500001"):
    return new_audit(store, auditor, practitioner, child_id)


def _allocation_reasons(store: Store, rows: list[list]) -> list[str]:
    book = openpyxl.Workbook()
    for row in [["Auditor", "Child's ID", "Allocated worker"], *rows]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return [p.reason for p in check_file(store, out.getvalue(), "a.xlsx").problems]


def test_the_store_refuses_an_auditor_from_the_workers_own_team(app_store, people) -> None:
    before = snapshot(app_store)
    with pytest.raises(InvalidAnswer) as refused:
        _start(app_store, people["tom"], people["pat"])
    assert f"Tom Team-Lead {OWN_TEAM}" in str(refused.value)
    assert snapshot(app_store) == before
    assert app_store.count_audits() == 0
    # the same words as the allocation spreadsheet gives for the same pair
    assert _allocation_reasons(app_store, [["tom", "LL-500001", "pat"]]) == [
        f"Tom Team-Lead {OWN_TEAM}"
    ]
    assert _start(app_store, people["abe"], people["pat"]).auditor_id == people["abe"].id


def test_the_store_refuses_a_non_auditor_and_a_second_audit_under_way(app_store, people) -> None:
    with pytest.raises(InvalidAnswer, match="Cal Manager is not an auditor"):
        _start(app_store, people["cal"], people["pat"])
    first = _start(app_store, people["abe"], people["pat"], "LL-500002")
    with pytest.raises(InvalidAnswer, match=f"already has audit #{first.id} under way"):
        _start(app_store, people["ada"], people["olly"], "ll-500002")  # any case of the ID
    with pytest.raises(InvalidAnswer, match="under way"):  # within one spreadsheet too
        app_store.create_audits(
            registry().latest(FORM),
            [
                {"child_id": "LL-500003", "auditor": people["abe"], "practitioner": people["pat"]},
                {"child_id": "LL-500003", "auditor": people["ada"], "practitioner": people["pat"]},
            ],
            created_by=people["bea"],
        )
    assert app_store.count_audits() == 1


def test_start_an_audit_on_screen_shows_the_refusal_and_creates_nothing(app_store, people) -> None:
    choose(people["tom"])
    app = AuditApp(app_store)
    (form,) = [w for w in _walk(app) if "start-form" in getattr(w, "_dom_classes", ())]
    child, practitioner, start = form.children[1:]
    child.value = "LL-500004"
    practitioner.value = people["pat"].id
    start.click()
    assert f"Tom Team-Lead {OWN_TEAM}" in html.unescape(app.messages.value)
    assert app_store.count_audits() == 0
    assert "audit-screen" not in _classes(app)
    practitioner.value = people["olly"].id  # Olly is in Team A too
    start.click()
    assert "own team" in app.messages.value
    assert app_store.count_audits() == 0


def test_the_escalation_never_names_the_auditor_or_worker_as_team_manager(
    app_store, people, monkeypatch
) -> None:
    """An audit recorded before the rule (or with its manager mistyped): Tom audited his own
    team's file and was recorded as its manager; the escalation goes to Mia, Team A's other
    manager, and Tom is told only as the auditor who graded it."""
    for name in ("HOST", "PORT", "FROM"):
        monkeypatch.delenv(f"SOS_TOOLKIT_SMTP_{name}", raising=False)
    stamp = dt.datetime.now(dt.timezone.utc)
    with app_store.engine.begin() as conn:
        audit_id = conn.execute(
            insert(schema.audits).values(
                form_id=FORM,
                form_version=registry().latest(FORM).version,
                child_id="LL-500005",
                auditor_id=people["tom"].id,
                practitioner_id=people["pat"].id,
                manager_id=people["tom"].id,
                state="in_progress",
                team="Team A",
                service=people["pat"].service,
                demo=False,
                created_at=stamp,
                updated_at=stamp,
            )
        ).inserted_primary_key[0]
    audit = app_store.audit(audit_id)
    roles = {
        a.role: a.person for a in escalation.addressees(audit, PeopleIndex(app_store.people()))
    }
    assert roles["team_manager"] == people["mia"]
    with app_store.engine.begin() as conn:  # no manager recorded: found in the register
        conn.execute(schema.audits.update().values(manager_id=None))
    audit = app_store.audit(audit_id)
    found = escalation.addressees(audit, PeopleIndex(app_store.people()))
    managers = [a.person for a in found if a.role == "team_manager"]
    assert managers == [people["mia"]]
    app_store.save_answer(audit_id, "overall.overall_rating", 1, people["tom"])
    app_store.save_answer(audit_id, "overall.signs_of_impact", "No plan.", people["tom"])
    app_store.add_action(
        audit_id, people["tom"], what="Visit", who="Pat", due=dt.date.today(), immediate=True
    )
    complete_audit(
        app_store, audit_id, people["tom"], smtp=None, skipped=skip_all(app_store, audit_id)
    )
    notes = escalation.notifications(app_store, audit_id)
    told = {(n["recipient_role"], n["recipient_name"]) for n in notes}
    assert ("team_manager", "Mia <Manager>") in told
    assert "Tom Team-Lead" not in {name for _role, name in told}


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _classes(widget) -> set[str]:
    return {css for w in _walk(widget) for css in getattr(w, "_dom_classes", ())}
