"""WCAG 2.2 AA on every app but the audit (test_accessibility_e2e.py has that one): axe-core finds
no serious or critical violation on any screen a person can reach — supervision (home, EARS,
reflective tool, group mapping, quality clinic, practice intensive, learning review), every
reports tab, moderation (home and form), allocation, thematic audit, timescales, calibration
(trainer's start, learner, trainer's view), flashcards and the demonstration banner.

Each app is walked screen by screen and every screen's violations are gathered, so one failing
run names every screen that fails, not just the first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.test_supervision_e2e import SUPERVISEE, SUPERVISOR, choose, note, start_session
from tests.support import browser
from tests.support.axe import accessible_names, describe, repeated, violations
from tests.support.browser import open_app, remember_person, screenshot, wait_for_stored
from tests.support.keyboard import choose_with_keys, tab_to

pytestmark = pytest.mark.e2e

MODERATOR = "Harriet Quenby"
QUALITY_ASSURANCE = "Nadia Ishaq-Brennan"
AUDITOR = "Priya Okafor-Lund"
ALLOCATOR = "Colin Pettifer"


class Walk:
    """The screens of one app, each checked by axe as it is reached; failures are kept."""

    def __init__(self, page: Any, app: str) -> None:
        self.page = page
        self.app = app
        self.failures: list[str] = []
        self.checked: list[str] = []

    def check(self, screen: str, page: Any = None) -> None:
        on = page or self.page
        on.wait_for_timeout(300)  # let the widgets finish rendering
        found = violations(on)
        screenshot(on, f"a11y-{self.app}-{screen}")
        self.checked.append(screen)
        if found:
            self.failures.append(f"{self.app} / {screen}:\n{describe(found)}")

    def assert_clean(self) -> None:
        assert self.checked, "no screen was checked"
        assert not self.failures, "\n\n".join(self.failures)


def _people(server) -> dict:
    return {p.name: p for p in server.store().people()}


def supervision_ears(walk: Walk, server) -> None:
    page = walk.page
    open_app(page, server, "supervision.ipynb", selector=".supervision-app")
    browser.sign_in(page, SUPERVISOR, home=".supervision-home")
    walk.check("home")
    start_session(page, "EARS", "A11y EARS", supervisee=SUPERVISEE)
    walk.check("chooser")
    for press, shown, screen in (
        (".ears-choice-working-well-0", ".ears-question", "elicit"),
        (".ears-next", ".ears-prompt-amplify-0", "amplify"),
        (".ears-next", ".ears-prompt-reflect-0", "reflect"),
        (".ears-next", ".ears-chooser", "start-over"),
        (".note--actions-add", ".note--actions .list-row-0", "with-an-action"),
    ):
        page.click(press)
        page.locator(shown).wait_for()
        walk.check(screen)


def supervision_group(walk: Walk, server) -> None:
    page = walk.page
    open_app(page, server, "supervision.ipynb", selector=".supervision-app")
    browser.sign_in(page, SUPERVISOR, home=".supervision-home")
    start_session(page, "Group case mapping", "A11y mapping", group="Assessment Team 1")
    page.click(".note--participants-add")
    page.locator(".note--participants .list-row-0").wait_for()
    walk.check("participants")
    pills = page.locator(".step-pill").evaluate_all(
        "els => els.map(e => [...e.classList].find(c => c.startsWith('step-')"
        " && !['step-pill','step-current','step-done','step-todo'].includes(c)))"
    )
    names = [p.removeprefix("step-") for p in pills if p]
    for name in names[1:]:
        page.click(f".step-{name}")
        page.locator(f".step-pill.step-current.step-{name}").wait_for()
        page.wait_for_timeout(500)  # the old step's widgets gone, the new one's drawn
        for add in (".note--pairs-add", ".note--next-steps-add", ".note--actions-add"):
            adder, first_row = page.locator(add), page.locator(add[: -len("-add")] + " .list-row-0")
            if adder.count() and adder.first.is_visible() and first_row.count() == 0:
                adder.first.click()
                first_row.wait_for()
        walk.check(name)


def supervision_reflective(walk: Walk, server) -> None:
    page = walk.page
    open_app(page, server, "supervision.ipynb", selector=".supervision-app")
    browser.sign_in(page, SUPERVISOR, home=".supervision-home")
    start_session(page, "Reflective tool", "A11y grid", supervisee=SUPERVISEE)
    walk.check("grid")
    page.click(".grid-cell-seeking-solutions-risk-sensible")
    page.locator(".cell-detail .cell-question").wait_for()
    walk.check("cell")
    choose(page, ".focus-stage", "Becoming an adult")
    page.wait_for_timeout(500)
    walk.check("focus-stage")


def supervision_records(walk: Walk, server) -> None:
    page = walk.page
    open_app(page, server, "supervision.ipynb", selector=".supervision-app")
    browser.sign_in(page, SUPERVISOR, home=".supervision-home")
    for kind, name in (
        ("Quality clinic", "clinic"),
        ("Practice intensive", "practice-intensive"),
        ("Learning review", "learning-review"),
    ):
        open_app(page, server, "supervision.ipynb", selector=".supervision-home")
        start_session(page, kind, f"A11y {name}", group="Assessment Team 1")
        if name == "clinic":
            choose(page, ".clinic-theme", "edge of care")
            page.locator(".clinic-theme-box").wait_for()
        walk.check(name)


def reports(walk: Walk, server) -> None:
    page = walk.page
    remember_person(page.context, server, _people(server)[QUALITY_ASSURANCE])
    open_app(page, server, "reports.ipynb", selector=".report-tabs")
    tabs = page.get_by_role("tab")
    for index in range(tabs.count()):
        tab = tabs.nth(index)
        name = tab.inner_text().strip()
        tab.click()
        page.wait_for_timeout(500)
        walk.check(f"tab-{index}-{name[:24]}")


def _moderation(server) -> int:
    """An open moderation of the moderator's: the demo's Inadequate audit selected and
    allocated to her, unless she already has one open."""
    from toolkit.store.moderations import Moderations

    store = server.store()
    people = _people(server)
    book = Moderations(store)
    # one still open (the demonstration's history has moderations she has completed)
    existing = [m for m in book.listed(people[MODERATOR]) if m.completed_at is None]
    if existing:
        return existing[0].id
    (made,) = book.select_and_allocate(
        people[QUALITY_ASSURANCE], dt.date.today(), 0.0, seed=1, include_demo=True
    )
    return made.id


def moderation(walk: Walk, server) -> None:
    page = walk.page
    moderation_id = _moderation(server)
    open_app(page, server, "moderation.ipynb")
    browser.sign_in(page, QUALITY_ASSURANCE, ".moderation-home")
    page.locator(".moderation-selection").wait_for()
    walk.check("home-quality-assurance")
    open_app(page, server, "moderation.ipynb", f"moderation={moderation_id}")
    browser.sign_in(page, MODERATOR, ".moderation-screen")
    form = page.locator(".moderation-form-pane")
    form.locator(".moderation-actions .action-add").click()
    form.locator(".moderation-actions .action-row").first.wait_for()
    walk.check("form")


def allocation(walk: Walk, server) -> None:
    page = walk.page
    open_app(page, server, "allocation.ipynb", selector=".allocation-app")
    browser.sign_in(page, ALLOCATOR, ".allocation-screen")
    walk.check("screen")


def thematic(walk: Walk, server) -> None:
    page = walk.page
    open_app(page, server, "thematic_audit.ipynb", selector=".thematic-app")
    browser.sign_in(page, AUDITOR, home=".thematic-home")
    page.locator(".area-choice-ra input[type=checkbox]").check()
    page.fill(".start-child-id input", "LL-A11Y-TH1")
    walk.check("home")
    page.click(".start-thematic")
    page.locator(".thematic-screen").wait_for()
    walk.check("screen")


def timescales(walk: Walk, server) -> None:
    page = walk.page
    open_app(page, server, "timescales.ipynb", selector=".timescale-screen")
    walk.check("screen")


def calibration(walk: Walk, server) -> None:
    page = walk.page
    open_app(page, server, "calibration.ipynb", "mode=demo", ".calibration-app")
    browser.sign_in(page, "Trainer (demonstration)", home=".calibration-start")
    walk.check("trainer-home")
    page.locator(".calibration-start").click()
    code = page.locator(".exercise-code").inner_text().strip()
    page.locator(f".open-{code}").wait_for()
    walk.check("trainer-started")
    learner = page.context.new_page()
    try:
        open_app(learner, server, "calibration.ipynb", f"exercise={code}", ".calibration-app")
        walk.check("learner-join", learner)
        learner.fill(".learner-name input", "Asha")
        learner.locator(".learner-join:not([disabled])").wait_for()
        learner.click(".learner-join")
        learner.locator(".case-file").wait_for(timeout=3 * browser.APP_TIMEOUT_MS)
        learner.locator(".learner-area .scale-point-5").first.click()
        learner.locator(".learner-area .status-saved").first.wait_for(timeout=15_000)
        walk.check("learner-case-file", learner)
    finally:
        learner.close()
    page.locator(f".open-{code}").click()
    page.locator(".calibration-results").wait_for()
    walk.check("trainer-view")


def flashcards(walk: Walk, server) -> None:
    page = walk.page
    open_app(page, server, "flashcards.ipynb", selector=".flashcards-app")
    walk.check("front")
    page.click(".card-flip")
    page.locator(".card-back").wait_for()
    walk.check("back")


def demonstration(walk: Walk, server) -> None:
    page = walk.page
    open_app(page, server, "audit.ipynb", "mode=demo")
    page.locator(".person-picker, .audit-home").first.wait_for()
    page.locator(".demo-banner").wait_for()
    walk.check("audit-picker")
    for notebook, selector in {
        "allocation.ipynb": ".allocation-app",
        "moderation.ipynb": ".moderation-app",
        "thematic_audit.ipynb": ".thematic-app",
    }.items():
        open_app(page, server, notebook, "mode=demo", selector)
        page.locator(".demo-banner").wait_for()
        walk.check(notebook.split(".")[0])


APPS: dict[str, Callable[[Walk, Any], None]] = {
    "supervision-ears": supervision_ears,
    "supervision-group-mapping": supervision_group,
    "supervision-reflective": supervision_reflective,
    "supervision-records": supervision_records,
    "reports": reports,
    "moderation": moderation,
    "allocation": allocation,
    "thematic": thematic,
    "timescales": timescales,
    "calibration": calibration,
    "flashcards": flashcards,
    "demonstration": demonstration,
}


@pytest.mark.parametrize("app", list(APPS))
def test_every_screen_passes_axe(page, voila_server, app):
    walk = Walk(page, app)
    APPS[app](walk, voila_server)
    walk.assert_clean()


# --- one name per control -----------------------------------------------------------------


def test_each_ears_prompt_has_its_own_asked_and_notes_names(page, voila_server):
    open_app(page, voila_server, "supervision.ipynb", selector=".supervision-app")
    browser.sign_in(page, SUPERVISOR, home=".supervision-home")
    start_session(page, "EARS", "A11y names", supervisee=SUPERVISEE)
    page.click(".ears-choice-working-well-0")
    # the Elicit step whole (its question and its notes drawn) before its Next is pressed
    page.locator(".ears-question").wait_for()
    page.locator(".ears-screen textarea").first.wait_for()
    page.click(".ears-next")
    page.locator(".ears-prompt-amplify-1").wait_for()
    page.wait_for_timeout(300)
    names = accessible_names(page, {"checkbox", "textbox"})
    asked = [n for r, n in names if r == "checkbox"]
    notes = [n for r, n in names if r == "textbox" and n.startswith("Notes")]
    assert len(asked) >= 2, names
    assert len(notes) >= 2, names
    assert all(n.startswith("Asked: ") and len(n) > len("Asked: ") for n in asked), asked
    assert all(n.startswith("Notes: ") and len(n) > len("Notes: ") for n in notes), notes
    assert not repeated(names), repeated(names)
    first = page.locator(".ears-prompt-amplify-0")
    prompt = first.locator(".prompt-text").inner_text().strip()
    assert asked[0] == f"Asked: {prompt}"
    # the screen still says "Asked" beside the box, and hovering says the whole name, not markup
    shown = first.locator(".note-tick label.widget-label-basic").evaluate(
        "l => { const c = l.cloneNode(true);"
        " c.querySelectorAll('.visually-hidden').forEach(h => h.remove());"
        " return c.textContent.trim(); }"
    )
    assert shown == "Asked"
    titles = first.locator("[title]").evaluate_all("els => els.map(e => e.title)")
    assert not [t for t in titles if "<" in t], titles


def test_scale_points_and_open_buttons_name_what_they_are_for(page, voila_server):
    from tests.e2e.test_audit_e2e import start_audit

    open_app(page, voila_server, selector=".audit-home, .person-picker")
    browser.sign_in(page, AUDITOR)
    page.locator(".open-audit").first.wait_for()
    page.wait_for_timeout(300)
    opens = [n for _r, n in accessible_names(page, {"button"}) if n.startswith("Open")]
    assert len(opens) >= 2, opens
    assert all(n.startswith("Open audit #") for n in opens), opens
    assert len(set(opens)) == len(opens), opens
    assert page.locator(".open-audit").first.inner_text().strip() == "Open"  # the screen's word
    start_audit(page, "LL-A11Y-NAMES")
    page.click(".section-tab-audit_outcome")
    page.locator(".completion-panel").wait_for()
    page.wait_for_timeout(300)
    buttons = [n for _r, n in accessible_names(page, {"button"})]
    points = [n for n in buttons if n.rsplit(": ", 1)[-1].isdigit()]
    assert any(n.endswith(": 4") and len(n) > 3 for n in points), buttons
    assert "4" not in buttons
    assert len(set(points)) == len(points), repeated([("button", n) for n in points])


def test_each_action_row_names_its_own_controls(page, voila_server):
    """Two actions on an audit and two in a supervision's next steps: every "Who", "When" and
    "Remove" says which row it is ("Action 2: who", "Remove action 2")."""
    from tests.e2e.test_audit_e2e import start_audit

    open_app(page, voila_server, selector=".audit-home, .person-picker")
    browser.sign_in(page, AUDITOR)
    start_audit(page, "LL-A11Y-ACTIONS")
    page.click(".section-tab-audit_outcome")
    for count in (1, 2):
        page.click(".action-add")
        page.locator(".action-row").nth(count - 1).wait_for()
    page.wait_for_timeout(300)
    names = accessible_names(page, {"button", "textbox", "checkbox"})
    mine = [(r, n) for r, n in names if n.startswith(("Action ", "Remove action"))]
    for number in (1, 2):
        for wanted in (f"Action {number}: who", f"Action {number}: what needs to happen"):
            assert ("textbox", wanted) in mine, mine
        assert any(n.startswith(f"Remove action {number}") for _r, n in mine), mine
    assert not repeated(mine), repeated(mine)
    assert "Remove" not in [n for r, n in names if r == "button"]

    open_app(page, voila_server, "supervision.ipynb", selector=".supervision-app")
    browser.sign_in(page, SUPERVISOR, home=".supervision-home")
    start_session(page, "EARS", "A11y actions", supervisee=SUPERVISEE)
    for index in (0, 1):
        page.click(".note--actions-add")
        page.locator(f".note--actions .list-row-{index}").wait_for()
    page.wait_for_timeout(300)
    buttons = [n for r, n in accessible_names(page, {"button"})]
    assert "Remove action 1" in buttons, buttons
    assert "Remove action 2" in buttons, buttons
    assert "Remove" not in buttons, buttons


# --- focus after a step change ------------------------------------------------------------

FOCUSED_HEADING = (
    "() => { const e = document.activeElement;"
    " return e && e.tagName === 'H2' ? e.textContent.trim() : (e ? e.tagName : null); }"
)


def focused_heading(page, expected: str) -> None:
    """Wait until the focus is on an h2 whose text holds ``expected`` (never the page body)."""
    page.wait_for_function(
        f"(want) => {{ const got = ({FOCUSED_HEADING})(); return got && got.includes(want); }}",
        arg=expected,
        timeout=10_000,
    )


def test_each_ears_step_moves_the_focus_to_its_heading(page, voila_server):
    open_app(page, voila_server, "supervision.ipynb", selector=".supervision-app")
    browser.sign_in(page, SUPERVISOR, home=".supervision-home")
    start_session(page, "EARS", "A11y focus", supervisee=SUPERVISEE)
    page.click(".ears-choice-working-well-0")
    page.locator(".ears-question").wait_for()
    focused_heading(page, "Elicit")
    page.focus(".ears-next")
    page.keyboard.press("Enter")  # by keyboard: the focus leaves the button for the heading
    page.locator(".ears-prompt-amplify-0").wait_for()
    focused_heading(page, "Amplify")
    assert page.evaluate("document.activeElement !== document.body")
    page.click(".ears-next")
    page.locator(".ears-prompt-reflect-0").wait_for()
    focused_heading(page, "Reflect")
    page.click(".step-elicit")
    focused_heading(page, "Elicit")


def test_each_group_mapping_step_moves_the_focus_to_its_heading(page, voila_server):
    open_app(page, voila_server, "supervision.ipynb", selector=".supervision-app")
    browser.sign_in(page, SUPERVISOR, home=".supervision-home")
    start_session(page, "Group case mapping", "A11y focus map", group="Assessment Team 1")
    page.focus(".group-next")
    page.keyboard.press("Enter")
    focused_heading(page, "Step 2 of")
    page.click(".group-next")
    focused_heading(page, "Step 3 of")
    page.click(".group-prev")
    focused_heading(page, "Step 2 of")


# --- state not by colour alone ------------------------------------------------------------


def test_an_inadequate_audit_is_marked_in_words_in_the_list(page, voila_server):
    open_app(page, voila_server, selector=".audit-home, .person-picker")
    browser.sign_in(page, QUALITY_ASSURANCE)  # reads every audit
    page.locator(".audit-row").first.wait_for()
    marks = page.locator(".audit-row .grade-mark")
    texts = [t.strip() for t in marks.all_inner_texts()]
    assert "⚠ Inadequate" in texts, texts
    graded = [t for t in texts if t not in ("Not yet graded", "⚠ Inadequate")]
    assert graded, texts  # another grade beside it, in its own words and without the sign
    assert not [t for t in graded if "⚠" in t or "Inadequate" in t]
    heads = page.locator(".home-head").first.inner_text()
    assert "Grade" in heads


def test_the_area_pager_looks_and_reads_unlike_the_scale(page, voila_server):
    from tests.e2e.test_audit_e2e import start_audit

    open_app(page, voila_server, selector=".audit-home, .person-picker")
    browser.sign_in(page, AUDITOR)
    start_audit(page, "LL-A11Y-AREA")
    page.click(".section-tab-areas_of_practice")
    page.locator(".area-tab-area_7").wait_for()
    page.wait_for_timeout(300)
    assert page.locator(".area-nav").inner_text().startswith("Area")
    style = (
        "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.borderTopStyle,"
        " s.borderTopLeftRadius, s.borderBottomLeftRadius].join(' | '); }"
    )
    tab = page.locator(".area-tab-area_7").evaluate(style)
    point = page.locator(".scale-point-7").first.evaluate(style)
    assert tab != point, (tab, point)
    assert page.locator(".area-tab-area_7").get_attribute("aria-label").startswith("Area 7: ")
    names = [n for _r, n in accessible_names(page, {"button"})]
    assert "7" not in names, names


# --- the keyboard alone -------------------------------------------------------------------


def keys_start_session(page, kind: str, title: str, with_whom: str, css: str) -> int:
    """Start a session from the supervision home with the keyboard: the kind, the title, the
    supervisee (a select) or the group's name (typed), then Start."""
    tab_to(page, ".new-kind select")
    choose_with_keys(page, ".new-kind select", kind)
    tab_to(page, ".new-title input")
    page.keyboard.type(title)
    if css == ".new-supervisee":
        tab_to(page, ".new-supervisee select")
        choose_with_keys(page, ".new-supervisee select", with_whom)
    else:
        tab_to(page, ".new-group input")
        page.keyboard.type(with_whom)
    tab_to(page, ".start-session")
    page.keyboard.press("Enter")
    page.locator(".session-screen").wait_for()
    return int(page.locator(".session-summary").inner_text().split("#")[1].split(":")[0])


def keys_type_note(page, key: str, text: str, backwards: bool = False) -> None:
    box = note(key)
    tab_to(page, f"{box} textarea, {box} input[type=text]", backwards=backwards)
    page.keyboard.type(text)
    page.locator(f"{box} .status-saved").wait_for(timeout=15_000)


def keys_press(page, selector: str, key: str = "Enter", backwards: bool = False) -> None:
    tab_to(page, selector, backwards=backwards)
    page.keyboard.press(key)


def keys_next(page, shown: str, heading: str) -> None:
    """Enter on EARS's Next: the next step's ``shown`` drawn, the focus on its heading."""
    keys_press(page, ".ears-next")
    page.locator(shown).wait_for()
    focused_heading(page, heading)


def test_an_ears_session_can_be_completed_with_the_keyboard_only(page, voila_server):
    """Every step of EARS by Tab, Enter, Space and typing; what was given is in the store."""
    from toolkit.supervision.store import SupervisionStore

    open_app(page, voila_server, "supervision.ipynb", selector=".supervision-app")
    browser.sign_in(page, SUPERVISOR, home=".supervision-home")
    session_id = keys_start_session(page, "Individual", "Keys EARS", SUPERVISEE, ".new-supervisee")
    keys_press(page, ".ears-choice-working-well-0")
    page.locator(".ears-question").wait_for()
    focused_heading(page, "Elicit")
    keys_type_note(page, "r1.elicit.note", "The network meeting.")
    keys_next(page, ".ears-prompt-amplify-0", "Amplify")
    keys_press(page, note("r1.amplify.0.asked") + " input[type=checkbox]", "Space")
    keys_type_note(page, "r1.amplify.0.note", "Grandma and the school nurse.")
    keys_next(page, ".ears-prompt-reflect-0", "Reflect")
    keys_type_note(page, "r1.reflect.0.note", "Bringing the network in early.")
    keys_next(page, ".ears-chooser", "Start Over")
    keys_type_note(page, "learning", "Ask who else noticed.")
    keys_press(page, ".note--actions-add")
    page.locator(".note--actions .list-row-0").wait_for()
    tab_to(page, ".note--actions .list-row-0 .list-what input", backwards=True)
    page.keyboard.type("Share the network map")
    page.keyboard.press("Tab")  # on to "Who"
    page.keyboard.type("Sam")
    tab_to(page, ".note--actions .list-row-0 .list-when input[type=date]")
    page.keyboard.type("12042026")  # the date field's month, day and year, by keys
    page.keyboard.press("Tab")
    screenshot(page, "keyboard-ears-done")
    sup = SupervisionStore(voila_server.store())
    wanted = {
        "r1.question": "working_well.0",
        "r1.elicit.note": "The network meeting.",
        "r1.amplify.0.asked": True,
        "r1.amplify.0.note": "Grandma and the school nurse.",
        "r1.reflect.0.note": "Bringing the network in early.",
        "learning": "Ask who else noticed.",
        "actions": [{"what": "Share the network map", "who": "Sam", "when": "2026-12-04"}],
    }
    wait_for_stored(
        lambda: {k: sup.note_values(session_id).get(k) for k in wanted},
        lambda got: got == wanted,
        f"session {session_id}'s notes given by keyboard",
    )


def test_a_group_mapping_can_be_completed_with_the_keyboard_only(page, voila_server):
    """Participants, the genogram, the three columns, a danger statement and its goal, the
    scale's ends and each participant's rating with a reason: no mouse at all."""
    from toolkit.supervision.store import SupervisionStore

    open_app(page, voila_server, "supervision.ipynb", selector=".supervision-app")
    browser.sign_in(page, SUPERVISOR, home=".supervision-home")
    session_id = keys_start_session(
        page, "Group", "Keys mapping", "Assessment Team 1", ".new-group"
    )
    for index, (name, role) in enumerate([("Priya", "Facilitator"), ("Sam", "Case holder")]):
        keys_press(page, ".note--participants-add")
        row = f".note--participants .list-row-{index}"
        page.locator(row).wait_for()
        tab_to(page, f"{row} .list-name input", backwards=True)
        page.keyboard.type(name)
        page.locator(".note--participants .status-saved").wait_for(timeout=15_000)
        tab_to(page, f"{row} .list-role select")
        choose_with_keys(page, f"{row} .list-role select", role)
    keys_press(page, ".group-next")
    focused_heading(page, "Step 2 of")
    keys_type_note(page, "genogram", "Mum, Carl, five children.")
    keys_press(page, ".group-next")
    focused_heading(page, "Step 3 of")
    keys_type_note(page, "columns.worried", "Carl hit Claire.")
    keys_type_note(page, "columns.working_well", "Claire called the police.")
    keys_type_note(page, "columns.needs_to_happen", "A safety plan.")
    keys_press(page, ".group-next")
    focused_heading(page, "Step 4 of")
    keys_press(page, ".note--pairs-add")
    tab_to(page, ".note--pairs .list-row-0 .list-danger textarea", backwards=True)
    page.keyboard.type("There are concerns about domestic violence.")
    page.locator(".note--pairs .status-saved").wait_for(timeout=15_000)
    keys_press(page, ".group-next")
    focused_heading(page, "Step 5 of")
    tab_to(page, ".note--pairs .list-row-0 .list-goal textarea")
    page.keyboard.type("The children are safe and calm at home.")
    page.locator(".note--pairs .status-saved").wait_for(timeout=15_000)
    keys_press(page, ".step-scaling", backwards=True)
    page.locator(".scale-spread").wait_for()
    keys_type_note(page, "scale.zero", "The children will be hurt.")
    keys_type_note(page, "scale.ten", "The children are safe.")
    page.locator(".rating-row-1").wait_for()
    for index, (point, reason) in enumerate([(3, "Only two weeks"), (6, "Grandma is there")]):
        row = f".rating-row-{index}"
        tab_to(page, f"{row} .rating-reason textarea")
        page.keyboard.type(reason)
        keys_press(page, f"{row} .scale-point-{point}", "Space")
        page.locator(f"{row} .status-saved").wait_for(timeout=15_000)
    spread = page.locator(".scale-spread")
    spread.locator(".spread-summary", has_text="range 3").wait_for()
    screenshot(page, "keyboard-group-mapping-done")
    sup = SupervisionStore(voila_server.store())
    assert sorted((r.participant, r.value) for r in sup.ratings(session_id)) == [
        ("Priya", 3),
        ("Sam", 6),
    ]
    notes = sup.note_values(session_id)
    assert notes["participants"] == [
        {"name": "Priya", "role": "facilitator"},
        {"name": "Sam", "role": "case_holder"},
    ]
    assert notes["columns.working_well"] == "Claire called the police."
    assert notes["pairs"][0]["goal"] == "The children are safe and calm at home."
