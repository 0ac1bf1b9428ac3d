"""Quality clinic, practice intensive and learning review: records kept against cited questions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from toolkit.apps.supervision.common import box, cited, closing
from toolkit.apps.supervision.widgets import NoteContext, html
from toolkit.core.html import decision_html, esc
from toolkit.supervision import content


class QualityClinicScreen(w.VBox):
    def __init__(self, ctx: NoteContext, guard: Callable[..., Any]) -> None:
        self.ctx, self.guard = ctx, guard
        self.clinics = content.quality_clinics()
        self._theme = w.Dropdown(
            options=[("Choose the clinic’s theme", "")]
            + [(t.title, t.id) for t in self.clinics.themes],
            value=ctx.value("theme", ""),
            description="Theme",
            disabled=not ctx.editable,
            layout=w.Layout(width="640px"),
        )
        self._theme.add_class("clinic-theme")
        self._theme.observe(guard(self._choose), names="value")
        self._about = w.VBox(layout=w.Layout(width="100%"))
        c = self.clinics
        gibbs = box(
            "Reflection: Gibbs (1988) reflective cycle",
            [cited([c.gibbs_introduction])]
            + [self.ctx.text(f"gibbs.{i}", s.text, rows=2) for i, s in enumerate(c.gibbs_stages)]
            + [cited([c.gibbs_guidance])],
            "clinic-gibbs",
        )
        record = box(
            "Discussion and decision record",
            [cited([c.record_introduction])]
            + [self.ctx.text(f"record.{i}", s.text, rows=2) for i, s in enumerate(c.record_items)]
            + [cited(c.record_guidance)],
            "clinic-record",
        )
        super().__init__(
            [cited(c.introduction), cited(c.preparation), self._theme, self._about, gibbs, record],
            layout=w.Layout(width="100%"),
        )
        self.add_class("clinic-screen")
        self._draw_theme()

    def _choose(self, change: dict) -> None:
        self.ctx.save("theme", change["new"] or None, self.ctx.revision("theme"))
        self._draw_theme()

    def _draw_theme(self) -> None:
        theme_id = self.ctx.value("theme")
        if not theme_id:
            self._about.children = []
            return
        theme = self.clinics.theme(theme_id)
        criteria = [
            self.ctx.tick(f"criteria.{i}.met", c.text) for i, c in enumerate(theme.criteria)
        ]
        points = [
            self.ctx.text(f"points.{i}.note", p.text, rows=2) for i, p in enumerate(theme.points)
        ]
        self._about.children = [
            box(
                theme.title,
                [
                    cited(theme.purpose),
                    html(f'<div class="field-label">{esc(theme.criteria_heading.text)}</div>'),
                    *criteria,
                    html(f'<div class="field-label">{esc(theme.points_heading.text)}</div>'),
                    *points,
                ],
                "clinic-theme-box",
            )
        ]

    def slides(self) -> list[tuple[str, str]]:
        theme_id = self.ctx.value("theme")
        slides = [("Gibbs (1988)", s.text) for s in self.clinics.gibbs_stages]
        if theme_id:
            theme = self.clinics.theme(theme_id)
            slides = [(theme.title, p.text) for p in theme.points] + slides
        return slides


class QuestionSetScreen(w.VBox):
    """Notes against each question of a practice intensive or a learning review, then next steps."""

    def __init__(
        self,
        definition: content.QuestionSet,
        ctx: NoteContext,
        guard: Callable[..., Any],
        columns: int = 1,
    ) -> None:
        self.definition, self.ctx = definition, ctx
        fields = [self._question(q, columns) for q in definition.questions]
        grid = w.GridBox(
            fields,
            layout=w.Layout(
                grid_template_columns=f"repeat({columns}, minmax(0, 1fr))",
                grid_gap="12px",
                width="100%",
            ),
        )
        grid.add_class("question-grid")
        super().__init__(
            [
                cited(definition.guidance),
                box(
                    definition.heading.text, [grid], f"questions-{definition.id.replace('_', '-')}"
                ),
                closing(ctx, "Next steps", learning=False),
            ],
            layout=w.Layout(width="100%"),
        )
        self.add_class("question-set-screen")

    def _question(self, question: content.Question, columns: int) -> w.Widget:
        """A question's note field; one the toolkit added to the source's list says so."""
        view = self.ctx.text(f"q.{question.id}", question.text, rows=6 if columns > 1 else 4)
        if question.decided is None:
            return view
        note = html(
            decision_html(
                question.decided,
                "The question below is the toolkit’s addition, not one of the key questions.",
            )
        )
        return w.VBox([note, view], layout=w.Layout(width="100%"))

    def slides(self) -> list[tuple[str, str]]:
        return [(self.definition.title, q.text) for q in self.definition.questions]


def practice_intensive(ctx: NoteContext, guard: Callable[..., Any]) -> QuestionSetScreen:
    return QuestionSetScreen(content.practice_intensive(), ctx, guard)


def learning_review(ctx: NoteContext, guard: Callable[..., Any]) -> QuestionSetScreen:
    return QuestionSetScreen(content.learning_review(), ctx, guard, columns=2)
