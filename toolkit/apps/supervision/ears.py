"""Individual supervision with EARS: an organising question, its amplifying and reflecting
prompts, start over with another question, then learning and next steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from toolkit.apps.supervision.common import box, closing
from toolkit.apps.supervision.widgets import NoteContext, StepBar, button, html
from toolkit.core.html import esc
from toolkit.supervision import content
from toolkit.supervision.sessions import ears_done, ears_question, ears_rounds
from toolkit.ui.a11y import TAKE_FOCUS


class EarsScreen(w.VBox):
    def __init__(self, ctx: NoteContext, guard: Callable[..., Any]) -> None:
        self.ctx, self.guard = ctx, guard
        self.ears = content.ears()
        rounds = ears_rounds(ctx.values())
        self.round = rounds[-1] if rounds else 1
        self.step = ctx.value(f"r{self.round}.step", "elicit")
        self.steps = StepBar([(s.id, s.title) for s in self.ears.steps], guard(self.go))
        self._rounds = w.HBox(layout=w.Layout(flex_flow="row wrap", align_items="center"))
        self._rounds.add_class("ears-rounds")
        self._panel = w.VBox(layout=w.Layout(width="100%"))
        intro = html(
            f'<p class="guidance">{esc(self.ears.introduction.text)}</p>'
            f'<p class="guidance attribution">{esc(self.ears.attribution.text)}</p>'
        )
        super().__init__(
            [intro, self._rounds, self.steps, self._panel, closing(ctx, "Learning and next steps")],
            layout=w.Layout(width="100%"),
        )
        self.add_class("ears-screen")
        self.render()

    # --- navigation ---------------------------------------------------------------------------
    def go(self, step: str) -> None:
        self.step = step
        if self.ctx.editable and self.ctx.value(f"r{self.round}.question"):
            self.ctx.save(f"r{self.round}.step", step, self.ctx.revision(f"r{self.round}.step"))
        self.render()

    def open_round(self, number: int) -> None:
        self.round = number
        self.step = self.ctx.value(f"r{number}.step", "elicit")
        self.render()

    def choose_question(self, ref: str) -> None:
        self.ctx.save(f"r{self.round}.question", ref, self.ctx.revision(f"r{self.round}.question"))
        self.go("elicit")

    def start_over(self, ref: str) -> None:
        self.round = max(ears_rounds(self.ctx.values()) or [0]) + 1
        self.choose_question(ref)

    # --- drawing ------------------------------------------------------------------------------
    def render(self) -> None:
        notes = self.ctx.values()
        rounds = ears_rounds(notes)
        pills: list[w.Widget] = []
        if len(rounds) > 1:
            pills.append(html('<span class="field-label">Organising question:&nbsp;</span>'))
            for n in rounds:
                pill = button(str(n), "ears-round", f"ears-round-{n}", width="48px")
                pill.button_style = "info" if n == self.round else ""
                pill.on_click(self.guard(lambda _b, n=n: self.open_round(n)))
                pills.append(pill)
        self._rounds.children = pills
        self.steps.show(self.step, ears_done(notes, self.round))
        found = ears_question(notes.get(f"r{self.round}.question"))
        step = next(s for s in self.ears.steps if s.id == self.step)
        head = html(
            f'<div class="step-title"><h2 {TAKE_FOCUS}>{esc(step.title)}</h2>'
            f'<p class="guidance step-description">{esc(step.description.text)}</p></div>'
        )
        if found is None:
            parts = [
                head,
                self._chooser("Choose the organising question", self.choose_question, set()),
            ]
        elif self.step == "elicit":
            parts = [head, *self._elicit(found)]
        elif self.step in ("amplify", "reflect"):
            parts = [head, self._question_banner(found), *self._prompts(found[0], self.step)]
        else:
            parts = [
                head,
                *self._start_over(found[0], set(notes[f"r{n}.question"] for n in rounds)),
            ]
        self._panel.children = parts

    def _question_banner(self, found: tuple) -> w.HTML:
        script, _, question = found
        return html(
            f'<div class="ears-question"><span class="ears-script">{esc(script.title)}</span>'
            f"{esc(question.text)}</div>",
            "ears-question-box",
        )

    def _chooser(self, title: str, choose: Callable[[str], None], used: set[str]) -> w.Widget:
        cards: list[w.Widget] = []
        for script, number, question in self.ears.organising_questions():
            ref = f"{script.id}.{number}"
            if ref in used:
                continue
            card = button(
                question.text, "ears-choice", f"ears-choice-{script.id.replace('_', '-')}-{number}"
            )
            card.tooltip = script.title
            card.layout = w.Layout(width="100%", height="auto")
            card.disabled = not self.ctx.editable
            card.on_click(self.guard(lambda _b, r=ref: choose(r)))
            cards.append(
                w.VBox([html(f'<div class="ears-script">{esc(script.title)}</div>'), card])
            )
        return box(title, cards, "ears-chooser")

    def _elicit(self, found: tuple) -> list[w.Widget]:
        nxt = button("Next: Amplify →", "ears-next", style="primary")
        nxt.on_click(self.guard(lambda _b: self.go("amplify")))
        return [
            self._question_banner(found),
            self.ctx.text(
                f"r{self.round}.elicit.note", "Notes: what the supervisee describes", rows=4
            ),
            nxt,
        ]

    def _prompts(self, script: content.EarsScript, step: str) -> list[w.Widget]:
        rows: list[w.Widget] = []
        for i, prompt in enumerate(script.prompts(step)):
            key = f"r{self.round}.{step}.{i}"
            tick = self.ctx.tick(f"{key}.asked", "Asked", said=f": {prompt.text}")
            tick.layout = w.Layout(flex="0 0 90px")
            text = html(f'<div class="prompt-text">{esc(prompt.text)}</div>')
            note = self.ctx.text(f"{key}.note", f"Notes: {prompt.text}", rows=1)
            note.input.placeholder = "Notes"
            right = w.VBox([text, note], layout=w.Layout(flex="1 1 0", min_width="0"))
            row = w.HBox([tick, right], layout=w.Layout(width="100%", align_items="flex-start"))
            row.add_class("ears-prompt")
            row.add_class(f"ears-prompt-{step}-{i}")
            rows.append(row)
        following = {
            "amplify": ("reflect", "Next: Reflect →"),
            "reflect": ("start_over", "Next: Start over →"),
        }
        target, label = following[step]
        nxt = button(label, "ears-next", style="primary")
        nxt.on_click(self.guard(lambda _b: self.go(target)))
        return [*rows, nxt]

    def _start_over(self, script: content.EarsScript, used: set[str]) -> list[w.Widget]:
        guidance = html(
            "".join(f'<p class="field-statement">{esc(c.text)}</p>' for c in script.start_over)
        )
        return [
            guidance,
            self._chooser("Start over with another organising question", self.start_over, used),
        ]

    # --- projector ----------------------------------------------------------------------------
    def slides(self) -> list[tuple[str, str]]:
        found = ears_question(self.ctx.value(f"r{self.round}.question"))
        if found is None:
            return [(s.title, q.text) for s, _, q in self.ears.organising_questions()]
        script, _, question = found
        slides = [("Elicit", question.text)]
        for step in ("amplify", "reflect"):
            slides += [(step.title(), p.text) for p in script.prompts(step)]
        return slides
