"""Thematic audits: the summary counts what the report prints; the widgets save as the auditor
answers (the store's own tests: tests/store/test_thematic_store.py)."""

from __future__ import annotations

import re

import pytest

from tests.support.chosen import choose
from toolkit.apps.thematic import ItemView, ThematicApp, ThematicHome, ThematicScreen
from toolkit.forms.loader import registry
from toolkit.standards.loader import load_standards
from toolkit.standards.store import (
    create_thematic_audit,
    thematic_answers,
    thematic_audits_for,
)
from toolkit.standards.summary import summarise


@pytest.fixture
def env(app_store, monkeypatch):
    monkeypatch.delenv("SOS_TOOLKIT_AUTHORITY", raising=False)
    store = app_store
    auditor = store.add_person("Ada Auditor", ["auditor"], team="North")
    practitioner = store.add_person("Priya Practitioner", ["practitioner"], team="South")
    stranger = store.add_person("Sam Stranger", ["practitioner"], team="East")
    yield store, auditor, practitioner, stranger
    store.close()


# --- summary (pure) -------------------------------------------------------------------------------


def test_summary_counts_ratings_per_area_and_lists_bottom_lines_not_met():
    bexley = load_standards("bexley")
    ratings = {"ra_e01": "met", "ra_e02": "partly_met", "ra_e03": "not_met", "ra_bl02": "not_met"}
    ratings |= {"ra_bl01": "met", "mash_e01": "not_applicable"}
    summary = summarise(bexley, ["ra", "mash"], ratings)
    ra, mash = summary.areas
    assert ra.counts == {
        "met": 2,
        "partly_met": 1,
        "not_met": 2,
        "not_applicable": 0,
        "not_rated": 32 - 5,
    }
    assert mash.counts["not_applicable"] == 1
    assert mash.rated == 1
    assert [item.id for _, item in summary.bottom_lines_not_met] == ["ra_bl02"]
    assert summary.needs_action
    assert summary.totals()["not_met"] == 2


def test_an_expectation_not_met_is_not_a_bottom_line_flag():
    summary = summarise(load_standards("bexley"), ["ra"], {"ra_e03": "not_met"})
    assert not summary.needs_action


# --- widgets --------------------------------------------------------------------------------------


def _open(store, person, monkeypatch, query=""):
    choose(person)
    monkeypatch.setenv("QUERY_STRING", query)
    return ThematicApp(store)


def _items(widget):
    found = []
    stack = [widget]
    while stack:
        node = stack.pop()
        if isinstance(node, ItemView):
            found.append(node)
        stack.extend(getattr(node, "children", ()))
    return {view.item.id: view for view in found}


def test_starting_from_home_with_the_default_bexley_profile(env, monkeypatch):
    store, auditor, *_ = env
    app = _open(store, auditor, monkeypatch)
    home = app.screen
    assert isinstance(home, ThematicHome)
    assert home.authority.value == "bexley"
    home.area_checks["ra"].value = True
    home.child_id.value = "LL-321"
    home._start(None)
    assert isinstance(app.screen, ThematicScreen)
    assert app.screen.thematic.service_areas == ("ra",)


def test_rating_a_bottom_line_not_met_flags_it_and_lists_it_at_the_top(env, monkeypatch):
    store, auditor, *_ = env
    thematic = create_thematic_audit(store, auditor, "bexley", ["ra"], child_id="LL-100")
    app = _open(store, auditor, monkeypatch, f"thematic={thematic.id}")
    screen = app.screen
    assert "No bottom line" in screen.flags.value
    items = _items(screen)
    assert len(items) == 32
    items["ra_bl02"].views["rating"].input.value = "Not met"
    assert "flagged" in items["ra_bl02"]._dom_classes
    assert "1 bottom line not met" in screen.flags.value
    assert "within 15 working days" in screen.flags.value
    items["ra_bl02"].views["evidence"].input.value = "No family network meeting recorded."
    answer = thematic_answers(store, thematic.id)["ra_bl02"]
    assert (answer.rating, answer.evidence, answer.revision) == (
        "not_met",
        "No family network meeting recorded.",
        2,
    )
    items["ra_bl02"].views["rating"].input.value = "Met"
    assert "No bottom line" in screen.flags.value
    assert "flagged" not in items["ra_bl02"]._dom_classes


def test_someone_else_sees_it_read_only(env, monkeypatch):
    store, auditor, practitioner, _ = env
    form = registry().latest("collaborative_case_audit")
    audit = store.create_audit(
        form, child_id="LL-9", auditor=auditor, practitioner=practitioner, created_by=auditor
    )
    thematic = create_thematic_audit(store, auditor, "bexley", ["trf"], audit_id=audit.id)
    app = _open(store, practitioner, monkeypatch, f"thematic={thematic.id}")
    items = _items(app.screen)
    assert all(view.views["rating"].input.disabled for view in items.values())


def test_opened_for_a_collaborative_audit_it_starts_a_linked_section(env, monkeypatch):
    store, auditor, practitioner, _ = env
    form = registry().latest("collaborative_case_audit")
    audit = store.create_audit(
        form, child_id="LL-42", auditor=auditor, practitioner=practitioner, created_by=auditor
    )
    app = _open(store, auditor, monkeypatch, f"audit={audit.id}")
    home = app.screen
    assert isinstance(home, ThematicHome)
    assert home.child_id.value == "LL-42"
    assert home.child_id.disabled
    home.authority.value = "leicester"
    home.area_checks["lundy_voice"].value = True
    home._start(None)
    assert app.screen.thematic.audit_id == audit.id
    assert [t.audit_id for t in thematic_audits_for(store, practitioner, audit.id)] == [audit.id]


def _html(widget):
    found, stack = [], [widget]
    while stack:
        node = stack.pop(0)
        if hasattr(node, "value") and isinstance(node.value, str) and "<" in node.value:
            found.append(node.value)
        stack.extend(getattr(node, "children", ()))
    return "".join(found)


def test_manchester_standards_are_offered_in_order_and_audited_with_their_sub_headings(
    env, monkeypatch
):
    store, auditor, *_ = env
    app = _open(store, auditor, monkeypatch)
    home = app.screen
    home.authority.value = "manchester"
    choices = list(home.area_checks)
    assert choices[:4] == ["s01", "s02", "s03", "s04"]
    added = ["s02", "s03", "s07", "s08", "s09", *(f"s{n}" for n in range(14, 23))]
    assert all(a in choices for a in added)
    assert [a for a in choices if a in added] == added  # in the order of the standards
    assert home.area_checks["s14"].description == "Supervision"
    assert home.area_checks["s15"].description == "Group Supervision"
    home.area_checks["s14"].value = home.area_checks["s15"].value = True
    home.child_id.value = "LL-1414"
    home._start(None)
    screen = app.screen
    assert isinstance(screen, ThematicScreen)
    assert screen.thematic.service_areas == ("s14", "s15")
    items = _items(screen)
    assert len(items) == 8
    html = _html(screen.area_box)
    headings = [
        "Quality of decision making and interventions",
        "Line management and organisational accountability",
        "Caseload and workload management",
        "Further personal learning, career and development opportunities",
    ]
    positions = [html.index(f'<h4 class="principle-heading">{h}</h4>') for h in headings]
    assert positions == sorted(positions)
    assert "within one week of formal supervision" in html
    items["s14_e02"].views["rating"].input.value = "Met"
    assert thematic_answers(store, screen.thematic.id)["s14_e02"].rating == "met"
    screen.show_area("s15")
    assert sorted(_items(screen)) == ["s15_e01", "s15_e02", "s15_e03"]
    assert "Reflective Group Supervision" in _html(screen.area_box)


def test_manchester_later_standards_start_open_and_save_from_home(env, monkeypatch):
    """S23–S38 are offered at home, open with their sub-headings and save a rating."""
    store, auditor, *_ = env
    app = _open(store, auditor, monkeypatch)
    home = app.screen
    home.authority.value = "manchester"
    later = [f"s{n}" for n in range(23, 39)]
    assert set(later) <= set(home.area_checks)
    assert home.area_checks["s29"].description == "The Child’s Timeframe - Avoiding Drift & Delay"
    for area_id in ("s23", "s25", "s38"):
        home.area_checks[area_id].value = True
    home.child_id.value = "LL-2347"
    home._start(None)
    screen = app.screen
    assert isinstance(screen, ThematicScreen)
    assert screen.thematic.service_areas == ("s23", "s25", "s38")
    assert len(_items(screen)) == 11  # S23: 1 paragraph, 8 timeframes, 2 triggers
    parts = screen.area_box.children[0].children
    shown = "".join(getattr(c, "value", "") for c in parts)
    assert re.findall(r'<h4 class="principle-heading">([^<]+)</h4>', shown) == [
        "Re-assessment timeframes are:",
        "Other situations or events that trigger re-assessment include:",
    ]
    in_order = [c.item.id for c in parts if isinstance(c, ItemView)]
    assert in_order[:3] == ["s23_e11", "s23_e01", "s23_e02"]  # as printed, not by number
    assert "continuous assessment process" not in shown  # rated, no longer an introduction
    paragraph = _items(screen)["s23_e11"]
    paragraph.views["rating"].input.value = "Met"
    assert thematic_answers(store, screen.thematic.id)["s23_e11"].rating == "met"
    screen.show_area("s38")
    (only,) = _items(screen).values()
    only.views["rating"].input.value = "Partly met"
    assert thematic_answers(store, screen.thematic.id)["s38_e01"].rating == "partly_met"
    assert "Case Summaries" in screen.counts.value
