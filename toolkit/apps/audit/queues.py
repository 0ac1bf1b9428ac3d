"""The home screen's queues: my follow-ups (overdue flagged) and the actions due, each closed
where it is shown (a follow-up by writing what has been done, an action by marking it done)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from toolkit.audit import completion
from toolkit.core.html import esc
from toolkit.core.permissions import Person
from toolkit.store import Store
from toolkit.ui.a11y import grade_mark, name_button

OVERDUE = ' <span class="overdue-badge">overdue</span>'
NOTE_LAYOUT = w.Layout(flex="1 1 auto", min_width="0", height="54px")


def _row(cells: list[Any], columns: str, css: str) -> w.GridBox:
    """``cells`` are widgets or HTML already escaped by the caller."""
    grid = w.GridBox(
        [c if isinstance(c, w.Widget) else w.HTML(c) for c in cells],
        layout=w.Layout(grid_template_columns=columns, width="100%", align_items="center"),
    )
    for name in css.split():
        grid.add_class(name)
    return grid


def _button(label: str, css: str, style: str = "", width: str = "auto") -> w.Button:
    button = w.Button(description=label, button_style=style, layout=w.Layout(width=width))
    for name in css.split():
        button.add_class(name)
    return button


class QueuesPanel(w.HBox):
    """Follow-ups due and actions due, side by side."""

    FOLLOW_UP_COLUMNS = "48px 1fr 150px 150px"
    ACTION_COLUMNS = "48px 1fr 150px 110px"

    def __init__(
        self,
        store: Store,
        person: Person,
        guard: Callable[[Callable[..., Any]], Callable[..., Any]],
        show: Callable[[str, str], None],
        today: dt.date | None = None,
    ) -> None:
        self.store, self.person, self.guard, self.show = store, person, guard, show
        self.today = today or dt.date.today()
        self.follow_ups = w.VBox(layout=w.Layout(flex="1 1 0", min_width="0"))
        self.actions = w.VBox(layout=w.Layout(flex="1 1 0", min_width="0"))
        for box, css in ((self.follow_ups, "follow-ups-due"), (self.actions, "actions-due")):
            box.add_class("group-box")
            box.add_class(css)
        super().__init__(
            [self.follow_ups, self.actions], layout=w.Layout(width="100%", grid_gap="12px")
        )
        self.add_class("queues-panel")
        self.refresh()

    def refresh(self) -> None:
        follow_ups = completion.follow_ups_due(self.store, self.person, self.today)
        late = sum(f.overdue for f in follow_ups)
        self._fill(
            self.follow_ups,
            "Follow-ups due",
            "Audits you completed: follow up in 5 working days what has been done."
            + (f" <b>{late} overdue.</b>" if late else ""),
            [
                (
                    f.audit_id,
                    f"{esc(f.child_id)}<br>{grade_mark(f.grade)}",
                    f.due,
                    f.overdue,
                    name_button(
                        _button(
                            "Record follow-up", f"record-follow-up record-follow-up-{f.audit_id}"
                        ),
                        f"Record follow-up: audit #{f.audit_id}, {f.child_id}",
                    ),
                    lambda box, f=f: self._follow_up_form(f.audit_id, box),
                    f"follow-up-row follow-up-{f.audit_id}",
                )
                for f in follow_ups
            ],
            self.FOLLOW_UP_COLUMNS,
            "No follow-ups due.",
        )
        actions = completion.actions_due(self.store, self.person, self.today)
        self._fill(
            self.actions,
            "Actions due",
            f"Open actions of your audits due in the next {completion.ACTIONS_DUE_WITHIN_DAYS} "
            "days or overdue.",
            [
                (
                    a.audit_id,
                    f"{esc(a.what) or '<i>no text</i>'}<br><small>{esc(a.who)}</small>",
                    a.due,
                    a.overdue,
                    name_button(
                        _button("Mark done", f"mark-done mark-done-{a.action_id}"),
                        f"Mark done: {a.what or 'action'} (audit #{a.audit_id})",
                    ),
                    lambda box, a=a: self._action_form(a.action_id, box),
                    f"action-due action-due-{a.action_id}",
                )
                for a in actions
            ],
            self.ACTION_COLUMNS,
            "No actions due.",
        )

    def _fill(
        self, box: w.VBox, title: str, guidance: str, items: list, columns: str, empty: str
    ) -> None:
        """A queue: each item is (audit id, what as HTML, due, overdue, button, opening the note
        form under the row, CSS classes)."""
        rows: list[w.Widget] = [
            w.HTML(
                f'<div class="group-title"><h3>{title}</h3></div><p class="guidance">{guidance}</p>'
            )
        ]
        for audit_id, what, due, overdue, button, open_form, css in items:
            note_box = w.VBox()
            button.on_click(
                self.guard(lambda _b, open_form=open_form, box=note_box: open_form(box))
            )
            cells = [f"#{audit_id}", what, f"{due:%d %b %Y}" + (OVERDUE if overdue else ""), button]
            css = f"queue-row {css}" + (" overdue" if overdue else "")
            rows += [_row(cells, columns, css), note_box]
        if not items:
            rows.append(w.HTML(f'<p class="empty-note">{esc(empty)}</p>'))
        box.children = rows

    def _note_form(
        self, box: w.VBox, placeholder: str, label: str, css: str, save: Callable[[str], str]
    ) -> None:
        """A note and a button under a queue row; saving closes the item and refreshes."""
        note = w.Textarea(placeholder=placeholder, layout=NOTE_LAYOUT)
        note.add_class(f"{css}-note")
        go = _button(label, f"{css}-save", style="primary", width="150px")

        @self.guard
        def run(_b: w.Button) -> None:
            self.show(save(note.value), "ok")
            self.refresh()

        go.on_click(run)
        box.children = [w.HBox([note, go], layout=w.Layout(width="100%", grid_gap="6px"))]

    def _follow_up_form(self, audit_id: int, box: w.VBox) -> None:
        def save(text: str) -> str:
            completion.record_follow_up(self.store, audit_id, self.person, text)
            return f"The follow-up of audit #{audit_id} is recorded and closed."

        self._note_form(
            box, "What has been done since the audit", "Close follow-up", "follow-up", save
        )

    def _action_form(self, action_id: int, box: w.VBox) -> None:
        def save(text: str) -> str:
            self.store.update_action(
                action_id, self.person, status="done", completion_note=text.strip() or None
            )
            return "The action is marked done."

        self._note_form(box, "Completion note (what was done)", "Done", "action-done", save)
