"""Training in headless Chromium against a real Voilà server: three learners in three browser
contexts score the same example case, the trainer's view shows their spread against the model;
the audit app in demonstration mode is bannered and never shows live data (nor live demo)."""

from __future__ import annotations

import sqlite3

import pytest

from tests.support import browser
from tests.support.browser import APP_TIMEOUT_MS, open_app, screenshot, sign_in
from toolkit.store import Store
from toolkit.training.calibration import CalibrationStore
from toolkit.training.cases import scaled_areas
from toolkit.training.demo_store import trainer

pytestmark = pytest.mark.e2e
AREAS = [a for a, _t, _k in scaled_areas()]
#: each learner's scales: a base for every area, area_7 set apart to make a wide spread
LEARNERS = {"Asha": (4, 3, 3), "Ben": (5, 5, 5), "Carys": (5, 9, 8)}


def _score(page, item: str, value: int) -> None:
    box = page.locator(
        ".learner-area", has=page.locator(f".learner-scale--{item.replace('_', '-')}")
    )
    box.locator(f".scale-point-{value}").click()
    box.locator(".status-saved").wait_for(timeout=15_000)


def _joined(server, name: str) -> bool:
    """Whether the store holds a learner of that name (the kernel ran the join)."""
    with sqlite3.connect(server.data_dir / "training.sqlite") as db:
        sql = "SELECT count(*) FROM calibration_learners WHERE name = ?"
        return bool(db.execute(sql, (name,)).fetchone()[0])


def _wait_for_case_file(learner, server, name: str) -> None:
    """The learner's case file; when it never comes, a screenshot of THAT page (the page
    fixture only shoots the trainer's), its message bar, whether the kernel joined them and
    the server's log, so a failure shows its cause."""
    try:
        learner.locator(".case-file").wait_for(timeout=APP_TIMEOUT_MS)
    except Exception:  # noqa: BLE001 - whatever the wait raised, the screen is photographed
        shot = screenshot(learner, f"FAILED-learner-{name}")
        said = learner.locator(".toolkit-message").all_inner_texts()
        button = learner.locator(".learner-join").evaluate("b => b.outerHTML")
        raise AssertionError(
            f"{name}'s case file never appeared; message bar {said}; joined in the store: "
            f"{_joined(server, name)}; the button {button}; see {shot}\n"
            f"--- the server's log ---\n{server.log()[-3000:]}"
        ) from None


def test_three_learners_score_a_case_and_the_trainer_sees_the_spread(voila_server, browser, page):
    # the demonstration's trainer, signed in against the demonstration's people
    open_app(page, voila_server, "calibration.ipynb", "mode=demo", ".calibration-app")
    sign_in(page, "Trainer (demonstration)", home=".calibration-start")
    page.locator(".calibration-start").click()
    code = page.locator(".exercise-code").inner_text().strip()
    assert len(code) == 6
    assert page.locator(".demo-banner").is_visible()
    # the panel projected to the room gives the learners' link, never the trainer's view
    started = page.locator(".calibration-started")
    assert "view=trainer" not in started.inner_html()
    assert f"exercise={code}" in started.inner_text()
    page.locator(f".open-{code}").wait_for()
    screenshot(page, "calibration-start-panel")

    contexts = []
    try:
        for name, (base, area_7, overall) in LEARNERS.items():
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            contexts.append(context)
            learner = context.new_page()
            open_app(
                learner, voila_server, "calibration.ipynb", f"exercise={code}", ".calibration-app"
            )
            join = learner.locator(".learner-join")
            assert join.is_disabled()  # no name yet
            if name == "Asha":
                screenshot(learner, "calibration-learner-before-name", full_page=False)
            learner.fill(".learner-name input", name)
            # enabled by the server once it has the name: the page and its kernel are talking
            learner.locator(".learner-join:not([disabled])").wait_for()
            join.click()
            _wait_for_case_file(learner, voila_server, name)
            assert not learner.locator(".demo-reset").is_visible()  # never on a learner's page
            assert "fictional" in learner.locator(".case-file .fictional").inner_text().lower()
            if name == "Asha":
                screenshot(learner, "training-case-file")
            for area in AREAS:
                _score(learner, area, area_7 if area == "area_7" else base)
            _score(learner, "overall", overall)

        # a learner who adds &view=trainer to the address is refused and sees nothing of it
        peek = contexts[0].new_page()
        query = f"exercise={code}&view=trainer"
        open_app(peek, voila_server, "calibration.ipynb", query, ".toolkit-message .msg-error")
        assert "Only the trainer who started" in peek.locator(".toolkit-message").inner_text()
        assert peek.locator(".calibration-results, .grade-spread, .calibration-csv").count() == 0
        assert "Asha" not in peek.locator(".calibration-app").inner_text()
        screenshot(peek, "calibration-trainer-view-refused")

        # the trainer opens their view from their own screen
        page.locator(f".open-{code}").click()
        assert page.locator(".demo-banner").is_visible()
        page.locator(".calibration-results").wait_for()
        assert "3 learner(s): Asha, Ben, Carys" in page.locator(".calibration-results").inner_text()
        row = page.locator(".result--area-7")
        assert row.locator(".figures").inner_text().strip() == "3 / 5 / 9"
        assert row.locator(".model").inner_text().strip() == "7"  # Greenfield's model scale
        assert row.locator(".learner-dot").count() == 3
        assert "wide-spread" in row.get_attribute("class")
        assert row.locator(".discussion-prompt").count() == 1
        assert page.locator(".result--area-6 .discussion-prompt").count() == 0  # 4/5/5
        grades = page.locator(".grade-spread").inner_text()
        assert "Requires improvement: 2" in grades
        assert "Outstanding: 1" in grades
        link = page.locator(".calibration-csv").first
        assert link.get_attribute("href").startswith("data:text/csv;base64,")
        screenshot(page, "training-trainer-view")
    finally:
        for context in contexts:
            context.close()


def test_demonstration_mode_is_bannered_and_apart_from_live_data(voila_server, page):
    open_app(page, voila_server, "audit.ipynb", "mode=demo")
    page.locator(".person-picker, .audit-home").first.wait_for()
    assert page.locator(".demo-banner").is_visible()
    browser.sign_in(page, "Trainer (demonstration)")  # only the demonstration register
    live = voila_server.store()
    assert all("(demonstration)" not in p.name for p in live.people())
    live_ids = {a.child_id for p in live.people() for a in live.audits_for(p, include_demo=True)}
    assert live_ids
    assert not any(c.startswith("DEMO-") for c in live_ids)
    # the trainer walks the room through the Greenfield case, revealing one area's model answer
    open_app(page, voila_server, "audit.ipynb", "mode=demo&audit=1")
    page.locator(".audit-screen").wait_for()
    page.locator(".demo-case-file").wait_for()
    page.click(".section-tab-areas_of_practice")
    page.click(".area-tab-area_7")
    page.locator(".group-area-7 .reveal-model").click()
    page.locator(".group-area-7 .model-answer-text").wait_for()
    assert "Model scale 7" in page.locator(".group-area-7 .model-answer").inner_text()
    screenshot(page, "training-demo-reveal")
    # the live page carries no banner
    open_app(page, voila_server, "audit.ipynb")
    page.locator(".person-picker, .audit-home").first.wait_for()
    assert page.locator(".demo-banner").count() == 0


def test_flashcards_in_projector_mode(voila_server, page):
    open_app(page, voila_server, "flashcards.ipynb", selector=".flashcards-app")
    assert "Appreciative Inquiry" in page.locator(".flashcard").inner_text()
    page.click(".card-flip")
    page.locator(".card-back").wait_for()
    assert "reflective questioning" in page.locator(".flashcard").inner_text()
    screenshot(page, "training-flashcard", full_page=False)


def test_the_trainer_reveals_the_model_mapping_in_the_supervision_app(voila_server, page):
    open_app(page, voila_server, "supervision.ipynb", "mode=demo&session=1", ".supervision-app")
    assert page.locator(".demo-banner").is_visible()
    browser.sign_in(page, "Trainer (demonstration)", home=".session-screen")
    assert "Greenfield" in page.locator(".session-summary").inner_text()
    page.click(".step-danger-statements")
    reveal = page.locator(".reveal-part-danger-statements .reveal-model")
    reveal.wait_for()
    assert page.locator(".model-answer-text").count() == 0  # nothing before the trainer asks
    reveal.click()
    shown = page.locator(".reveal-part-danger-statements .model-answer-text")
    shown.wait_for()
    assert "Carl" in shown.inner_text()
    assert not reveal.is_visible()
    page.click(".step-three-columns")
    page.locator(".reveal-part-three-columns .reveal-model").nth(1).click()
    page.locator(".reveal-part-three-columns .model-answer-text").wait_for()
    assert "Betty and Gemma" in page.locator(".reveal-part-three-columns").nth(1).inner_text()
    screenshot(page, "training-supervision-reveal")


SCREENS = {
    "allocation.ipynb": ".allocation-app",
    "moderation.ipynb": ".moderation-app",
    "reports.ipynb": ".reports-app",
    "thematic_audit.ipynb": ".thematic-app",
    "timescales.ipynb": ".timescale-app",
}


def test_every_screen_in_demonstration_mode_shows_the_banner(voila_server, page):
    for notebook, selector in SCREENS.items():
        open_app(page, voila_server, notebook, "mode=demo", selector)
        banner = page.locator(".demo-banner")
        banner.wait_for()
        assert "DEMONSTRATION" in banner.inner_text(), notebook
        assert page.locator(".demo-reset").count() == 1, notebook  # offered to trainers only
    # the trainer's moderation list holds the example cases only
    open_app(page, voila_server, "moderation.ipynb", "mode=demo", ".moderation-app")
    browser.sign_in(page, "Trainer (demonstration)", home=".moderation-home")
    rows = page.locator(".moderation-row")
    assert rows.count() == 3
    assert "DEMO-pellow-model" in page.locator(".moderation-list").inner_text()
    assert "LL-" not in page.locator(".moderation-list").inner_text()
    screenshot(page, "training-demo-moderation")
    open_app(page, voila_server, "reports.ipynb", "mode=demo", ".reports-app")
    page.locator(".report-tabs").wait_for(timeout=APP_TIMEOUT_MS)
    screenshot(page, "training-demo-reports")


def test_only_a_trainer_resets_after_confirming_and_an_exercise_in_progress_is_kept(
    voila_server, page
):
    open_app(page, voila_server, "audit.ipynb", "mode=demo")  # the page seeds the store
    page.locator(".person-picker, .audit-home").first.wait_for()
    training = Store(f"sqlite:///{voila_server.data_dir / 'training.sqlite'}")
    try:
        cal = CalibrationStore(training)
        running = cal.start("pellow", trainer(training))
        cal.score(cal.join(running, "Dana"), "area_6", 4)  # Dana has not finished
        browser.sign_in(page, "Practitioner (demonstration)")
        assert not page.locator(".demo-reset").is_visible()  # not offered to a learner
        browser.sign_in(page, "Trainer (demonstration)")
        page.locator(".demo-reset").click()
        confirm = page.locator(".reset-confirm")
        confirm.wait_for(timeout=15_000)
        assert running.code in confirm.locator(".reset-kept").inner_text()
        screenshot(page, "reset-confirm", full_page=False)
        confirm.locator(".confirm-cancel").click()
        page.locator(".reset-confirm").wait_for(state="detached", timeout=15_000)
        audits_before = len(training.audits_for(trainer(training), include_demo=True))
        page.locator(".demo-reset").click()
        page.locator(".reset-confirm .confirm-yes").click()
        message = page.locator(".toolkit-message", has_text="back at the start")
        message.wait_for(timeout=30_000)
        said = message.inner_text()
        # every exercise in progress is named (another test's may be among them): Dana's too
        kept = said.split("in progress:", 1)[1].strip().rstrip(".").split(", ")
        assert running.code in kept, said
        screenshot(page, "reset-done", full_page=False)
        again = CalibrationStore(training)
        assert again.scores(again.exercise(running.code), trainer(training)) == {
            "Dana": {"area_6": 4}
        }
        assert len(training.audits_for(trainer(training), include_demo=True)) == audits_before
    finally:
        training.close()
