"""Widgets for supervision screens, bound to one session's notes: each saves the moment it changes.

:class:`NoteContext` hands out note fields (the audit's :class:`FieldView`, so saving, conflicts
and the "Saved" line behave the same), ticks and list editors, all reading and writing through
:class:`SupervisionStore`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from toolkit.core.errors import Conflict, StoreError
from toolkit.core.html import esc
from toolkit.core.permissions import Person
from toolkit.forms.models import Field, FieldKind
from toolkit.supervision.store import Note, SessionRecord, SupervisionStore
from toolkit.ui.a11y import name_button, shown_and_said
from toolkit.ui.fields import FieldView, name_for_screen_readers


def css_name(key: str) -> str:
    """The CSS class of a note's box: ``note--r1--amplify--0--note`` (what tests select)."""
    return "note--" + key.replace(".", "--").replace("_", "-")


def button(description: str, *classes: str, style: str = "", width: str = "auto") -> w.Button:
    made = w.Button(description=description, button_style=style, layout=w.Layout(width=width))
    if width == "auto":
        made.layout.align_self = "flex-start"  # never stretched across a column
    for css in classes:
        made.add_class(css)
    return made


def html(markup: str, *classes: str) -> w.HTML:
    """An HTML widget; ``markup`` must already be escaped where it holds user text."""
    made = w.HTML(markup)
    for css in classes:
        made.add_class(css)
    return made


class NoteContext:
    """One session's notes as loaded, the person writing, and whether they may write."""

    def __init__(self, sup: SupervisionStore, session: SessionRecord, person: Person) -> None:
        self.sup, self.session, self.person = sup, session, person
        self.editable = session.part_of(person.id) == "supervisor"
        self.notes: dict[str, Note] = sup.notes(session.id, person)
        self.listeners: list[Callable[[str, Any], None]] = []
        #: the note fields made (the latest for each key): what the page's ChangeWatch tells
        self.views: dict[str, FieldView] = {}

    def values(self) -> dict[str, Any]:
        return {k: n.value for k, n in self.notes.items()}

    def value(self, key: str, default: Any = None) -> Any:
        note = self.notes.get(key)
        return default if note is None or note.value is None else note.value

    def save(self, key: str, value: Any, revision: int | None = None) -> tuple[Any, int]:
        """Save a note with the revision loaded; on :class:`Conflict` the other version (who,
        when) becomes the note as loaded here, and the Conflict is raised for the screen."""
        try:
            note = self.sup.save_note(self.session.id, key, value, self.person, revision)
        except Conflict as exc:
            at = exc.updated_at or dt.datetime.now(dt.timezone.utc)
            self.notes[key] = Note(exc.current, exc.revision, exc.updated_by or 0, at)
            raise
        self.notes[key] = note
        for listener in self.listeners:
            listener(key, note.value)
        return note.value, note.revision

    def revision(self, key: str) -> int:
        note = self.notes.get(key)
        return note.revision if note else 0

    # --- widgets ------------------------------------------------------------------------------
    def text(self, key: str, label: str, rows: int = 3, short: bool = False) -> FieldView:
        """A note field: the label is shown as given (escaped), the text saved as it is typed."""
        field = Field(
            id="note",
            kind=FieldKind.text if short else FieldKind.long_text,
            label=label,
            verbatim=False,
        )
        view = FieldView(key, field, self.editable, self.save)
        self.views[key] = view
        view.add_class("note-field")
        view.add_class(css_name(key))
        if not short:
            view.input.rows = rows
        note = self.notes.get(key)
        if note is not None:
            view.load(note.value, note.revision)
        return view

    def tick(self, key: str, label: str, said: str = "") -> w.Checkbox:
        """A yes/no note (a prompt asked, a criterion met). ``said``: words after the label that
        only a screen reader hears, so each tick has a name of its own ("Asked: <the prompt>")."""

        def shown(text: str) -> str:  # the screen shows the label, a screen reader says it all
            if not said:
                return esc(text)
            return shown_and_said(text, text + said)

        box = w.Checkbox(
            value=bool(self.value(key, False)),
            description=shown(label),
            description_allow_html=True,
            indent=False,
            layout=w.Layout(width="auto"),
            disabled=not self.editable,
        )
        box.add_class("note-tick")
        box.add_class(css_name(key))

        def changed(change: dict) -> None:
            try:
                self.save(key, bool(change["new"]), self.revision(key))
            except StoreError as exc:
                box.unobserve(changed, names="value")
                box.value = bool(self.value(key, False))  # what the store holds
                box.observe(changed, names="value")
                box.description = shown(f"{label} — not saved: {exc}")
                return
            box.description = shown(label)

        box.observe(changed, names="value")
        return box


class ListNoteEditor(w.VBox):
    """Rows of small records kept as one list note (participants, actions, danger/goal pairs).

    ``columns`` are ``(field, label, options)``: ``options`` makes a drop-down, ``None`` a text
    box; ``read_only`` columns are shown but not edited here (a goal's screen shows its danger
    statement). The whole list is saved whenever any cell changes.
    """

    def __init__(
        self,
        ctx: NoteContext,
        key: str,
        columns: list[tuple[str, str, list[tuple[str, str]] | None]],
        *,
        add_label: str = "Add",
        read_only: tuple[str, ...] = (),
        can_add: bool = True,
        rows: int = 1,
        after_row: Callable[[dict[str, str]], str] | None = None,
    ) -> None:
        self.ctx, self.key, self.columns = ctx, key, columns
        self.read_only, self.rows, self.after_row = read_only, rows, after_row
        self.can_add = can_add
        self.noun = add_label.removeprefix("Add ").strip() or "row"  # "Remove action 2"
        self.items: list[dict[str, str]] = [dict(i) for i in ctx.value(key, [])]
        self.status = html("", "field-status")
        self._rows = w.VBox(layout=w.Layout(width="100%"))
        self._add = button(add_label, "list-add", f"{css_name(key)}-add", width="auto")
        self._add.icon = "plus"
        self._add.on_click(lambda _b: self._change(lambda: self.items.append(self._blank())))
        self._add.layout.display = None if ctx.editable and can_add else "none"
        super().__init__([self._rows, self._add, self.status], layout=w.Layout(width="100%"))
        self.add_class("list-editor")
        self.add_class(css_name(key))
        self.render()

    def _blank(self) -> dict[str, str]:
        return {name: (options[0][1] if options else "") for name, _label, options in self.columns}

    def render(self) -> None:
        self._extras: dict[int, w.HTML] = {}
        rows: list[w.Widget] = []
        for index, item in enumerate(self.items):
            cells: list[w.Widget] = []
            for name, label, options in self.columns:
                cells.append(self._cell(index, item, name, label, options))
            remove = button("Remove", "list-remove", width="90px")
            name_button(remove, f"Remove {self.noun} {index + 1}")  # one name per row
            remove.layout.display = None if self.ctx.editable and self.can_add else "none"
            remove.on_click(lambda _b, i=index: self._change(lambda: self.items.pop(i)))
            row = w.HBox([*cells, remove], layout=w.Layout(width="100%", align_items="flex-start"))
            row.add_class("list-row")
            row.add_class(f"list-row-{index}")
            rows.append(row)
            if self.after_row is not None:
                extra = html(self.after_row(item), "list-row-extra", f"list-row-extra-{index}")
                self._extras[index] = extra
                rows.append(extra)
        if not rows:
            rows = [html('<div class="empty-note">None yet.</div>')]
        self._rows.children = rows

    def _cell(
        self,
        index: int,
        item: dict[str, str],
        name: str,
        label: str,
        options: list[tuple[str, str]] | None,
    ) -> w.Widget:
        value = item.get(name, "")
        if name in self.read_only:
            shown = html(
                f'<div class="list-readonly"><b>{esc(label)} {index + 1}</b><br>{esc(value)}</div>'
            )
            shown.layout = w.Layout(flex="1 1 0", min_width="0")
            return shown
        if options:
            widget: w.DOMWidget = w.Dropdown(options=options, value=value or options[0][1])
        elif name == "when":
            widget = w.DatePicker(value=dt.date.fromisoformat(value) if value else None)
        elif self.rows > 1:
            widget = w.Textarea(value=value, placeholder=label, rows=self.rows)
        else:
            widget = w.Text(value=value, placeholder=label)
        widget.layout = w.Layout(flex="0 0 170px" if name == "when" else "1 1 0", min_width="0")
        widget.disabled = not self.ctx.editable
        widget.tooltip = label
        name_for_screen_readers(widget, f"{label} ({index + 1})")  # "When (2)": one name each
        widget.add_class(f"list-{name}")

        def changed(change: dict) -> None:
            new = change["new"]
            item[name] = new.isoformat() if isinstance(new, dt.date) else (new or "")
            self._save()
            if index in self._extras and self.after_row is not None:
                self._extras[index].value = self.after_row(item)

        widget.observe(changed, names="value")
        return widget

    def _change(self, edit: Callable[[], Any]) -> None:
        edit()
        self._save()
        self.render()

    def _save(self) -> None:
        try:
            stored, _revision = self.ctx.save(self.key, self.items, self.ctx.revision(self.key))
        except Conflict as exc:  # theirs is shown, and what was typed here is said
            mine = "; ".join(" / ".join(v for v in i.values() if v) for i in self.items)
            self.items = [dict(i) for i in exc.current or []]
            self.render()
            self.status.value = (
                f'<span class="status-conflict" role="alert">⚠ {esc(exc)} '
                f"What you entered was: “{esc(mine)}”.</span>"
            )
            return
        except StoreError as exc:
            self.status.value = (
                f'<span class="status-error" role="alert">✗ Not saved. {esc(exc)}</span>'
            )
            return
        for mine, kept in zip(self.items, stored, strict=False):
            mine.update(kept)
        self.status.value = (
            f'<span class="status-saved" role="status">✓ Saved {dt.datetime.now():%H:%M:%S}</span>'
        )


class StepBar(w.HBox):
    """The steps in order (E → A → R → S, or a mapping's steps) with the current one marked and
    the ones with something in them ticked; clicking a step goes to it."""

    def __init__(self, steps: list[tuple[str, str]], on_choose: Callable[[str], None]) -> None:
        self.steps = steps
        self.buttons: dict[str, w.Button] = {}
        children: list[w.Widget] = []
        for number, (step_id, label) in enumerate(steps):
            if number:
                children.append(html('<span class="step-arrow" aria-hidden="true">→</span>'))
            pill = button(label, "step-pill", f"step-{step_id.replace('_', '-')}")
            pill.on_click(lambda _b, s=step_id: on_choose(s))
            self.buttons[step_id] = pill
            children.append(pill)
        super().__init__(children, layout=w.Layout(flex_flow="row wrap", align_items="center"))
        self.add_class("step-bar")

    def show(self, current: str, done: set[str]) -> None:
        # each class change reaches the page on its own: the old current step is let go before
        # the new one is marked, so the page never shows two current steps
        for step_id, pill in self.buttons.items():
            if step_id != current:
                pill.remove_class("step-current")
        for step_id, pill in self.buttons.items():
            label = dict(self.steps)[step_id]
            for state in ("step-current", "step-done", "step-todo"):
                pill.remove_class(state)
            if step_id == current:
                pill.add_class("step-current")
                pill.button_style = "primary"
            else:
                pill.add_class("step-done" if step_id in done else "step-todo")
                pill.button_style = ""
            pill.description = ("✓ " if step_id in done else "") + label


def flags_markup(flags: list[Any]) -> str:
    """Plain-language suggestions, gently: they never stop anything being saved."""
    if not flags:
        return ""
    items = "".join(f'<li class="flag-{esc(f.kind)}">{esc(f.message)}</li>' for f in flags)
    return (
        '<div class="plain-flags" role="note"><b>Plain language — suggestions</b> '
        f'<span class="guidance">(your text is saved as it is)</span><ul>{items}</ul></div>'
    )


def projector_slide(heading: str, text: str, position: int, total: int) -> str:
    return (
        f'<div class="projector-slide"><div class="projector-heading">{esc(heading)}</div>'
        f'<div class="projector-text">{esc(text)}</div>'
        f'<div class="projector-position">{position} of {total}</div></div>'
    )


class ProjectorView(w.VBox):
    """Large type, one prompt at a time, for a screen the whole group can read."""

    def __init__(self, slides: list[tuple[str, str]], on_exit: Callable[[], None]) -> None:
        self.slides = slides or [("Nothing to show yet", "Choose a question first.")]
        self.index = 0
        self._slide = html("", "projector")
        self._prev = button("← Previous", "projector-prev", width="160px")
        self._next = button("Next →", "projector-next", style="primary", width="160px")
        leave = button("Leave projector mode", "projector-exit", width="200px")
        self._prev.on_click(lambda _b: self.go(self.index - 1))
        self._next.on_click(lambda _b: self.go(self.index + 1))
        leave.on_click(lambda _b: on_exit())
        controls = w.HBox(
            [w.HBox([self._prev, self._next], layout=w.Layout(grid_gap="12px")), leave],
            layout=w.Layout(justify_content="space-between", width="100%", margin="8px 0"),
        )
        super().__init__([self._slide, controls], layout=w.Layout(width="100%"))
        self.add_class("projector-view")
        self.go(0)

    def go(self, index: int) -> None:
        self.index = max(0, min(index, len(self.slides) - 1))
        heading, text = self.slides[self.index]
        self._slide.value = projector_slide(heading, text, self.index + 1, len(self.slides))
        self._prev.disabled = self.index == 0
        self._next.disabled = self.index == len(self.slides) - 1
