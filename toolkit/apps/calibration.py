"""Calibration exercise: the trainer starts one on an example case; learners score it on their
own devices (name only); the trainer sees the spread against the model and exports it.

``calibration.ipynb`` — a trainer starts an exercise and opens their own ("Your exercises");
``?exercise=<code>`` — a learner scores; ``?exercise=<code>&view=trainer`` — the trainer's view,
for the trainer who started it only (the store refuses anyone else). Exercises and scores are
always on the training store; the trainer is signed in against the page's register
(:func:`toolkit.apps.common.page_store`: the live one, or the demonstration's with
``?mode=demo``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import ipywidgets as w

from toolkit import config
from toolkit.apps import session
from toolkit.apps.common import AppFrame, button, page_store
from toolkit.apps.training.views import case_file_html, dot_strip, kept_message
from toolkit.core.html import esc
from toolkit.core.local_time import local_time
from toolkit.core.permissions import Person
from toolkit.store import Conflict, NotAllowed, Store
from toolkit.training.calibration import (
    OVERALL,
    TRAINER_ROLE,
    CalibrationStore,
    Exercise,
    area_results,
    discussion_prompt,
    overall_grades,
    results_csv,
)
from toolkit.training.cases import example_cases, model_grade, scaled_areas
from toolkit.training.demo_store import Reset, open_training_store
from toolkit.ui.downloads import data_link
from toolkit.ui.scale import ScaleInput


def _html(markup: str, css: str) -> w.HTML:
    made = w.HTML(markup)
    made.add_class(css)
    return made


class StartScreen(w.VBox):
    """A trainer's own screen: their exercises (each opens their view of it), and a new one on
    an example case with a code for the room. Nobody else's exercises, nor any address of a
    trainer's view: this screen is the one projected to the room."""

    def __init__(
        self,
        cal: CalibrationStore,
        trainer: Person,
        guard,
        open_view: Callable[[Exercise], None],
    ) -> None:
        self.cal, self.trainer, self.guard, self.open_view = cal, trainer, guard, open_view
        self.case = w.Dropdown(
            options=[(f"{c.family} — {c.service_area}", c.id) for c in example_cases().cases],
            description="Example case",
            style={"description_width": "110px"},
            layout=w.Layout(width="620px"),
        )
        self.case.add_class("calibration-case")
        go = button("Start the exercise", "calibration-start", style="primary")
        go.on_click(guard(lambda _b: self.started(self.cal.start(self.case.value, trainer))))
        self.result = _html("", "calibration-started")
        self.mine = w.VBox()
        self.mine.add_class("calibration-mine")
        super().__init__(
            [
                w.HTML(
                    "<h2>Start a calibration exercise</h2><p class='guidance'>Everyone in the room "
                    "scores the same fictional case on their own device; you then see how far "
                    "apart the scores are.</p>"
                ),
                w.HBox([self.case, go]),
                self.result,
                self.mine,
            ]
        )
        self.list_mine()

    def started(self, exercise: Exercise) -> None:
        learner = f"calibration.ipynb?exercise={exercise.code}"
        self.result.value = (
            f'<div class="msg msg-info"><p>Exercise code: <b class="exercise-code">'
            f"{esc(exercise.code)}</b></p><p>Learners open <a href='{esc(learner)}' "
            f"target='_blank'><code>{esc(learner)}</code></a></p><p>When they have scored, "
            "open your view of it below, under “Your exercises”.</p></div>"
        )
        self.list_mine()

    def list_mine(self) -> None:
        """The exercises this trainer started, newest first, each with a button to its view."""
        rows: list[w.Widget] = [
            w.HTML(f"<h3>Your exercises</h3><p>Started by you, {esc(self.trainer.name)}.</p>")
        ]
        for exercise, learners in self.cal.exercises_of(self.trainer):
            started = exercise.created_at
            when = f"{local_time(started):%d %b %Y %H:%M}" if started else ""
            label = _html(
                f"<b>{esc(exercise.code)}</b> — {esc(exercise.case.family)} · started {when} · "
                f"{learners} learner(s)",
                "calibration-mine-label",
            )
            view = button("Open your view", "calibration-open-view", f"open-{exercise.code}")
            view.on_click(self.guard(lambda _b, e=exercise: self.open_view(e)))
            row = w.HBox([view, label], layout=w.Layout(align_items="center"))
            row.add_class("calibration-mine-row")
            rows.append(row)
        if len(rows) == 1:
            rows.append(w.HTML('<p class="empty-note">None yet.</p>'))
        self.mine.children = rows


class LearnerScreen(w.VBox):
    """Name, the case file, then every area scored 0–10 and an overall rating; saved as given."""

    def __init__(self, cal: CalibrationStore, exercise: Exercise, guard) -> None:
        self.cal, self.exercise, self.guard = cal, exercise, guard
        self.name = w.Text(description="Your name", placeholder="First name is enough")
        self.name.add_class("learner-name")
        join = button("Start scoring", "learner-join", style="primary")
        join.on_click(guard(self._join))
        # it can be pressed once there is a name: the server has then heard from this page
        join.disabled = True
        self.name.observe(lambda change: setattr(join, "disabled", not change.new.strip()), "value")
        super().__init__(
            [
                w.HTML(
                    "<h2>Calibration exercise</h2><p class='guidance'>Type your name (no account "
                    "needed), read the case file, then scale every area as you would in an "
                    "audit. Each score is saved the moment you give it.</p>"
                ),
                w.HBox([self.name, join]),
            ]
        )

    def _join(self, _b: w.Button) -> None:
        learner = self.cal.join(self.exercise, self.name.value)
        given = self.cal.learner_scores(learner)
        self._revisions = self.cal.learner_revisions(learner)
        case = self.exercise.case
        rows: list[w.Widget] = [
            _html(f"<p>Scoring as <b>{esc(self.name.value.strip())}</b></p>", "learner-who"),
            _html(case_file_html(case), "calibration-case-file"),
            w.HTML("<h2>Your scores</h2>"),
        ]
        for area_id, title, _key in scaled_areas():
            rows.append(self._scale(learner, area_id, f"{area_id.split('_')[1]}. {title}", given))
        rows.append(self._scale(learner, OVERALL, "Overall rating of case audit (0–10)", given))
        self.children = rows

    def _scale(self, learner: int, item: str, title: str, given: dict[str, int]) -> w.Widget:
        scale = ScaleInput(description=title)
        scale.value = given.get(item)
        scale.add_class(f"learner-scale--{item.replace('_', '-')}")
        saved = _html("", "score-status")
        loaded = {"revision": self._revisions.get(item, 0), "showing": False}

        def save(change: dict) -> None:
            if loaded["showing"]:  # the other version put on the scale: nothing to save
                return
            try:
                stored = self.cal.score(learner, item, change["new"], loaded["revision"])
            except Conflict as exc:
                loaded["revision"], loaded["showing"] = exc.revision, True
                try:
                    scale.value = exc.current
                finally:
                    loaded["showing"] = False
                mine = "none" if change["new"] is None else change["new"]
                saved.value = (
                    f'<span class="status-conflict" role="alert">⚠ {esc(str(exc))} '
                    f"You gave {esc(str(mine))}.</span>"
                )
                return
            loaded["revision"] = stored.revision if stored is not None else 0
            saved.value = '<span class="status-saved">Saved</span>'

        scale.observe(self.guard(save), names="value")
        box = w.VBox([w.HTML(f"<h4>{esc(title)}</h4>"), scale, saved])
        box.add_class("learner-area")
        return box


class TrainerView(w.VBox):
    """Per area: the learners' spread beside the model, prompts where it is 3 or more apart.
    For the trainer who started the exercise only: the store checks it at every refresh."""

    def __init__(
        self,
        cal: CalibrationStore,
        exercise: Exercise,
        trainer: Person | None,
        guard,
        back: Callable[[], None] | None = None,
    ) -> None:
        self.cal, self.exercise, self.trainer = cal, exercise, trainer
        refresh = button("Refresh scores", "calibration-refresh", style="primary", width="180px")
        refresh.on_click(guard(lambda _b: self.render()))
        controls: list[w.Widget] = [refresh]
        if back is not None:
            to_list = button("Back to your exercises", "calibration-back", width="220px")
            to_list.on_click(guard(lambda _b: back()))
            controls.append(to_list)
        self.table = _html("", "calibration-results")
        self.overall = _html("", "calibration-overall")
        self.export = _html("", "calibration-export")
        case = exercise.case
        super().__init__(
            [
                w.HTML(
                    f"<h2>Trainer's view — {esc(case.family)}</h2><p class='guidance'>Exercise "
                    f"<b>{esc(exercise.code)}</b>. Red bar: the model scale; blue dots: learners."
                    "</p>"
                ),
                w.HBox(controls),
                self.overall,
                self.table,
                self.export,
            ]
        )
        self.render()

    def render(self) -> None:
        case = self.exercise.case
        scores = self.cal.scores(self.exercise, self.trainer)  # NotAllowed for anyone else
        rows = []
        for r in area_results(case, scores):
            s = r.spread
            figures = f"{s.minimum} / {s.median:g} / {s.maximum}" if s else "—"
            prompt = (
                f'<div class="discussion-prompt">{esc(discussion_prompt(r))}</div>'
                if r.discuss
                else ""
            )
            rows.append(
                f'<tr class="result-row result--{r.area_id.replace("_", "-")}'
                f'{" wide-spread" if r.discuss else ""}"><td><b>{esc(r.area_id.split("_")[1])}.'
                f"</b> {esc(r.title)}{prompt}</td><td>{dot_strip(r)}</td>"
                f'<td class="figures">{figures}</td><td class="model">{r.model}</td></tr>'
            )
        self.table.value = (
            f"<p>{len(scores)} learner(s): {esc(', '.join(scores))}</p>"
            '<table class="calibration-table"><tr><th>Area</th><th>Learners (dots) and model (bar)'
            "</th><th>Min / median / max</th><th>Model</th></tr>" + "".join(rows) + "</table>"
        )
        grades = overall_grades(scores)
        counts = "".join(
            f'<li class="grade-count">{esc(g)}: <b>{n}</b></li>' for g, n in grades.items()
        )
        self.overall.value = (
            f"<h3>Overall grades given</h3><ul class='grade-spread'>{counts}</ul>"
            f"<p>Model: <b>{case.model_audit.overall_rating}</b> — <b>{esc(model_grade(case))}"
            "</b></p>"
        )
        self.export.value = data_link(
            results_csv(case, scores),
            f"calibration-{self.exercise.code}.csv",
            "text/csv",
            "Download the scores (CSV)",
            "calibration-csv",
        )


class CalibrationApp(AppFrame):
    """Learners need no account (name only); the trainer is signed in against the page's
    register, whose people and remembered choice this frame uses."""

    notebook = "calibration.ipynb"

    _learner_page = False

    def __init__(self, store: Store | None = None, people: Store | None = None) -> None:
        training = store or open_training_store()
        register = people or (page_store() if store is None else training)
        self._live: Store | None = None
        super().__init__("Calibration exercise", "calibration-app", training, register)
        self.cal = CalibrationStore(training, register)
        self.guard(self.start)()

    def looking_at_trainer_view(self, code: str) -> AbstractContextManager[None]:
        """The trainer's view shows every learner's name and scores: each opening is a row in
        the live store's access log (the training store is reset by trainers). A person of the
        live register is named as such; a demonstration person by name (their id belongs to
        the training store's register), else the Hub's user."""
        if self._live is None:
            self._live = Store()
        live_person = self.person if self.register.url == self._live.url else None
        actor = None
        if live_person is None:
            actor = f"{self.person.name} (demonstration)" if self.person else config.hub_user()
        return self._live.looking(
            action="open",
            record_kind="calibration_exercise",
            record_id=code.strip().upper(),
            screen=self.notebook,
            person=live_person,
            actor=actor,
        )

    def render_header(self) -> None:
        """The trainer's name once they are signed in; a learner is never asked for theirs."""
        self.offer_reset(self._learner_page is False)
        who = (
            f'<span class="who">Signed in as <b>{esc(self.person.name)}</b></span>'
            if self.person
            else ""
        )
        self._header.value = f'<div class="app-header"><h1>{esc(self.title)}</h1>{who}</div>'

    def _after_reset(self, done: Reset) -> None:
        self.messages.show(kept_message(done), "info")
        self.guard(self.start)()

    def start(self) -> None:
        code = session.query().get("exercise", "").strip()
        self._switch.layout.display = "none"  # learners have no account: name only
        if not code:
            self.show_start()
            return
        if session.query().get("view") == "trainer":
            self.open_view(code, from_address=True)
            return
        self._learner_page = True  # a learner's page never offers the reset
        self.offer_reset(False)
        exercise = self.cal.exercise(code)
        self.messages.clear()  # a learner needs no account: no "not in the register"
        self.body.children = [LearnerScreen(self.cal, exercise, self.guard)]

    def show_start(self) -> None:
        """The trainer's own screen; on the single-user default, choose who you are first."""
        if self.person is None and not session.under_hub():
            note = w.HTML(
                '<p class="guidance">Trainers: choose who you are to start an exercise or open '
                "your own. Learners: open the link your trainer gives you.</p>"
            )
            self.body.children = [note, self.person_picker(lambda _p: self.show_start())]
            return
        self._switch.layout.display = "none" if session.under_hub() else None
        if self.person is None or TRAINER_ROLE not in self.person.roles:
            who = self.person.name if self.person else "Nobody signed in"
            self.messages.show(
                f"Calibration exercises are started by trainers; {who} cannot start one. "
                "Learners: open the link your trainer gives you.",
                "error",
            )
            self.body.children = []
            return
        self.body.children = [StartScreen(self.cal, self.person, self.guard, self.open_view)]

    def open_view(self, exercise: Exercise | str, from_address: bool = False) -> None:
        """The trainer's view of ``exercise`` (or of the exercise with that code) — refused (a
        plain message, nothing of its scores or model) to anyone but the trainer who started
        it. Each opening is one access-log row, refused ones and unknown codes too."""
        code = exercise if isinstance(exercise, str) else exercise.code
        try:
            with self.looking_at_trainer_view(code):
                if isinstance(exercise, str):
                    exercise = self.cal.exercise(code)
                self.cal.check_trainer(exercise, self.person)
        except NotAllowed as exc:
            self.messages.show(str(exc), "error")
            self.body.children = []
            return
        self.messages.clear()
        back = None if from_address else self.show_start
        self.body.children = [TrainerView(self.cal, exercise, self.person, self.guard, back)]


def app(store: Store | None = None) -> None:
    """Build the calibration app and show it (the one line in ``notebooks/calibration.ipynb``)."""
    from IPython.display import display

    display(CalibrationApp(store))
