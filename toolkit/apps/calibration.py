"""Calibration exercise: the trainer starts one on an example case; learners score it on their
own devices (name only); the trainer sees the spread against the model and exports it.

``calibration.ipynb`` — start an exercise; ``?exercise=<code>`` — a learner scores;
``?exercise=<code>&view=trainer`` — the trainer's view. Always on the training store.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

import ipywidgets as w

from toolkit import config, session
from toolkit.apps.common import AppFrame, button
from toolkit.store import NotFound, Store
from toolkit.training.calibration import (
    OVERALL,
    CalibrationStore,
    Exercise,
    area_results,
    discussion_prompt,
    overall_grades,
    results_csv,
)
from toolkit.training.cases import example_cases, model_grade, scaled_areas
from toolkit.training.demo_store import open_training_store
from toolkit.training.views import case_file_html, dot_strip
from toolkit.ui.downloads import data_link
from toolkit.ui.scale import ScaleInput
from toolkit.ui.text import esc


def _html(markup: str, css: str) -> w.HTML:
    made = w.HTML(markup)
    made.add_class(css)
    return made


class StartScreen(w.VBox):
    """The trainer picks an example case and gets a code for the room."""

    def __init__(self, cal: CalibrationStore, guard) -> None:  # noqa: ANN001 - a decorator
        self.cal = cal
        self.case = w.Dropdown(
            options=[(f"{c.family} — {c.service_area}", c.id) for c in example_cases().cases],
            description="Example case",
            style={"description_width": "110px"},
            layout=w.Layout(width="620px"),
        )
        self.case.add_class("calibration-case")
        go = button("Start the exercise", "calibration-start", style="primary")
        go.on_click(guard(lambda _b: self.started(self.cal.start(self.case.value))))
        self.result = _html("", "calibration-started")
        super().__init__(
            [
                w.HTML(
                    "<h2>Start a calibration exercise</h2><p class='guidance'>Everyone in the room "
                    "scores the same fictional case on their own device; you then see how far "
                    "apart the scores are.</p>"
                ),
                w.HBox([self.case, go]),
                self.result,
            ]
        )

    def started(self, exercise: Exercise) -> None:
        learner = f"calibration.ipynb?exercise={exercise.code}"
        self.result.value = (
            f'<div class="msg msg-info"><p>Exercise code: <b class="exercise-code">'
            f"{esc(exercise.code)}</b></p><p>Learners open <a href='{esc(learner)}' "
            f"target='_blank'><code>{esc(learner)}</code></a></p><p>Your view: <a "
            f"class='trainer-link' href='{esc(learner)}&amp;view=trainer' target='_blank'>"
            f"<code>{esc(learner)}&amp;view=trainer</code></a></p></div>"
        )


class LearnerScreen(w.VBox):
    """Name, the case file, then every area scored 0–10 and an overall rating; saved as given."""

    def __init__(self, cal: CalibrationStore, exercise: Exercise, guard) -> None:  # noqa: ANN001
        self.cal, self.exercise, self.guard = cal, exercise, guard
        self.name = w.Text(description="Your name", placeholder="First name is enough")
        self.name.add_class("learner-name")
        join = button("Start scoring", "learner-join", style="primary")
        join.on_click(guard(self._join))
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

        def save(change: dict) -> None:
            self.cal.score(learner, item, change["new"])
            saved.value = '<span class="status-saved">Saved</span>'

        scale.observe(self.guard(save), names="value")
        box = w.VBox([w.HTML(f"<h4>{esc(title)}</h4>"), scale, saved])
        box.add_class("learner-area")
        return box


class TrainerView(w.VBox):
    """Per area: the learners' spread beside the model, prompts where it is 3 or more apart."""

    def __init__(self, cal: CalibrationStore, exercise: Exercise, guard) -> None:  # noqa: ANN001
        self.cal, self.exercise = cal, exercise
        refresh = button("Refresh scores", "calibration-refresh", style="primary", width="180px")
        refresh.on_click(guard(lambda _b: self.render()))
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
                refresh,
                self.overall,
                self.table,
                self.export,
            ]
        )
        self.render()

    def render(self) -> None:
        case = self.exercise.case
        scores = self.cal.scores(self.exercise)
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
    notebook = "calibration.ipynb"

    def __init__(self, store: Store | None = None) -> None:
        super().__init__("Calibration exercise", "calibration-app", store or open_training_store())
        self._switch.layout.display = "none"  # learners have no account: name only
        self.cal = CalibrationStore(self.store)
        self._live: Store | None = None
        self.guard(self.start)()

    def looking_at_trainer_view(self, code: str) -> AbstractContextManager[None]:
        """The trainer's view shows every learner's name and scores: each opening is a row in
        the live store's access log (the training store is reset by trainers and holds only
        demonstration people), naming the person from the live register, else the Hub's user."""
        if self._live is None:
            self._live = Store()
        try:
            person = session.current_person(self._live)
        except NotFound:
            person = None
        return self._live.looking(
            action="open",
            record_kind="calibration_exercise",
            record_id=code.strip().upper(),
            screen=self.notebook,
            person=person,
            actor=None if person else config.hub_user(),
        )

    def render_header(self) -> None:
        self._header.value = f'<div class="app-header"><h1>{esc(self.title)}</h1></div>'

    def _after_reset(self) -> None:
        self.messages.show("The demonstration is back at the start: start a new exercise.", "info")
        self.guard(self.start)()

    def start(self) -> None:
        code = session.query().get("exercise", "").strip()
        if not code:
            self.body.children = [StartScreen(self.cal, self.guard)]
            return
        if session.query().get("view") == "trainer":
            with self.looking_at_trainer_view(code):  # one row, refused ones too
                exercise = self.cal.exercise(code)
            self.body.children = [TrainerView(self.cal, exercise, self.guard)]
            return
        self.body.children = [LearnerScreen(self.cal, self.cal.exercise(code), self.guard)]


def app(store: Store | None = None) -> None:
    """Build the calibration app and show it (the one line in ``notebooks/calibration.ipynb``)."""
    from IPython.display import display

    display(CalibrationApp(store))
