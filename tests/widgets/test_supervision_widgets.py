"""The supervision app built without a browser: click, type, and check what reached the store."""

from __future__ import annotations

import ipywidgets as w
import pytest

from tests.support.chosen import choose
from toolkit.apps.supervision.app import HomeScreen, SessionScreen, SupervisionApp
from toolkit.apps.supervision.widgets import ProjectorView
from toolkit.store import Store
from toolkit.supervision.store import SupervisionStore


@pytest.fixture
def env(app_store):
    store = app_store
    manager = store.add_person("Maya Manager", ["manager"], team="North")
    worker = store.add_person("Wes Worker", ["practitioner"], team="North")
    return store, manager, worker, SupervisionStore(store)


def open_session(store, person, monkeypatch, session_id) -> SessionScreen:
    choose(person)
    monkeypatch.setenv("QUERY_STRING", f"session={session_id}")
    app = SupervisionApp(store)
    assert isinstance(app.screen, SessionScreen), app.messages.value
    return app.screen


def find(widget, css):
    """Every descendant widget carrying a CSS class."""
    found = []
    stack = [widget]
    while stack:
        node = stack.pop()
        if css in getattr(node, "_dom_classes", ()):
            found.append(node)
        stack.extend(getattr(node, "children", ()))
    return found


def text_of(widget) -> str:
    """All HTML shown inside a widget."""
    parts, stack = [], [widget]
    while stack:
        node = stack.pop()
        if isinstance(node, w.HTML):
            parts.append(node.value)
        stack.extend(getattr(node, "children", ()))
    return " ".join(parts)


def test_home_lists_sessions_and_starts_one(env, monkeypatch):
    store, manager, worker, sup = env
    choose(manager)
    app = SupervisionApp(store)
    assert isinstance(app.screen, HomeScreen)
    form = find(app.screen, "start-session-form")[0]
    find(form, "new-supervisee")[0].value = worker.id
    find(form, "new-title")[0].value = "October"
    find(form, "start-session")[0].click()
    assert isinstance(app.screen, SessionScreen)
    assert [s.title for s in sup.sessions_for(worker)] == ["October"]


def test_ears_round_trip_notes_steps_and_start_over(env, monkeypatch):
    store, manager, worker, sup = env
    record = sup.create_session("ears", manager, supervisee=worker)
    screen = open_session(store, manager, monkeypatch, record.id)
    ears = screen.screen
    find(ears, "ears-choice-working-well-0")[0].click()
    find(ears, "note--r1--elicit--note")[0].input.value = "The Smith network meeting"
    ears.go("amplify")
    find(ears, "note--r1--amplify--1--asked")[0].value = True
    find(ears, "note--r1--amplify--1--note")[0].input.value = "Grandma and the school"
    ears.go("reflect")
    find(ears, "note--r1--reflect--0--note")[0].input.value = "Asking early pays off"
    ears.go("start_over")
    assert not find(ears, "ears-choice-working-well-0")  # the question already asked is not offered
    find(ears, "ears-choice-quality-assurance-0")[0].click()
    assert ears.round == 2
    assert ears.step == "elicit"
    notes = sup.note_values(record.id)
    assert notes["r1.question"] == "working_well.0"
    assert notes["r1.amplify.1.asked"] is True
    assert notes["r2.question"] == "quality_assurance.0"
    assert notes["r1.step"] == "start_over"
    # reopened: the latest question, at its step, with the earlier one a click away
    again = open_session(store, manager, monkeypatch, record.id).screen
    assert again.round == 2
    find(again, "ears-round-1")[0].click()
    assert again.step == "start_over"
    again.go("amplify")
    assert find(again, "note--r1--amplify--1--note")[0].input.value == "Grandma and the school"


def test_a_supervisee_reads_but_cannot_write(env, monkeypatch):
    store, manager, worker, sup = env
    record = sup.create_session("ears", manager, supervisee=worker)
    sup.save_note(record.id, "r1.question", "biggest_difference.0", manager)
    screen = open_session(store, worker, monkeypatch, record.id)
    assert not screen.ctx.editable
    assert find(screen, "note--r1--elicit--note")[0].input.disabled


def test_grid_cell_notes_and_focus(env, monkeypatch):
    store, manager, worker, sup = env
    record = sup.create_session("reflective_tool", manager, supervisee=worker)
    grid = open_session(store, manager, monkeypatch, record.id).screen
    assert len(find(grid, "grid-cell")) == 30
    find(grid, "grid-cell-seeking-solutions-risk-sensible")[0].click()
    detail = find(grid, "cell-detail")[0]
    assert "Does the safety plan ensure safety" in detail.children[1].value
    find(grid, "note--cell--seeking-solutions--risk-sensible--note")[
        0
    ].input.value = "Plan for relapse"
    assert "has-note" in find(grid, "grid-cell-seeking-solutions-risk-sensible")[0]._dom_classes
    find(grid, "focus-stage")[0].value = "looking_after_myself"
    assert len(find(grid, "grid-cell")) == 6
    assert sup.note_values(record.id) == {
        "cell.seeking_solutions.risk_sensible.note": "Plan for relapse",
        "focus_stage": "looking_after_myself",
    }


def test_group_mapping_scale_needs_both_ends_then_shows_the_spread(env, monkeypatch):
    store, manager, _worker, sup = env
    record = sup.create_session("group_mapping", manager, group_name="North")
    group = open_session(store, manager, monkeypatch, record.id).screen
    sup.save_note(
        record.id,
        "participants",
        [
            {"name": "Ann", "role": "facilitator"},
            {"name": "Bo", "role": "case_holder"},
            {"name": "Cy", "role": "observer"},
        ],
        manager,
    )
    group.ctx.notes = sup.notes(record.id)
    group.go("scaling")
    assert "Say what 0 and what 10 mean" in text_of(group)
    find(group, "note--scale--zero")[0].input.value = "Jo will be hurt again when Dad drinks"
    find(group, "note--scale--ten")[0].input.value = "Everyone knows Jo is safe with Mum"
    rows = find(group, "rating-row")
    assert len(rows) == 3
    for row, point in zip(
        sorted(rows, key=lambda r: sorted(r._dom_classes)), (3, 6, 5), strict=True
    ):
        find(row, f"scale-point-{point}")[0].click()
    spread = find(group, "scale-spread")[0].value
    assert "lowest 3, highest 6, median 5, range 3" in spread


def test_danger_statements_get_gentle_plain_language_flags(env, monkeypatch):
    store, manager, _worker, sup = env
    record = sup.create_session("group_mapping", manager, group_name="North")
    group = open_session(store, manager, monkeypatch, record.id).screen
    group.go("danger_statements")
    find(group, "note--pairs-add")[0].click()
    find(group, "list-danger")[0].value = "There are concerns about neglect."
    flags = find(group, "list-row-extra-0")[0].value
    assert "neglect" in flags
    assert "Who is worried?" in flags
    assert sup.note_values(record.id)["pairs"] == [
        {"danger": "There are concerns about neglect.", "goal": ""}
    ]


def test_projector_shows_one_prompt_at_a_time(env, monkeypatch):
    store, manager, worker, sup = env
    record = sup.create_session("ears", manager, supervisee=worker)
    sup.save_note(record.id, "r1.question", "quality_assurance.0", manager)
    screen = open_session(store, manager, monkeypatch, record.id)
    find(screen, "projector-toggle")[0].value = True
    view = find(screen, "projector-view")[0]
    assert isinstance(view, ProjectorView)
    assert "best example of quality assurance" in view._slide.value
    assert "1 of 11" in view._slide.value
    view._next.click()
    assert "Who was involved?" in view._slide.value


@pytest.mark.parametrize("kind", ["quality_clinic", "practice_intensive", "learning_review"])
def test_record_kinds_save_notes_and_export(env, monkeypatch, kind):
    store, manager, _worker, sup = env
    record = sup.create_session(kind, manager, group_name="North")
    screen = open_session(store, manager, monkeypatch, record.id)
    if kind == "quality_clinic":
        find(screen, "clinic-theme")[0].value = "edge_of_care"
        find(screen, "note--criteria--2--met")[0].value = True
        find(screen, "note--record--3")[0].input.value = "<b>Reflective</b> discussion"
    else:
        first = "behaviours" if kind == "practice_intensive" else "going_well"
        find(screen, f"note--q--{first.replace('_', '-')}")[
            0
        ].input.value = "<b>Reflective</b> discussion"
    find(screen, "prepare-record")[0].click()
    link = find(screen, "record-link")[0].value
    assert 'download="supervision-' in link
    # the PDF is offered beside the HTML, made from it offline, and holds the note as text
    import base64
    import re
    import subprocess

    pdf_href = re.search(
        r'download="supervision-\d+\.pdf" href="data:application/pdf;base64,([^"]+)"', link
    )
    assert pdf_href, link[:300]
    pdf = base64.b64decode(pdf_href.group(1))
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout
    assert b"<b>Reflective</b> discussion" in text
    from toolkit.supervision.export import export_html

    page = export_html(sup, record.id, manager)
    assert "&lt;b&gt;Reflective&lt;/b&gt; discussion" in page
    assert "<b>Reflective" not in page
    assert "http" not in page


def test_from_a_completed_audit_to_a_supervision_session(tmp_path, monkeypatch):
    from toolkit.apps.audit.app import AuditApp
    from toolkit.demo.seed import seed_demo

    monkeypatch.setenv("SOS_TOOLKIT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    store = Store(f"sqlite:///{tmp_path}/d.sqlite")
    seed_demo(store)
    qa = next(p for p in store.people() if "quality_assurance" in p.roles)
    audit = next(a for a in store.audits_for(qa, True) if a.state == "complete")
    auditor = store.person(audit.auditor_id)
    choose(auditor)
    monkeypatch.setenv("QUERY_STRING", f"audit={audit.id}")
    audit_app = AuditApp(store)
    audit_app.screen.show_section("audit_outcome")
    assert f"supervision.ipynb?audit={audit.id}" in text_of(audit_app.screen)

    app = SupervisionApp(store)
    form = find(app.screen, "start-session-form")[0]
    shown = text_of(form)
    assert "Areas of strength" in shown
    assert "Open actions" in shown
    assert find(form, "new-supervisee")[0].value == audit.practitioner_id
    find(form, "start-session")[0].click()
    assert isinstance(app.screen, SessionScreen)
    assert app.screen.record.audit_id == audit.id
    assert "What audit" in str(find(app.screen, "audit-findings-panel")[0].get_title(0))
