"""Every screen that applies a rule the toolkit set itself says it is the toolkit's, with why
and the setting that changes it: moderation, allocation, the thematic audit, the practice
intensive and the grade bands under the audit's profile."""

from __future__ import annotations

import ipywidgets as w
import pytest

from tests.support.chosen import choose
from tests.support.register import World, build_world
from tests.widgets.test_supervision_widgets import find
from tests.widgets.test_supervision_widgets import text_of as shown
from toolkit.apps.allocation import AllocationApp
from toolkit.apps.audit.profile import bands_legend_html
from toolkit.apps.moderation import ModerationApp
from toolkit.apps.supervision.app import SessionScreen, SupervisionApp
from toolkit.apps.thematic import ThematicApp, ThematicScreen
from toolkit.core.html import decision_html
from toolkit.forms.loader import load_grade_bands, toolkit_decisions
from toolkit.store import Store
from toolkit.supervision.store import SupervisionStore

MARK = "The toolkit’s setting, not the source’s."


def boxes(widget: w.Widget) -> list[str]:
    """Each "toolkit decides" box on the screen, as HTML."""
    html = shown(widget)
    return [part.split("</div>")[0] for part in html.split('<div class="toolkit-decides">')[1:]]


@pytest.fixture
def people(app_store: Store):
    return app_store, {
        "qa": app_store.add_person("Quinn QA", ["quality_assurance"]),
        "auditor": app_store.add_person("Ada Auditor", ["auditor"], team="North"),
        "manager": app_store.add_person("Maya Manager", ["manager"], team="North"),
    }


def test_the_moderation_sample_is_said_to_be_the_toolkits_with_what_the_source_says(
    people, monkeypatch
) -> None:
    store, who = people
    choose(who["qa"])
    monkeypatch.setenv("QUERY_STRING", "")
    panel = ModerationApp(store)
    sample, allocation = boxes(panel)
    assert MARK in sample
    assert "every Inadequate audit" in sample.replace("Every", "every")
    assert "random share" in sample
    assert "&#x27;Random share (%)&#x27; and &#x27;Seed&#x27; boxes" in sample
    # what the source says, quoted with its lines: a list, and PSQA selects; no rule of which
    assert "A list of cases audited over the last 6 months" in sample
    assert "(002 L734–735)" in sample
    assert "(002 L786–788)" in sample
    assert MARK in allocation
    assert "in turn" in allocation


def test_the_share_box_starts_at_the_datas_value(people, monkeypatch) -> None:
    store, who = people
    choose(who["qa"])
    monkeypatch.setenv("QUERY_STRING", "")
    (share,) = find(ModerationApp(store), "moderation-share")
    assert share.value == toolkit_decisions().number("moderation_sample") == 10


def test_the_allocation_screen_says_the_12_months_are_the_toolkits(
    store: Store, monkeypatch
) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    world: World = build_world(store)
    choose(world["bea"])
    (box,) = boxes(AllocationApp(world.store))
    assert MARK in box
    assert "audited in the last 12 months is flagged" in box
    assert "how far back to read the file" in box
    assert "“Aim at auditing work over the last 12 months depending on circumstance”" in box


def test_the_thematic_audit_says_its_scale_is_the_toolkits(people, monkeypatch) -> None:
    store, who = people
    monkeypatch.delenv("SOS_TOOLKIT_AUTHORITY", raising=False)
    choose(who["auditor"])
    monkeypatch.setenv("QUERY_STRING", "")
    app = ThematicApp(store)
    home = app.screen
    home.area_checks["ra"].value = True
    home.child_id.value = "LL-321"
    home._start(None)
    assert isinstance(app.screen, ThematicScreen)
    (box,) = boxes(app.screen)
    assert MARK in box
    assert "Met, Partly met, Not met or Not applicable" in box
    assert "toolkit/standards/summary.py" in box


def test_the_practice_intensives_added_question_says_it_is_the_toolkits(
    people, monkeypatch
) -> None:
    store, who = people
    record = SupervisionStore(store).create_session(
        "practice_intensive", who["manager"], group_name="North"
    )
    choose(who["manager"])
    monkeypatch.setenv("QUERY_STRING", f"session={record.id}")
    screen = SupervisionApp(store).screen
    assert isinstance(screen, SessionScreen)
    (box,) = boxes(screen)
    assert "The question below is the toolkit’s addition, not one of the key questions." in box
    assert "Outcomes-Based Accountability" in box
    # the five key questions carry no such box
    assert shown(screen).count('class="toolkit-decides"') == 1


def test_the_outstanding_band_is_said_to_be_the_toolkits_reading() -> None:
    legend = bands_legend_html(load_grade_bands())
    assert "7–10 Outstanding (the toolkit’s reading)" in legend
    assert "3–5 Requires improvement · 6 Good · 7–10" in legend  # the source's bands: unmarked


def test_a_decision_shown_on_a_screen_is_escaped() -> None:
    decision = toolkit_decisions().get("moderation_sample")
    html = decision_html(decision, rule="<script>x</script>")
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
