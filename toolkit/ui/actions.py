"""The actions box: what needs to happen, who, when. Each row is saved as it is typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from toolkit.core.errors import StoreError
from toolkit.core.html import esc
from toolkit.ui.a11y import name_button, shown_and_said
from toolkit.ui.fields import name_for_screen_readers


class ActionRow(w.HBox):
    def __init__(
        self,
        action: dict[str, Any],
        editable: bool,
        update: Callable[..., Any],
        cancel: Callable[[int], Any],
        flag: str | None = None,
        number: int = 1,
    ):
        """``number``: the row's place in the list, so each control has a name of its own
        ("Action 2: who", "Remove action 2")."""
        self.action_id = action["id"]
        self._update = update
        self._what = w.Textarea(
            value=action.get("what") or "",
            placeholder="What needs to happen",
            rows=2,
            layout=w.Layout(flex="3 1 0", min_width="0"),
        )
        self._who = w.Text(
            value=action.get("who") or "",
            placeholder="Who",
            layout=w.Layout(flex="1 1 0", min_width="0"),
        )
        self._when = w.DatePicker(value=action.get("due"), layout=w.Layout(flex="0 0 170px"))
        self._remove = w.Button(description="Remove", layout=w.Layout(flex="0 0 90px"))
        name_button(self._remove, f"Remove action {number} (it stays in the history)")
        self.status = w.HTML("", layout=w.Layout(flex="0 0 110px"))
        for widget, name, label in (
            (self._what, "what", f"Action {number}: what needs to happen"),
            (self._who, "who", f"Action {number}: who"),
            (self._when, "due", f"Action {number}: when"),
        ):
            name_for_screen_readers(widget, label)
            widget.add_class(f"action-{name}")
            widget.disabled = not editable
            widget.observe(lambda change, name=name: self._save(name, change["new"]), names="value")
        self._remove.add_class("action-remove")
        self._remove.disabled = not editable
        self._remove.on_click(lambda _b: cancel(self.action_id))
        self.status.add_class("field-status")
        row: list[w.Widget] = [self._what, self._who, self._when, self._remove, self.status]
        if flag is not None:  # e.g. "Immediate action to reach Good", saved as ``immediate``
            self.immediate = w.Checkbox(
                value=bool(action.get("immediate")),
                description=shown_and_said(flag, f"Action {number}: {flag}"),
                description_allow_html=True,
                indent=False,
                disabled=not editable,
                layout=w.Layout(width="auto"),
            )
            self.immediate.add_class("action-immediate")
            self.immediate.observe(
                lambda change: self._save("immediate", bool(change["new"])), names="value"
            )
            row = [w.VBox([w.HBox(row[:4], layout=row_layout()), self.immediate]), self.status]
            row[0].layout = w.Layout(flex="1 1 auto", min_width="0")
        super().__init__(row, layout=row_layout())
        self.add_class("action-row")

    def _save(self, name: str, value: Any) -> None:
        if isinstance(value, dt.date):
            value = value.isoformat()
        try:
            self._update(self.action_id, **{name: value})
        except StoreError as exc:
            self.status.value = f'<span class="status-error" role="alert">✗ {esc(exc)}</span>'
            return
        self.status.value = (
            f'<span class="status-saved" role="status">✓ Saved {dt.datetime.now():%H:%M:%S}</span>'
        )


def row_layout() -> w.Layout:
    return w.Layout(width="100%", align_items="flex-start", grid_gap="6px")


class ActionsEditor(w.VBox):
    """Rows of actions plus an *Add action* button; removing cancels rather than deletes."""

    def __init__(
        self,
        load: Callable[[], list[dict[str, Any]]],
        add: Callable[[], int],
        update: Callable[..., Any],
        cancel: Callable[[int], Any],
        editable: bool,
        flag: str | None = None,
    ) -> None:
        """``flag``: the label of a yes/no on each action, saved as its ``immediate``."""
        self._load, self._add, self._update, self._cancel, self._editable = (
            load,
            add,
            update,
            cancel,
            editable,
        )
        self._flag = flag
        self._rows = w.VBox()
        header = w.HTML(
            '<div class="action-header"><span style="flex:3">Action</span>'
            '<span style="flex:1">Who</span>'
            '<span style="flex:0 0 170px">When</span><span style="flex:0 0 200px"></span></div>'
        )
        self._add_button = w.Button(description="Add action", icon="plus", button_style="")
        self._add_button.add_class("action-add")
        self._add_button.disabled = not editable
        self._add_button.on_click(self._on_add)
        self.message = w.HTML("")
        super().__init__(
            [header, self._rows, self._add_button, self.message], layout=w.Layout(width="100%")
        )
        self.add_class("actions-editor")
        self.refresh()

    def refresh(self) -> None:
        live = [a for a in self._load() if a.get("status") != "cancelled"]
        self._rows.children = [
            ActionRow(a, self._editable, self._update, self._on_cancel, self._flag, number)
            for number, a in enumerate(live, start=1)
        ]
        if not live:
            self._rows.children = [w.HTML('<div class="empty-note">No actions yet.</div>')]

    def _on_add(self, _button: w.Button) -> None:
        try:
            self._add()
        except StoreError as exc:
            self.message.value = f'<span class="status-error" role="alert">{esc(exc)}</span>'
            return
        self.refresh()

    def _on_cancel(self, action_id: int) -> None:
        try:
            self._cancel(action_id)
        except StoreError as exc:
            self.message.value = f'<span class="status-error" role="alert">{esc(exc)}</span>'
            return
        self.refresh()

    def count(self) -> int:
        return sum(isinstance(r, ActionRow) for r in self._rows.children)
