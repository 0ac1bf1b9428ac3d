"""Who looked, on the screens (built without a browser): each opening of a record writes exactly
one row with who, what, which record and through which notebook; a refused opening writes one
refused row and shows nothing of the record; downloads and exports are rows; quality assurance
and the audit's auditor see "Who has opened this audit", the practitioner does not; quality
assurance exports the log of a period as CSV, and that export is a row too."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re

import pytest

from tests.support.audits import completed_audit, new_audit
from tests.support.chosen import choose
from toolkit.apps.audit.app import AuditApp, AuditScreen, HomeScreen
from toolkit.apps.calibration import CalibrationApp, LearnerScreen, TrainerView
from toolkit.apps.moderation import ModerationApp, ModerationScreen
from toolkit.apps.reports import ReportsApp
from toolkit.apps.supervision.app import SessionScreen, SupervisionApp
from toolkit.apps.thematic import ThematicApp, ThematicScreen
from toolkit.standards.store import create_thematic_audit
from toolkit.store import NotAllowed, Store
from toolkit.store.moderations import Moderations
from toolkit.supervision.store import SupervisionStore
from toolkit.training.calibration import CalibrationStore
from toolkit.training.demo_store import open_training_store


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def find_all(root, css: str) -> list:
    return [w for w in _walk(root) if css in getattr(w, "_dom_classes", ())]


def find(root, css: str):
    found = find_all(root, css)
    assert found, f"no widget with class {css}"
    return found[0]


def texts(root) -> str:
    return " ".join(w.value for w in _walk(root) if type(w).__name__ == "HTML")


def as_person(person, monkeypatch, query: str = "") -> None:
    choose(person)
    monkeypatch.setenv("QUERY_STRING", query)


def looks(store: Store) -> list[tuple]:
    """(who, action, kind, id, screen, allowed) of every row, oldest first."""
    return [
        (r.person_id, r.action, r.record_kind, r.record_id, r.screen, r.allowed)
        for r in store.access_log_for_admin()
    ]


@pytest.fixture
def env(app_store, monkeypatch):
    monkeypatch.delenv("SOS_TOOLKIT_AUTHORITY", raising=False)
    store = app_store
    people = {
        "auditor": store.add_person("Ada Auditor", ["auditor", "manager"], team="North"),
        "practitioner": store.add_person("Priya Practitioner", ["practitioner"], team="South"),
        "stranger": store.add_person("Sam Stranger", ["practitioner"], team="East"),
        "qa": store.add_person("Quinn QA", ["quality_assurance"], username="quinn"),
        "moderator": store.add_person("Mo Moderator", ["moderator"]),
    }
    audit = new_audit(store, people["auditor"], people["practitioner"], child_id="LL-SECRET")
    return store, people, audit


# --- audits -------------------------------------------------------------------------------------


def test_a_deep_link_is_one_row_and_moving_about_the_audit_adds_none(env, monkeypatch):
    store, people, audit = env
    pat = people["practitioner"]
    as_person(pat, monkeypatch, f"audit={audit.id}")
    app = AuditApp(store)
    screen = app.screen
    assert isinstance(screen, AuditScreen)
    one = (pat.id, "open", "audit", str(audit.id), "audit.ipynb", True)
    assert looks(store) == [one]
    # sections, areas, the record and history, a save and a refreshed summary: the same opening
    screen.show_section("case_file_health_check")
    screen.show_section("areas_of_practice", "area_7")
    screen.show_section("areas_of_practice", "area_8")
    screen.show_history()
    screen.show_section("practitioner_preparation")
    screen.refresh_summary()
    assert looks(store) == [one]
    # back to the list and open it again: a second opening
    find(screen, "back-home").click()
    assert isinstance(app.screen, HomeScreen)
    assert looks(store) == [one]
    find(app.screen, f"open-audit-{audit.id}").click()
    assert isinstance(app.screen, AuditScreen)
    assert looks(store) == [one, one]
    (first, _second) = store.access_log(people["qa"], record_kind="audit", record_id=audit.id)
    assert first.actor == "Priya Practitioner"  # no username on the embedded default: the name


def test_a_refused_deep_link_is_one_refused_row_and_shows_nothing(env, monkeypatch):
    store, people, audit = env
    sam = people["stranger"]
    as_person(sam, monkeypatch, f"audit={audit.id}")
    app = AuditApp(store)
    assert isinstance(app.screen, HomeScreen)
    assert "may not open it" in app.messages.value
    assert "LL-SECRET" not in texts(app)
    assert looks(store) == [(sam.id, "open", "audit", str(audit.id), "audit.ipynb", False)]
    (row,) = store.access_log(people["qa"])
    assert "may not open it" in row.detail


def test_a_link_to_an_audit_that_is_not_there_is_a_refused_row(env, monkeypatch):
    store, people, _audit = env
    as_person(people["stranger"], monkeypatch, "audit=999")
    AuditApp(store)
    assert looks(store) == [(people["stranger"].id, "open", "audit", "999", "audit.ipynb", False)]


def test_the_records_download_and_the_period_export_are_rows(env, monkeypatch):
    store, people, audit = env
    qa = people["qa"]
    as_person(qa, monkeypatch, f"audit={audit.id}")
    app = AuditApp(store)
    app.screen.show_history()
    find(app.screen, "prepare-record").click()
    assert "download-pdf" in find(app.screen, "record-links").value
    back_home = find(app.screen, "back-home")
    back_home.click()
    find(app.screen, "export-csv").click()
    assert "download-csv" in find(app.screen, "period-export").children[-1].value
    assert looks(store) == [
        (qa.id, "open", "audit", str(audit.id), "audit.ipynb", True),
        (qa.id, "download", "audit", str(audit.id), "audit.ipynb", True),
        (qa.id, "export", "period_export", None, "audit.ipynb", True),
    ]
    rows = store.access_log(qa)
    assert rows[1].detail == "HTML and PDF"
    today = dt.date.today()
    assert rows[2].detail == f"audits {today.replace(day=1)} to {today} as csv"


# --- "Who has opened this audit" ----------------------------------------------------------------


def test_the_auditor_and_qa_see_who_opened_the_audit_newest_first_and_the_practitioner_does_not(
    env, monkeypatch
):
    store, people, audit = env
    as_person(people["practitioner"], monkeypatch, f"audit={audit.id}")
    pat_app = AuditApp(store)
    as_person(people["stranger"], monkeypatch, f"audit={audit.id}")
    AuditApp(store)  # refused
    as_person(people["auditor"], monkeypatch, f"audit={audit.id}")
    app = AuditApp(store)
    app.screen.show_history()
    section = find(app.screen, "who-opened")
    assert "Who has opened this audit" in texts(section)
    rows = re.findall(r'<tr class="opening-row[^"]*">(.*?)</tr>', texts(section))
    assert len(rows) == 3
    assert "Ada Auditor" in rows[0]  # newest first: the auditor's own opening
    assert "Sam Stranger" in rows[1]
    assert "Refused" in rows[1]
    assert "Priya Practitioner" in rows[2]
    assert "Refused" not in rows[2]
    assert "Collaborative case audit (audit.ipynb)" in rows[2]
    # UK time, with the zone: GMT in winter, BST in summer
    assert re.search(r"\d{1,2} \w{3} \d{4} \d{2}:\d{2} (GMT|BST)", rows[2])

    as_person(people["qa"], monkeypatch, f"audit={audit.id}")
    qa_app = AuditApp(store)
    qa_app.screen.show_history()
    assert "Sam Stranger" in texts(find(qa_app.screen, "who-opened"))

    pat_app.screen.show_history()
    assert find_all(pat_app.screen, "who-opened") == []
    assert "Who has opened" not in texts(pat_app.screen)
    with pytest.raises(NotAllowed):  # and the store refuses the practitioner, not only the screen
        store.audit_openings(people["practitioner"], audit.id)


def test_names_in_who_opened_are_escaped(env, monkeypatch):
    store, people, audit = env
    sneaky = store.add_person("<img src=x onerror=alert(1)>", ["quality_assurance"])
    as_person(sneaky, monkeypatch, f"audit={audit.id}")
    AuditApp(store)
    as_person(people["auditor"], monkeypatch, f"audit={audit.id}")
    app = AuditApp(store)
    app.screen.show_history()
    shown = texts(find(app.screen, "who-opened"))
    assert "<img" not in shown
    assert "&lt;img src=x" in shown


# --- the other apps -----------------------------------------------------------------------------


def test_opening_a_supervision_session_its_record_and_a_refusal(env, monkeypatch):
    store, people, _audit = env
    sup = SupervisionStore(store)
    manager, worker = people["auditor"], people["practitioner"]
    record = sup.create_session("ears", manager, supervisee=worker, title="Monthly")
    as_person(worker, monkeypatch, f"session={record.id}")
    app = SupervisionApp(store)
    assert isinstance(app.screen, SessionScreen)
    find(app.screen, "prepare-record").click()
    assert "record-download-pdf" in find(app.screen, "record-link").value
    as_person(people["stranger"], monkeypatch, f"session={record.id}")
    refused = SupervisionApp(store)
    assert not isinstance(refused.screen, SessionScreen)
    assert "Monthly" not in texts(refused)
    sid = str(record.id)
    assert looks(store) == [
        (worker.id, "open", "supervision_session", sid, "supervision.ipynb", True),
        (worker.id, "download", "supervision_session", sid, "supervision.ipynb", True),
        (people["stranger"].id, "open", "supervision_session", sid, "supervision.ipynb", False),
    ]


def test_a_session_started_from_an_audit_shows_under_who_has_opened_it(app_store, monkeypatch):
    store = app_store
    auditor = store.add_person("Ada Auditor", ["auditor", "manager"], team="North")
    worker = store.add_person("Priya Practitioner", ["practitioner"], team="South")
    audit_id = completed_audit(store, auditor, worker, 6)
    as_person(auditor, monkeypatch, f"audit={audit_id}")
    app = SupervisionApp(store)  # its findings, to start a session from them
    find(app.screen, "start-session").click()
    assert isinstance(app.screen, SessionScreen)
    sid = app.screen.record.id
    assert looks(store) == [
        (auditor.id, "open", "audit", str(audit_id), "supervision.ipynb", True),
        (auditor.id, "open", "supervision_session", str(sid), "supervision.ipynb", True),
    ]
    shown = store.audit_openings(auditor, audit_id)
    assert [(r.record_kind, r.record_id) for r in shown] == [
        ("supervision_session", str(sid)),
        ("audit", str(audit_id)),
    ]
    assert shown[1].detail == "its findings, to start a session"


def test_opening_a_thematic_audit_and_a_refusal(env, monkeypatch):
    store, people, _audit = env
    thematic = create_thematic_audit(store, people["auditor"], "bexley", ["ra"], child_id="LL-9")
    as_person(people["auditor"], monkeypatch, f"thematic={thematic.id}")
    app = ThematicApp(store)
    assert isinstance(app.screen, ThematicScreen)
    as_person(people["stranger"], monkeypatch, f"thematic={thematic.id}")
    refused = ThematicApp(store)
    assert not isinstance(refused.screen, ThematicScreen)
    tid = str(thematic.id)
    assert looks(store) == [
        (people["auditor"].id, "open", "thematic_audit", tid, "thematic_audit.ipynb", True),
        (people["stranger"].id, "open", "thematic_audit", tid, "thematic_audit.ipynb", False),
    ]


def test_opening_a_moderation_once_even_after_completing_it_and_the_auditor_sees_it(
    app_store, monkeypatch
):
    store = app_store
    auditor = store.add_person("Ada Auditor", ["auditor"], team="North")
    practitioner = store.add_person("Priya Practitioner", ["practitioner"], team="South")
    moderator = store.add_person("Mo Moderator", ["moderator"])
    qa = store.add_person("Quinn QA", ["quality_assurance"])
    audit_id = completed_audit(store, auditor, practitioner, 6)
    book = Moderations(store)
    (m,) = book.select_and_allocate(qa, dt.date.today(), 1.0, seed=1)
    as_person(moderator, monkeypatch, f"moderation={m.id}")
    app = ModerationApp(store)
    screen = app.body.children[0]
    assert isinstance(screen, ModerationScreen)
    for key, view in screen.views.items():
        if key.endswith(("_scale", "_rating")):
            view.input.value = 6
    screen.views["feedback.good_practice"].input.value = "Clear plan."
    screen.views["feedback.development"].input.value = "Network."
    screen.views["audit_actions.actions_completed"].input.value = "Yes"
    screen.views["agreement.agrees"].input.value = "Agree"
    find(screen, "complete-moderation").click()
    assert book.get(m.id).state == "complete"
    assert isinstance(app.body.children[0], ModerationScreen)  # shown again, not opened again
    as_person(practitioner, monkeypatch, f"moderation={m.id}")
    ModerationApp(store)  # refused
    mid = str(m.id)
    assert looks(store) == [
        (moderator.id, "open", "moderation", mid, "moderation.ipynb", True),
        (practitioner.id, "open", "moderation", mid, "moderation.ipynb", False),
    ]
    # a moderation shows the whole audit: its openings are on the audit's list too
    shown = store.audit_openings(auditor, audit_id)
    assert [(r.person_id, r.record_kind, r.allowed) for r in shown] == [
        (practitioner.id, "moderation", False),
        (moderator.id, "moderation", True),
    ]


def test_the_trainer_view_is_a_row_in_the_live_log_and_the_learners_view_is_not(
    data_dir, monkeypatch
):
    live = Store()
    trainer = live.add_person("Tess Trainer", ["trainer"], username="tess")
    choose(trainer)
    training = open_training_store()
    code = CalibrationStore(training, live).start("greenfield", trainer).code
    monkeypatch.setenv("QUERY_STRING", f"exercise={code}")
    learner = CalibrationApp(training, live)
    assert find_all(learner, "calibration-app")
    assert isinstance(learner.body.children[0], LearnerScreen)
    assert looks(live) == []
    monkeypatch.setenv("QUERY_STRING", f"exercise={code.lower()}&view=trainer")
    view = CalibrationApp(training, live)
    assert isinstance(view.body.children[0], TrainerView)
    monkeypatch.setenv("QUERY_STRING", "exercise=NOSUCH&view=trainer")
    wrong = CalibrationApp(training, live)
    assert find_all(wrong, "calibration-results") == []
    assert "no exercise" in wrong.messages.value
    other = live.add_person("Tom Trainer", ["trainer"], username="tom")
    choose(other)  # another trainer (or a learner who chose a name) adds &view=trainer
    monkeypatch.setenv("QUERY_STRING", f"exercise={code}&view=trainer")
    refused = CalibrationApp(training, live)
    assert find_all(refused, "calibration-results") == []
    assert looks(live) == [
        (trainer.id, "open", "calibration_exercise", code, "calibration.ipynb", True),
        (trainer.id, "open", "calibration_exercise", "NOSUCH", "calibration.ipynb", False),
        (other.id, "open", "calibration_exercise", code, "calibration.ipynb", False),
    ]
    assert training.access_log_for_admin() == []  # the training store (reset by trainers) has none
    live.close()
    training.close()


# --- quality assurance's export of the log ------------------------------------------------------


def _csv_of(link_html: str) -> list[list[str]]:
    href = re.search(r'href="data:text/csv;base64,([^"]+)"', link_html)
    assert href, link_html[:300]
    text = base64.b64decode(href.group(1)).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_quality_assurance_exports_who_looked_for_a_period_and_the_export_is_a_row(
    env, monkeypatch
):
    store, people, audit = env
    formula = store.add_person('=HYPERLINK("http://evil.example","x")', ["practitioner"])
    as_person(formula, monkeypatch, f"audit={audit.id}")
    AuditApp(store)  # refused: a row whose name is a formula
    as_person(people["practitioner"], monkeypatch, f"audit={audit.id}")
    AuditApp(store)
    qa = people["qa"]
    as_person(qa, monkeypatch)
    app = ReportsApp(store)
    panel = find(app, "access-log-export")
    today = dt.date.today()
    panel.start.value, panel.end.value = today, today
    find(panel, "export-access-log").click()
    table = _csv_of(find(panel, "access-log-links").value)
    assert table[0][:3] == ["When (UTC)", "Who", "Action"]
    assert [row[1] for row in table[1:]] == [
        '\'=HYPERLINK("http://evil.example","x")',
        "Priya Practitioner",
    ]
    assert [row[6] for row in table[1:]] == ["refused", "yes"]
    # the export itself is the newest row, by quality assurance, from the reports app
    newest = store.access_log(qa)[-1]
    assert (newest.person_id, newest.action, newest.record_kind, newest.screen) == (
        qa.id,
        "export",
        "period_export",
        "reports.ipynb",
    )
    assert newest.detail == f"who looked, {today} to {today}"
    # a period before any of it holds nothing but the headings
    panel.start.value = panel.end.value = today - dt.timedelta(days=3)
    find(panel, "export-access-log").click()
    assert len(_csv_of(find(panel, "access-log-links").value)) == 1


def test_a_backwards_period_is_refused_and_exports_nothing(env, monkeypatch):
    store, people, _audit = env
    as_person(people["qa"], monkeypatch)
    panel = find(ReportsApp(store), "access-log-export")
    panel.start.value, panel.end.value = dt.date(2026, 3, 2), dt.date(2026, 3, 1)
    find(panel, "export-access-log").click()
    assert "before it starts" in panel.links.value
    assert "data:" not in panel.links.value
    assert looks(store) == []


def test_only_quality_assurance_has_the_who_looked_panel(env, monkeypatch):
    store, people, _audit = env
    as_person(people["qa"], monkeypatch)
    assert "Who looked" in texts(find(ReportsApp(store), "access-log-export"))
    as_person(people["auditor"], monkeypatch)
    app = ReportsApp(store)
    assert find_all(app, "access-log-export") == []
    with pytest.raises(NotAllowed):
        store.access_log(people["auditor"])
