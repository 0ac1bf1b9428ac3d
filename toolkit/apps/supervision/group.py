"""Group case mapping: participants and their roles, then the steps in order — genogram, three
columns, danger statements, safety goals paired with them, best questions, next steps — and a
0–10 safety scale whose ends are defined before each participant rates it with a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from toolkit.apps.supervision.common import actions_editor, box, cited
from toolkit.apps.supervision.widgets import (
    ListNoteEditor,
    NoteContext,
    StepBar,
    button,
    flags_markup,
    html,
)
from toolkit.apps.training.reveal import mapping_reveal
from toolkit.core.errors import Conflict, StoreError
from toolkit.core.html import esc
from toolkit.supervision import content
from toolkit.supervision.plain_language import danger_statement, plain_text
from toolkit.supervision.scaling import spread
from toolkit.supervision.sessions import ROLE_LABELS, spread_text
from toolkit.ui.a11y import TAKE_FOCUS
from toolkit.ui.scale import ScaleInput

PARTICIPANTS = "participants"


class GroupMappingScreen(w.VBox):
    def __init__(self, ctx: NoteContext, guard: Callable[..., Any]) -> None:
        self.ctx, self.guard = ctx, guard
        self.group = content.group_supervision()
        self.step_ids = [PARTICIPANTS] + [s.id for s in self.group.steps]
        labels = [(PARTICIPANTS, "Participants")] + [(s.id, s.title) for s in self.group.steps]
        self.labels = dict(labels)
        self.steps = StepBar(
            [(sid, f"{n}. {label}") for n, (sid, label) in enumerate(labels, start=1)],
            guard(self.go),
        )
        self.step = PARTICIPANTS
        self._panel = w.VBox(layout=w.Layout(width="100%"))
        super().__init__(
            [cited([self.group.definition]), self.steps, self._panel], layout=w.Layout(width="100%")
        )
        self.add_class("group-screen")
        self.go(PARTICIPANTS)

    def go(self, step: str) -> None:
        self.step = step
        self.steps.show(step, self._done())
        builder = getattr(self, f"_step_{step}")
        index = self.step_ids.index(step)
        nav: list[w.Widget] = []
        if index > 0:
            back = button(f"← {self.labels[self.step_ids[index - 1]]}", "group-prev")
            back.on_click(self.guard(lambda _b: self.go(self.step_ids[index - 1])))
            nav.append(back)
        if index < len(self.step_ids) - 1:
            nxt = button(
                f"{self.labels[self.step_ids[index + 1]]} →", "group-next", style="primary"
            )
            nxt.on_click(self.guard(lambda _b: self.go(self.step_ids[index + 1])))
            nav.append(nxt)
        row = w.HBox(nav, layout=w.Layout(justify_content="space-between", margin="8px 0"))
        model = mapping_reveal(self.ctx.sup.store, self.ctx.session.child_id, step)  # training
        heading = html(  # drawn anew on each step, so the focus moves to it (toolkit/ui/a11y.py)
            f'<div class="step-title"><h2 {TAKE_FOCUS}>Step {index + 1} of '
            f"{len(self.step_ids)}: {esc(self.labels[step])}</h2></div>"
        )
        self._panel.children = [heading, builder(), model, row]

    def _done(self) -> set[str]:
        v = self.ctx.values()
        pairs = v.get("pairs") or []
        filled = {
            PARTICIPANTS: bool(v.get(PARTICIPANTS)),
            "genogram": bool(v.get("genogram")),
            "three_columns": any(k.startswith("columns.") and x for k, x in v.items()),
            "danger_statements": any(p["danger"] for p in pairs),
            "safety_goals": any(p["goal"] for p in pairs),
            "best_questions": bool(v.get("best_questions")),
            "next_steps": bool(v.get("actions")),
            "scaling": bool(self.ctx.sup.ratings(self.ctx.session.id)),
        }
        return {k for k, x in filled.items() if x}

    def _guidance(self, step_id: str) -> list[w.Widget]:
        return [cited(self.group.step(step_id).guidance)]

    # --- steps ----------------------------------------------------------------------------------
    def _step_participants(self) -> w.Widget:
        roles = [(ROLE_LABELS[r.id] + f" ({r.title})", r.id) for r in self.group.roles]
        editor = ListNoteEditor(
            self.ctx,
            PARTICIPANTS,
            [("name", "Name", None), ("role", "Role", roles)],
            add_label="Add participant",
        )
        return box("Participants and their roles", [editor])

    def _step_genogram(self) -> w.Widget:
        return box(
            "Genogram",
            [*self._guidance("genogram"), self.ctx.text("genogram", "Genogram notes", rows=6)],
        )

    def _step_three_columns(self) -> w.Widget:
        columns = [
            self.ctx.text(f"columns.{c.id}", c.text, rows=10)
            for c in self.group.step("three_columns").columns
        ]
        grid = w.GridBox(
            columns,
            layout=w.Layout(
                grid_template_columns="repeat(3, minmax(0, 1fr))", grid_gap="12px", width="100%"
            ),
        )
        grid.add_class("three-columns")
        return box("Three columns", [*self._guidance("three_columns"), grid])

    def _pairs(self, editing: str) -> ListNoteEditor:
        columns = [("danger", "Danger statement", None), ("goal", "Safety goal", None)]
        if editing == "danger":
            return ListNoteEditor(
                self.ctx,
                "pairs",
                columns[:1],
                add_label="Add danger statement",
                rows=3,
                after_row=lambda item: flags_markup(danger_statement(item.get("danger", ""))),
            )
        return ListNoteEditor(
            self.ctx,
            "pairs",
            columns,
            read_only=("danger",),
            can_add=False,
            rows=3,
            after_row=lambda item: flags_markup(plain_text(item.get("goal", ""))),
        )

    def _step_danger_statements(self) -> w.Widget:
        return box(
            "Danger statements", [*self._guidance("danger_statements"), self._pairs("danger")]
        )

    def _step_safety_goals(self) -> w.Widget:
        hint = html(
            '<p class="guidance">One safety goal for each danger statement, numbered alike.</p>'
        )
        return box("Safety goals", [*self._guidance("safety_goals"), hint, self._pairs("goal")])

    def _step_best_questions(self) -> w.Widget:
        return box(
            "Best questions",
            [
                *self._guidance("best_questions"),
                self.ctx.text("best_questions", "Best questions", rows=6),
            ],
        )

    def _step_next_steps(self) -> w.Widget:
        return box("Next steps", [*self._guidance("next_steps"), actions_editor(self.ctx)])

    def _step_scaling(self) -> w.Widget:
        step = self.group.step("scaling")
        example = "; ".join(a.text for a in step.example_anchors)
        anchors = []
        for key, label in (("scale.zero", "0 means"), ("scale.ten", "10 means")):
            view = self.ctx.text(key, label, rows=2)
            flags = html(flags_markup(plain_text(self.ctx.value(key, ""))), "anchor-flags")
            view.input.observe(
                lambda c, f=flags: setattr(f, "value", flags_markup(plain_text(c["new"]))),
                names="value",
            )
            anchors.append(w.VBox([view, flags]))
        self._ratings = w.VBox(layout=w.Layout(width="100%"))
        self._spread = html("", "scale-spread")
        for view in anchors:
            view.children[0].input.observe(lambda _c: self._draw_ratings(), names="value")
        self._draw_ratings()
        return box(
            "Safety scale",
            [
                cited(step.guidance),
                html(f'<p class="guidance">For example: {esc(example)}.</p>'),
                self.ctx.text("scale.question", "Scaling question", rows=2),
                w.GridBox(
                    anchors,
                    layout=w.Layout(grid_template_columns="1fr 1fr", grid_gap="12px", width="100%"),
                ),
                html('<div class="field-label">Each participant’s rating and why</div>'),
                self._ratings,
                self._spread,
            ],
        )

    def _draw_ratings(self) -> None:
        zero, ten = (
            self.ctx.value("scale.zero", "").strip(),
            self.ctx.value("scale.ten", "").strip(),
        )
        people = self.ctx.value(PARTICIPANTS, [])
        if not (zero and ten):
            self._ratings.children = [
                html(
                    '<div class="msg msg-info scale-undefined">Say what 0 and what 10 mean before '
                    "anyone rates: a scale is only useful when both ends are clearly defined.</div>"
                )
            ]
            self._show_spread()
            return
        if not people:
            self._ratings.children = [
                html('<p class="empty-note">Add the participants first (step 1).</p>')
            ]
            self._show_spread()
            return
        given = {r.participant: r for r in self.ctx.sup.ratings(self.ctx.session.id)}
        self._ratings.children = [
            self._rating_row(p, given.get(p["name"]), zero, ten, i) for i, p in enumerate(people)
        ]
        self._show_spread()

    def _rating_row(self, person: dict, rating: Any, zero: str, ten: str, index: int) -> w.Widget:
        name = person["name"]
        scale = ScaleInput(zero, ten, description=name)
        scale.value = rating.value if rating else None
        scale.set_disabled(not self.ctx.editable)
        reason = w.Textarea(
            value=rating.reason if rating else "",
            placeholder="Why this number?",
            rows=2,
            layout=w.Layout(width="100%"),
        )
        reason.disabled = not self.ctx.editable
        reason.add_class("rating-reason")
        status = html("", "field-status")
        loaded = {"revision": rating.revision if rating else 0, "showing": False}

        def save(_change: dict) -> None:
            if scale.value is None or loaded["showing"]:
                return
            try:
                saved = self.ctx.sup.save_rating(
                    self.ctx.session.id,
                    name,
                    scale.value,
                    reason.value,
                    self.ctx.person,
                    expected_revision=loaded["revision"],
                )
            except Conflict as exc:  # theirs is shown, and what was given here is said
                mine = f"{scale.value} ({reason.value})" if reason.value else str(scale.value)
                theirs = exc.current if isinstance(exc.current, dict) else {}
                loaded["revision"], loaded["showing"] = exc.revision, True
                try:
                    scale.value = theirs.get("value")
                    reason.value = theirs.get("reason") or ""
                finally:
                    loaded["showing"] = False
                status.value = (
                    f'<span class="status-conflict" role="alert">⚠ {esc(exc)} '
                    f"What you gave was: {esc(mine)}.</span>"
                )
                self._show_spread()
                return
            except StoreError as exc:
                status.value = (
                    f'<span class="status-error" role="alert">✗ Not saved. {esc(exc)}</span>'
                )
                return
            loaded["revision"] = saved.revision
            status.value = '<span class="status-saved" role="status">✓ Saved</span>'
            self._show_spread()

        scale.observe(save, names="value")
        reason.observe(save, names="value")
        head = html(
            f'<div class="rating-name"><b>{esc(name)}</b> · '
            f"{esc(ROLE_LABELS.get(person['role'], ''))}</div>"
        )
        row = w.VBox([head, scale, reason, status], layout=w.Layout(width="100%"))
        row.add_class("rating-row")
        row.add_class(f"rating-row-{index}")
        return row

    def _show_spread(self) -> None:
        ratings = self.ctx.sup.ratings(self.ctx.session.id)
        found = spread([r.value for r in ratings])
        if found is None:
            self._spread.value = '<p class="empty-note">No ratings yet.</p>'
            return
        by_point: dict[int, list[str]] = {}
        for r in ratings:
            by_point.setdefault(r.value, []).append(r.participant)
        strip = "".join(
            f'<div class="spread-point{" rated" if p in by_point else ""}" '
            f'title="{esc(", ".join(by_point.get(p, [])))}">'
            f'<div class="spread-count">{len(by_point.get(p, [])) or ""}</div>'
            f'<div class="spread-label">{p}</div></div>'
            for p in range(11)
        )
        self._spread.value = (
            '<div class="spread-box"><b>Spread:</b> '
            f'<span class="spread-summary">{esc(spread_text(found))}</span>'
            f'<div class="spread-strip">{strip}</div></div>'
        )

    # --- projector --------------------------------------------------------------------------------
    def slides(self) -> list[tuple[str, str]]:
        v = self.ctx.values()
        slides = []
        for c in self.group.step("three_columns").columns:
            slides.append((c.text, v.get(f"columns.{c.id}") or "—"))
        for i, pair in enumerate(v.get("pairs") or [], start=1):
            slides.append((f"Danger statement {i}", pair["danger"] or "—"))
            slides.append((f"Safety goal {i}", pair["goal"] or "—"))
        if v.get("best_questions"):
            slides.append(("Best questions", v["best_questions"]))
        if v.get("scale.zero") or v.get("scale.ten"):
            slides.append(
                (
                    "Safety scale",
                    f"0 = {v.get('scale.zero') or '?'}\n10 = {v.get('scale.ten') or '?'}",
                )
            )
        return slides
