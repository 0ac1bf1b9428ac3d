"""Demonstration mode on every screen, built without a kernel: the model group case mapping
revealed part by part in the supervision app (and only on the training store), and the
allocation, moderation, reports, thematic audit and timescale screens on the training store,
bannered, showing the example cases and never live data."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.chosen import choose
from tests.widgets import test_training_widgets
from tests.widgets.test_training_widgets import _find
from toolkit.apps.allocation import AllocationApp
from toolkit.apps.moderation import ModerationApp
from toolkit.apps.reports import ReportsApp
from toolkit.apps.supervision.app import SessionScreen, SupervisionApp
from toolkit.apps.thematic import ThematicApp
from toolkit.apps.timescales import TimescaleApp
from toolkit.core.html import esc
from toolkit.demo.seed import seed_demo
from toolkit.reports.load import Filters, load
from toolkit.reports.period import previous_quarter
from toolkit.store import Store
from toolkit.store.moderations import Moderations
from toolkit.supervision.store import SupervisionStore
from toolkit.training.cases import example_cases
from toolkit.training.demo_store import trainer

demo = test_training_widgets.demo  # the training store, the trainer signed in


def _session_id(store: Store, child_id: str) -> int:
    sessions = SupervisionStore(store).sessions_for(trainer(store), child_id=child_id)
    return sessions[0].id


def _mapping_screen(monkeypatch, session_id: int) -> SessionScreen:
    monkeypatch.setenv("QUERY_STRING", f"mode=demo&session={session_id}")
    app = SupervisionApp()
    assert isinstance(app.screen, SessionScreen), app.messages.value
    return app.screen


# --- the model group case mapping in the supervision app --------------------------------------


def test_the_model_danger_statements_are_revealed_only_when_the_trainer_asks(
    demo, monkeypatch
) -> None:
    screen = _mapping_screen(monkeypatch, _session_id(demo, "DEMO-greenfield"))
    assert "Maddy" in _find(screen, "demo-case-file")[0].children[0].value
    mapping = screen.screen
    mapping.go("danger_statements")
    (reveal,) = _find(mapping, "reveal-model")
    (shown,) = _find(mapping, "model-answer")
    assert shown.value == ""  # nothing before the trainer asks
    reveal.click()
    first_danger = example_cases().case("greenfield").plan.danger_statements[0].text
    assert "<ol>" in shown.value
    assert esc(first_danger) in shown.value
    assert reveal.layout.display == "none"


def test_each_step_reveals_its_own_part_of_the_model_one_button_per_part(demo, monkeypatch) -> None:
    mapping = _mapping_screen(monkeypatch, _session_id(demo, "DEMO-pellow")).screen
    mapping.go("three_columns")
    buttons = _find(mapping, "reveal-model")
    assert [b.description for b in buttons] == [
        "Reveal the model: What are we worried about?",
        "Reveal the model: What's working well?",
        "Reveal the model: What needs to happen?",
    ]
    buttons[1].click()  # only the part asked for is shown
    shown = [s.value for s in _find(mapping, "model-answer")]
    assert shown[0] == ""
    assert "School and nursery noticing" in shown[1]
    assert shown[2] == ""
    mapping.go("danger_statements")  # Pellow's plan is jargon: the model rewrites it
    _find(mapping, "reveal-model")[0].click()
    text = _find(mapping, "model-answer")[0].value
    assert "Dean may hurt Noah" in text
    assert "Concerns around home conditions" not in text
    mapping.go("scaling")
    _find(mapping, "reveal-model")[0].click()
    assert "Model scale <b>2</b>" in _find(mapping, "model-answer")[0].value
    mapping.go("genogram")  # the model has nothing for this step: no button
    assert not _find(mapping, "reveal-model")


def test_no_model_mapping_on_live_data_nor_on_other_cases(demo, data_dir, monkeypatch) -> None:
    monkeypatch.delenv("QUERY_STRING")
    live = Store()
    lead = live.add_person("Live manager", ["manager"], team="A")
    choose(lead)
    record = SupervisionStore(live).create_session(
        "group_mapping", lead, group_name="Team A", child_id="DEMO-greenfield"
    )  # a live session named like an example case gets no model answers
    monkeypatch.setenv("QUERY_STRING", f"session={record.id}")
    app = SupervisionApp()
    app.screen.screen.go("danger_statements")
    assert not _find(app, "reveal-model")
    assert not _find(app, "demo-case-file")
    assert not _find(app, "training-banner")
    # on the training store, a session about any other child has none either
    other = SupervisionStore(demo).create_session(
        "group_mapping", trainer(demo), group_name="Room", child_id="LL-1"
    )
    choose(trainer(demo))
    screen = _mapping_screen(monkeypatch, other.id)
    screen.screen.go("danger_statements")
    assert not _find(screen, "reveal-model")
    assert not _find(screen, "demo-case-file")


# --- every screen in demonstration mode -------------------------------------------------------

SCREENS = {
    AllocationApp: "allocation-screen",
    ModerationApp: "moderation-home",
    ReportsApp: "report-tabs",
    ThematicApp: "thematic-home",
    TimescaleApp: "timescale-screen",
}


@pytest.mark.parametrize("app_class", SCREENS, ids=lambda c: c.__name__)
def test_every_screen_opens_on_the_training_store_bannered(demo, app_class) -> None:
    app = app_class()
    assert app.store.url == demo.url
    assert _find(app, "training-banner")
    assert _find(app, "demo-reset")
    assert _find(app, SCREENS[app_class]), app.messages.value


@pytest.mark.parametrize("app_class", SCREENS, ids=lambda c: c.__name__)
def test_without_demo_mode_every_screen_is_on_live_data_without_a_banner(
    data_dir, monkeypatch, app_class
) -> None:
    monkeypatch.delenv("QUERY_STRING", raising=False)
    app = app_class()
    assert app.store.url == Store().url
    assert not _find(app, "training-banner")


def test_demonstration_moderations_and_report_show_the_example_cases_only(demo, data_dir) -> None:
    live = Store()
    seed_demo(live, mark_demo=False)  # live audits, two of them completed today
    app = ModerationApp()
    rows = _find(app, "moderation-row")
    assert len(rows) == 3
    listed = " ".join(r.children[2].value for r in rows)
    assert "DEMO-pellow-model" in listed
    assert "LL-" not in listed
    report = ReportsApp()
    assert "ready" in report.messages.value
    header = _find(report, "report-header")[0].value
    # the three example cases only (below): a count of 3 is shown as <5, in the header too
    assert "only the fictional example cases" in header
    assert "&lt;5 audits read" in header
    frames = load(demo, Filters(previous_quarter()))
    assert set(frames.audits.child_id) == {f"DEMO-{c.id}-model" for c in example_cases().cases}


def test_demonstration_audits_never_reach_live_queues_or_reports(demo, data_dir) -> None:
    live = Store()
    seed_demo(live)  # audits flagged as demonstration in the live store
    today = dt.date.today()
    period = previous_quarter(today)
    wide = Filters(type(period)(period.start, today + dt.timedelta(days=1), "to date"))
    # with nothing else in the store the report counts them, and says they are demonstration
    # data (the first run); the training store's example audits are never among them
    from toolkit.reports.load import demonstration

    assert demonstration(live) == "demo"
    assert not load(live, wide).audits["child_id"].str.startswith("DEMO-").any()
    assert Moderations(live).candidates() == []
    live_ids = {a.child_id for p in live.people() for a in live.audits_for(p, include_demo=True)}
    assert not any(c.startswith("DEMO-") for c in live_ids)
