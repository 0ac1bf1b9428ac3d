"""The practice framework reflective tool: the 6 × 5 poster as a grid of buttons; a cell shows
its question, the detailed reflective questions for that principle at that stage, the stage's
tools, and a note. A session can focus on the stage that fits the case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from toolkit.apps.supervision.common import box, cited
from toolkit.apps.supervision.widgets import NoteContext, button, html
from toolkit.core.html import esc
from toolkit.supervision import content
from toolkit.supervision.sessions import cell_note_key

ALL_STAGES = ""


class ReflectiveToolScreen(w.VBox):
    def __init__(self, ctx: NoteContext, guard: Callable[..., Any]) -> None:
        self.ctx, self.guard = ctx, guard
        self.tool = content.reflective_tool()
        self.focus = ctx.value("focus_stage", ALL_STAGES) or ALL_STAGES
        stages = (self.focus and [self.focus]) or [s.id for s in self.tool.stages]
        self.current = (stages[0], self.tool.principles[0].id)
        self._focus = w.Dropdown(
            options=[("All five stages", ALL_STAGES)] + [(s.title, s.id) for s in self.tool.stages],
            value=self.focus,
            description="Focus on",
            disabled=not ctx.editable,
            layout=w.Layout(width="420px"),
        )
        self._focus.add_class("focus-stage")
        self._focus.observe(guard(self._refocus), names="value")
        self._grid = w.GridBox(layout=w.Layout(width="100%", grid_gap="4px"))
        self._grid.add_class("reflective-grid")
        self._detail = w.VBox(layout=w.Layout(width="100%"))
        intro = cited(self.tool.introduction)
        super().__init__(
            [intro, self._focus, self._grid, self._detail], layout=w.Layout(width="100%")
        )
        self.add_class("reflective-screen")
        self.render()

    def _refocus(self, change: dict) -> None:
        self.focus = change["new"] or ALL_STAGES
        self.ctx.save("focus_stage", self.focus or None, self.ctx.revision("focus_stage"))
        if self.focus:
            self.current = (self.focus, self.current[1])
        self.render()

    def choose(self, stage: str, principle: str) -> None:
        self.current = (stage, principle)
        self.render()

    def render(self) -> None:
        stages = [s for s in self.tool.stages if not self.focus or s.id == self.focus]
        cells: list[w.Widget] = [html('<div class="grid-corner">Our principles</div>')]
        cells += [html(f'<div class="grid-stage">{esc(s.title)}</div>') for s in stages]
        for principle in self.tool.principles:
            cells.append(html(f'<div class="grid-principle">{esc(principle.title)}</div>'))
            for stage in stages:
                cell = self.tool.cell(stage.id, principle.id)
                noted = bool(self.ctx.value(cell_note_key(stage.id, principle.id)))
                choice = button(
                    ("✓ " if noted else "") + cell.question.text,
                    "grid-cell",
                    f"grid-cell-{stage.id}-{principle.id}".replace("_", "-"),
                )
                choice.tooltip = f"{principle.title} · {stage.title}"
                choice.layout = w.Layout(width="auto", height="auto")
                if noted:
                    choice.add_class("has-note")
                if (stage.id, principle.id) == self.current:
                    choice.add_class("current")
                    choice.button_style = "primary"
                choice.on_click(
                    self.guard(lambda _b, s=stage.id, p=principle.id: self.choose(s, p))
                )
                cells.append(choice)
        self._grid.layout.grid_template_columns = f"150px repeat({len(stages)}, minmax(0, 1fr))"
        self._grid.children = cells
        self._detail.children = [self._cell_detail(*self.current)]

    def _cell_detail(self, stage_id: str, principle_id: str) -> w.Widget:
        stage, principle = self.tool.stage(stage_id), self.tool.principle(principle_id)
        cell = self.tool.cell(stage_id, principle_id)
        parts: list[w.Widget] = [
            html(f'<div class="cell-question">{esc(cell.question.text)}</div>'),
        ]
        if cell.prompts:
            note = ""
            if cell.confidence == "medium":
                why = cell.confidence_note
                confidence_note = esc(f" ({why})") if why else ""
                note = (
                    '<p class="guidance confidence-note">The printed page lost the row lines, so '
                    "these questions were placed under this principle from their layout and "
                    f"content; the grouping is less certain{confidence_note}.</p>"
                )
            items = "".join(f"<li>{esc(p.text)}</li>" for p in cell.prompts)
            parts.append(
                html(
                    '<div class="field-label">Reflective questions</div>'
                    f'<ul class="cell-prompts">{items}</ul>{note}'
                )
            )
        else:
            parts.append(
                html(
                    '<p class="guidance">This stage is on the poster only: the tool has no '
                    "detailed questions or tools for it.</p>"
                )
            )
        tools = self.tool.tools(stage_id, principle_id)
        if tools:
            items = "".join(f"<li>{esc(t.text)}</li>" for t in tools)
            parts.append(
                html(
                    '<div class="field-label">Tools for this stage</div>'
                    f'<ul class="cell-tools">{items}</ul>'
                )
            )
        field = self.ctx.text(cell_note_key(stage_id, principle_id), "Notes", rows=4)
        field.input.observe(lambda _c: self._tick_if_noted(stage_id, principle_id), names="value")
        parts.append(field)
        return box(f"{principle.title} · {stage.title}", parts, "cell-detail")

    def _tick_if_noted(self, stage_id: str, principle_id: str) -> None:
        css = f"grid-cell-{stage_id}-{principle_id}".replace("_", "-")
        noted = bool(self.ctx.value(cell_note_key(stage_id, principle_id)))
        for child in self._grid.children:
            if isinstance(child, w.Button) and css in child._dom_classes:
                text = self.tool.cell(stage_id, principle_id).question.text
                child.description = ("✓ " if noted else "") + text
                (child.add_class if noted else child.remove_class)("has-note")

    def slides(self) -> list[tuple[str, str]]:
        stage_id, principle_id = self.current
        cell = self.tool.cell(stage_id, principle_id)
        heading = f"{self.tool.principle(principle_id).title} · {self.tool.stage(stage_id).title}"
        return [(heading, cell.question.text)] + [(heading, p.text) for p in cell.prompts]
