"""The supervision app in headless Chromium against a real Voilà server.

An EARS session goes through all four steps with notes and is reopened intact; a group maps a
case and three participants scale it, with the spread shown; the reflective tool's grid is
navigated with notes saved; every session type (and projector mode) is captured at 1366×768.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import browser
from tests.support.browser import open_app, screenshot, wait_for_stored

SUPERVISOR = "Priya Okafor-Lund"
SUPERVISEE = "Sam Achterberg"
SAVED = ".status-saved"
pytestmark = pytest.mark.e2e


def note(key: str) -> str:
    return ".note--" + key.replace(".", "--").replace("_", "-")


def sign_in(page, name: str) -> None:
    browser.sign_in(page, name, home=".supervision-home")


def choose(page, selector: str, text: str) -> None:
    select = page.locator(selector + " select")
    select.select_option(value=select.locator("option", has_text=text).first.get_attribute("value"))


def type_note(page, key: str, text: str) -> None:
    box = page.locator(note(key)).first
    box.locator("textarea, input[type=text]").first.fill(text)
    box.locator(SAVED).wait_for(timeout=15_000)


def start_session(
    page, kind: str, title: str, supervisee: str | None = None, group: str = ""
) -> int:
    choose(page, ".new-kind", kind)
    page.fill(".new-title input", title)
    if supervisee:
        choose(page, ".new-supervisee", supervisee)
    if group:
        page.fill(".new-group input", group)
    page.click(".start-session")
    page.locator(".session-screen").wait_for()
    summary = page.locator(".session-summary").inner_text()
    return int(summary.split("#")[1].split(":")[0])


def wait_for_note(server, session_id: int, key: str, expected) -> None:
    """Ticks show no 'Saved' line: poll the store until the value is there."""
    from toolkit.supervision.store import SupervisionStore

    sup = SupervisionStore(server.store())
    wait_for_stored(
        lambda: sup.note_values(session_id).get(key),
        lambda value: value == expected,
        f"session {session_id}'s {key} = {expected!r}",
    )


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


def current_step(page, step: str) -> None:
    """Wait until ``step`` is the one current step (the step bar changes pill by pill)."""
    expect(page.locator(".step-pill.step-current", has_text=step)).to_have_count(1)
    expect(page.locator(".step-pill.step-current")).to_have_count(1)


def test_ears_session_through_all_four_steps_reopened_intact(page, voila_server):
    open_app(page, voila_server, "supervision.ipynb", selector=".supervision-app")
    sign_in(page, SUPERVISOR)
    session_id = start_session(page, "EARS", "E2E EARS", supervisee=SUPERVISEE)
    current_step(page, "Elicit")
    screenshot(page, "supervision-ears-1-choose")
    page.click(".ears-choice-working-well-0")
    page.locator(".ears-question").wait_for()
    type_note(page, "r1.elicit.note", "The Smith family network meeting in September.")
    wait_for_note(
        voila_server, session_id, "r1.elicit.note", "The Smith family network meeting in September."
    )
    no_sideways_scroll(page)
    screenshot(page, "supervision-ears-2-elicit")

    page.click(".ears-next")
    page.locator(".ears-prompt-amplify-0").wait_for()
    current_step(page, "Amplify")
    page.locator(note("r1.amplify.1.asked") + " input[type=checkbox]").check()
    type_note(page, "r1.amplify.1.note", "Grandma, the school nurse and the uncle.")
    wait_for_note(voila_server, session_id, "r1.amplify.1.asked", True)
    screenshot(page, "supervision-ears-3-amplify")

    page.click(".ears-next")
    page.locator(".ears-prompt-reflect-0").wait_for()
    current_step(page, "Reflect")
    type_note(page, "r1.reflect.0.note", "Bringing the network in early.")
    page.click(".ears-next")
    page.locator(".ears-chooser").wait_for()
    current_step(page, "Start Over")
    assert page.locator(".ears-choice-working-well-0").count() == 0
    screenshot(page, "supervision-ears-4-start-over")
    page.click(".ears-choice-biggest-difference-0")
    page.locator(".ears-round-2").wait_for()
    current_step(page, "Elicit")
    type_note(page, "learning", "Ask who else noticed, every time.")
    page.click(".note--actions-add")
    page.locator(".note--actions .list-row-0").wait_for()
    page.fill(
        ".note--actions .list-row-0 .list-what input", "Share the network map at team meeting"
    )
    page.locator(".note--actions " + SAVED).wait_for()
    page.fill(".note--actions .list-row-0 .list-who input", "Sam")
    page.fill(".note--actions .list-row-0 .list-when input[type=date]", "2026-12-04")
    wait_for_note(
        voila_server,
        session_id,
        "actions",
        [{"what": "Share the network map at team meeting", "who": "Sam", "when": "2026-12-04"}],
    )

    # a reload is a new kernel: everything comes back from the store
    page.reload()
    open_app(
        page, voila_server, "supervision.ipynb", f"session={session_id}", selector=".session-screen"
    )
    current_step(page, "Elicit")
    assert "biggest difference" in page.locator(".ears-question").inner_text()
    assert page.locator(note("learning") + " textarea").input_value().startswith("Ask who else")
    assert page.locator(".note--actions .list-row-0 .list-who input").input_value() == "Sam"
    page.click(".ears-round-1")
    page.locator(".ears-chooser").wait_for()
    current_step(page, "Start Over")
    assert page.locator(".step-pill.step-done").count() == 3  # E, A and R ticked
    page.click(".step-elicit")
    assert (
        page.locator(note("r1.elicit.note") + " textarea").input_value()
        == "The Smith family network meeting in September."
    )
    page.click(".step-amplify")
    page.locator(".ears-prompt-amplify-1").wait_for()
    assert page.locator(note("r1.amplify.1.asked") + " input[type=checkbox]").is_checked()
    assert page.locator(note("r1.amplify.1.note") + " textarea").input_value().startswith("Grandma")

    page.click(".projector-toggle")
    page.locator(".projector-view").wait_for()
    assert "1 of" in page.locator(".projector-position").inner_text()
    page.click(".projector-next")
    page.locator(".projector-position", has_text="2 of").wait_for()
    no_sideways_scroll(page)
    screenshot(page, "supervision-ears-5-projector", full_page=False)


def test_group_mapping_three_participants_scale_and_the_spread_is_shown(page, voila_server):
    open_app(page, voila_server, "supervision.ipynb", selector=".supervision-app")
    sign_in(page, SUPERVISOR)
    session_id = start_session(page, "Group case mapping", "E2E mapping", group="Assessment Team 1")
    for index, (name, role) in enumerate(
        [("Priya", "Facilitator"), ("Sam", "Case holder"), ("Grace", "Observer")]
    ):
        page.click(".note--participants-add")
        row = page.locator(f".note--participants .list-row-{index}")
        row.wait_for()
        row.locator(".list-name input").fill(name)
        page.locator(".note--participants " + SAVED).wait_for()
        choose(page, f".note--participants .list-row-{index} .list-role", role)
    wait_for_note(
        voila_server,
        session_id,
        "participants",
        [
            {"name": "Priya", "role": "facilitator"},
            {"name": "Sam", "role": "case_holder"},
            {"name": "Grace", "role": "observer"},
        ],
    )
    screenshot(page, "supervision-group-1-participants")

    page.click(".group-next")
    type_note(page, "genogram", "Mum (Claire), Carl, five children; maternal grandma nearby.")
    page.click(".group-next")
    type_note(page, "columns.worried", "Carl hit Claire on 2/3; the children saw it.")
    type_note(page, "columns.working_well", "Claire called the police herself.")
    type_note(page, "columns.needs_to_happen", "A safety plan the network knows.")
    no_sideways_scroll(page)
    screenshot(page, "supervision-group-2-three-columns")
    page.click(".group-next")
    page.click(".note--pairs-add")
    page.locator(".note--pairs .list-row-0 .list-danger textarea").fill(
        "There are concerns about domestic violence."
    )
    page.locator(".list-row-extra-0 .plain-flags").wait_for()
    assert "Who is worried?" in page.locator(".list-row-extra-0").inner_text()
    screenshot(page, "supervision-group-3-danger-statements")
    page.click(".group-next")
    page.locator(".note--pairs .list-row-0 .list-goal textarea").fill(
        "Claire and Carl will make sure the children are safe and calm at home."
    )
    page.locator(".note--pairs " + SAVED).wait_for()

    page.click(".step-scaling")
    page.locator(".scale-spread").wait_for()
    assert "Say what 0 and what 10 mean" in page.locator(".group-screen").inner_text()
    type_note(page, "scale.zero", "The children will be hurt when Carl is angry.")
    type_note(page, "scale.ten", "Everyone knows the children are safe with Claire and Carl.")
    page.locator(".rating-row-2").wait_for()
    for index, (point, reason) in enumerate(
        [(3, "Only two weeks since"), (6, "Grandma is there daily"), (5, "Police called by Mum")]
    ):
        row = page.locator(f".rating-row-{index}")
        row.locator(".rating-reason textarea").fill(reason)
        row.locator(f".scale-point-{point}").click()
        row.locator(SAVED).wait_for()
    spread = page.locator(".scale-spread")
    spread.locator(".spread-summary", has_text="range 3").wait_for()
    assert "lowest 3, highest 6, median 5, range 3" in spread.inner_text()
    no_sideways_scroll(page)
    screenshot(page, "supervision-group-4-scale-spread")

    from toolkit.supervision.store import SupervisionStore

    ratings = SupervisionStore(voila_server.store()).ratings(session_id)
    assert [(r.participant, r.value) for r in ratings] == [
        ("Grace", 5),
        ("Priya", 3),
        ("Sam", 6),
    ]
    page.click(".projector-toggle")
    page.locator(".projector-view").wait_for()
    screenshot(page, "supervision-group-5-projector", full_page=False)


def test_reflective_tool_grid_navigation_with_notes_saved(page, voila_server):
    open_app(page, voila_server, "supervision.ipynb", selector=".supervision-app")
    sign_in(page, SUPERVISOR)
    session_id = start_session(page, "Reflective tool", "E2E grid", supervisee=SUPERVISEE)
    assert page.locator(".grid-cell").count() == 30
    page.click(".grid-cell-seeking-solutions-risk-sensible")
    detail = page.locator(".cell-detail")
    detail.locator(".cell-question", has_text="Does the safety plan ensure safety").wait_for()
    assert "Tools for this stage" in detail.inner_text()
    type_note(page, "cell.seeking_solutions.risk_sensible.note", "Relapse plan with grandma.")
    no_sideways_scroll(page)
    screenshot(page, "supervision-grid-1-cell")
    page.click(".grid-cell-looking-after-myself-evidence-based")
    page.locator(".cell-question", has_text="Am I continuing to learn").wait_for()
    assert "poster only" in page.locator(".cell-detail").inner_text()
    type_note(page, "cell.looking_after_myself.evidence_based.note", "Read the RiP briefing.")
    assert "has-note" in page.locator(".grid-cell-seeking-solutions-risk-sensible").get_attribute(
        "class"
    )

    page.reload()
    open_app(
        page, voila_server, "supervision.ipynb", f"session={session_id}", selector=".session-screen"
    )
    assert page.locator(".grid-cell.has-note").count() == 2
    page.click(".grid-cell-seeking-solutions-risk-sensible")
    assert (
        page.locator(note("cell.seeking_solutions.risk_sensible.note") + " textarea").input_value()
        == "Relapse plan with grandma."
    )
    choose(page, ".focus-stage", "Becoming an adult")
    expect(page.locator(".grid-cell")).to_have_count(6)  # the stage's six cells, not all 30
    wait_for_note(voila_server, session_id, "focus_stage", "becoming_an_adult")
    screenshot(page, "supervision-grid-2-focus-stage")
    page.click(".projector-toggle")
    page.locator(".projector-view").wait_for()
    screenshot(page, "supervision-grid-3-projector", full_page=False)


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("Quality clinic", "clinic"),
        ("Practice intensive", "practice-intensive"),
        ("Learning review", "learning-review"),
    ],
)
def test_record_sessions_are_captured(page, voila_server, kind, name):
    open_app(page, voila_server, "supervision.ipynb", selector=".supervision-app")
    sign_in(page, SUPERVISOR)
    start_session(page, kind, f"E2E {name}", group="Assessment Team 1")
    if name == "clinic":
        choose(page, ".clinic-theme", "edge of care")
        page.locator(".clinic-theme-box").wait_for()
        type_note(page, "record.3", "Talked through the family's own plan.")
    else:
        page.locator(".question-grid textarea").first.fill("Dad's drinking at night.")
        page.locator(".question-grid " + SAVED).first.wait_for()
    page.click(".prepare-record")
    link = page.locator(".record-download")
    link.wait_for()
    assert link.get_attribute("href").startswith("data:text/html")
    assert (
        page.locator(".record-download-pdf")
        .get_attribute("href")
        .startswith("data:application/pdf")
    )
    no_sideways_scroll(page)
    screenshot(page, f"supervision-{name}")


def test_home_lists_sessions_by_supervisee(page, voila_server):
    open_app(page, voila_server, "supervision.ipynb", selector=".supervision-app")
    sign_in(page, SUPERVISOR)
    page.locator(".session-row").first.wait_for()
    choose(page, ".filter-supervisee", SUPERVISEE)
    rows = page.locator(".session-row")
    expect(rows.filter(has_not_text=SUPERVISEE)).to_have_count(0)  # the filter has run
    assert rows.count() >= 1
    assert all(SUPERVISEE in rows.nth(i).inner_text() for i in range(rows.count()))
    no_sideways_scroll(page)
    screenshot(page, "supervision-home")
