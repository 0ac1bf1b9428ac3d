"""One form field on screen: its label and prompts, an input, and a saved-state line.

A :class:`FieldView` knows nothing of the store: it is given a ``save`` callable and reports
what happened. Each change is saved at once; what shows "Saved" is in the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from toolkit.core.errors import Conflict, StoreError
from toolkit.core.html import esc
from toolkit.core.local_time import local_time
from toolkit.forms.models import Field, FieldKind
from toolkit.ui.scale import ScaleInput

#: save(field_key, value, expected_revision) -> (stored value, new revision)
Saver = Callable[[str, Any, int], tuple[Any, int]]


def make_input(field: Field) -> w.DOMWidget:
    """The input widget for a field kind (statements have none)."""
    kind = field.kind
    if kind is FieldKind.scale:
        assert field.scale is not None
        s = field.scale
        return ScaleInput(
            s.low_anchor.text if s.low_anchor else None,
            s.high_anchor.text if s.high_anchor else None,
            s.min,
            s.max,
            description=field.label,
        )
    if kind is FieldKind.date:
        return w.DatePicker(value=None, layout=w.Layout(width="220px"))
    if kind is FieldKind.text:
        return w.Text(
            value="", continuous_update=True, layout=w.Layout(width="100%", max_width="480px")
        )
    if kind is FieldKind.long_text:
        return w.Textarea(value="", continuous_update=True, rows=4)
    if kind is FieldKind.choice:
        return w.RadioButtons(
            options=list(field.options), value=None, layout=w.Layout(width="auto")
        )
    raise ValueError(f"no input for {kind.value} fields")


def name_for_screen_readers(widget: w.DOMWidget, label: str) -> None:
    """Give an input its label as its accessible name (WCAG 1.3.1, 4.1.2): the widget's own
    ``<label for=…>`` holds the text, visually hidden by the ``label-hidden`` CSS rule because
    the same words already show above the input."""
    widget.description = label
    widget.add_class("label-hidden")


def to_widget(field: Field, value: Any) -> Any:
    if field.kind is FieldKind.date:
        return dt.date.fromisoformat(value) if value else None
    if field.kind in (FieldKind.text, FieldKind.long_text):
        return value or ""
    return value


def from_widget(field: Field, value: Any) -> Any:
    if field.kind is FieldKind.date:
        return value.isoformat() if value else None
    if field.kind in (FieldKind.text, FieldKind.long_text):
        return value if value else None
    return value


def field_css_class(key: str) -> str:
    """The CSS class of a field's box, from its key ``group.field`` (tests and the load
    benchmark find fields by it)."""
    return "field--" + key.replace(".", "--").replace("_", "-")


class FieldView(w.VBox):
    """Label, prompts, input and save status for one field."""

    def __init__(self, key: str, field: Field, editable: bool, save: Saver) -> None:
        self.key, self.field, self._save = key, field, save
        self.revision = 0
        self._stored: Any = None  # the value the store holds, as far as this view knows
        self._loading = False
        #: the stored version another person (or window) wrote, when this view's text is not it:
        #: (value, revision); shown with a "Show their text" button, never typed over
        self.theirs: tuple[Any, int] | None = None
        self._refused_mine: Any = None  # the typed text last refused, while it is in the box
        self._take_theirs: w.Button | None = None  # made on the first conflict (keeps pages light)
        label = w.HTML(f'<div class="field-label">{esc(field.label)}</div>')
        parts: list[w.Widget] = [label]
        if field.kind is FieldKind.statement:
            label.value = f'<div class="field-statement">{esc(field.label)}</div>'
            self.input = None
            self.status = None
            super().__init__(parts, _dom_classes=("audit-field", "field-statement-box"))
            return
        if field.prompts:
            parts.append(
                w.HTML(
                    "".join(f'<div class="field-prompt">{esc(p.text)}</div>' for p in field.prompts)
                )
            )
        if field.help:
            parts.append(w.HTML(f'<div class="field-help">{esc(field.help.text)}</div>'))
        self.input = make_input(field)
        self.input.add_class("field-input")
        self.input.add_class(f"field-{field.kind.value}")
        if hasattr(self.input, "description_allow_html"):
            self.input.tooltip = field.label if field.kind is not FieldKind.scale else None
            name_for_screen_readers(self.input, field.label)
        self.status = w.HTML("", _dom_classes=("field-status",))
        parts += [self.input, self.status]
        # classes given as a widget is made go to the page in its one opening message
        super().__init__(
            parts,
            layout=w.Layout(width="100%"),
            _dom_classes=("audit-field", field_css_class(key)),
        )
        self.set_editable(editable)
        self.input.observe(self._changed, names="value")

    # --- state from the store ----------------------------------------------------------------
    def load(self, value: Any, revision: int) -> None:
        if self.input is None:
            return
        self._loading = True
        try:
            self.input.value = to_widget(self.field, value)
        finally:
            self._loading = False
        self.revision = revision
        self._stored = value
        self.theirs = None
        self._refused_mine = None
        if self._take_theirs is not None:
            self._take_theirs.layout.display = "none"
        self._show("stored" if revision else "empty")

    def set_editable(self, editable: bool) -> None:
        if self.input is None:
            return
        if isinstance(self.input, ScaleInput):
            self.input.set_disabled(not editable)
        else:
            self.input.disabled = not editable

    # --- saving ------------------------------------------------------------------------------
    def _changed(self, change: dict) -> None:
        if self._loading:
            return
        value = from_widget(self.field, change["new"])
        # never leave an earlier "Saved" showing while this change is on its way to the store
        self._show("saving")
        try:
            stored, self.revision = self._save(self.key, value, self.revision)
        except Conflict as exc:
            self._refused(value, exc)
            return
        except StoreError as exc:
            if self.field.kind not in (FieldKind.text, FieldKind.long_text):
                # show what IS stored, so choosing the same answer again retries the save;
                # typed text stays in the box (typing on retries) so nothing typed is lost
                self.load(self._stored, self.revision)
            self._show("error", str(exc))
            return
        except Exception as exc:  # never silent: say it, and keep the log
            import logging

            logging.getLogger("toolkit.ui").exception("saving %s failed", self.key)
            self._show("error", f"Not saved: something went wrong ({type(exc).__name__}).")
            return
        self._stored = stored
        if stored != value and not (stored is None and value is None):
            self.load(stored, self.revision)
        self._show("saved")

    # --- someone else's version ------------------------------------------------------------------
    @property
    def keeps_text(self) -> bool:
        """Typed fields keep what was typed here when the store holds another version: the box
        is never rewritten under someone's fingers (a keystroke in flight would then be saved
        onto the other text — two people's words merged). Choices and scales show theirs."""
        return self.field.kind in (FieldKind.text, FieldKind.long_text)

    @property
    def known_revision(self) -> int:
        """The newest revision this view knows of: the one loaded, or theirs when held."""
        return max(self.revision, self.theirs[1] if self.theirs else 0)

    def _refused(self, mine: Any, exc: Conflict) -> None:
        """A stale save: nothing of ``mine`` was stored. A typed field keeps ``mine`` in the box
        and the revision it was loaded with, so every further keystroke is refused the same way
        (whole text quoted back) until the person chooses to see their text."""
        who = _who(exc.updated_by_name, exc.updated_at, "after you opened it")
        if not self.keeps_text:
            self.load(exc.current, exc.revision)
            self._show("conflict", f"{who} Yours was not saved over it: you chose “{_q(mine)}”.")
            return
        self._hold_theirs(exc.current, exc.revision)
        self._refused_mine = mine
        self._show_refused(who, exc.current, mine)

    def _show_refused(self, who: str, theirs: Any, mine: Any) -> None:
        self._show(
            "conflict",
            f"{who} Nothing you typed here was saved. Their text: “{_q(theirs)}”. "
            f"Your text, as typed here: “{_q(mine)}”. Copy yours if you need it, "
            "then choose “Show their text” to carry on from theirs.",
        )

    def changed_elsewhere(
        self, value: Any, revision: int, by: str | None, at: dt.datetime | None
    ) -> None:
        """The store holds a newer version than this view loaded (:class:`toolkit.ui.watch.
        ChangeWatch` found it). A choice or scale shows it; a typed field says so, with their
        text, and keeps the box as it is (the next keystroke is refused, not merged)."""
        if self.input is None or revision <= self.known_revision:
            return
        who = _who(by, at, "")
        if not self.keeps_text:
            self.load(value, revision)
            self._show("changed", f"{who} This shows their answer now.")
            return
        self._hold_theirs(value, revision)
        if self._refused_mine is not None:  # already refused: the quote of theirs kept current
            self._show_refused(_who(by, at, "after you opened it"), value, self._refused_mine)
            return
        self._show(
            "changed",
            f"{who} Their text: “{_q(value)}”. The box still shows the text from before, and "
            "nothing typed in it will be saved over theirs: choose “Show their text” to "
            "carry on from theirs.",
        )

    def _hold_theirs(self, value: Any, revision: int) -> None:
        self.theirs = (value, revision)
        if self._take_theirs is None:
            self._take_theirs = w.Button(
                description="Show their text",
                tooltip="Put the stored version in the box (what you typed stays quoted above)",
                layout=w.Layout(width="auto", align_self="flex-start", margin="2px 0 6px"),
            )
            self._take_theirs.add_class("take-theirs")
            self._take_theirs.on_click(lambda _b: self.take_theirs())
            self.children = (*tuple(self.children), self._take_theirs)
        self._take_theirs.layout.display = None

    def take_theirs(self) -> None:
        """The person chose the stored version: it goes in the box, on its revision, and what
        they had typed stays quoted in the status line."""
        if self.theirs is None:
            return
        mine = from_widget(self.field, self.input.value) if self.input is not None else None
        value, revision = self.theirs
        self.load(value, revision)
        self._show(
            "theirs", f"This shows the saved text now. What you had typed here: “{_q(mine)}”."
        )

    def _show(self, state: str, detail: str = "") -> None:
        if self.status is None:
            return
        time = dt.datetime.now().strftime("%H:%M:%S")
        text = {
            "empty": "",
            "saving": "… Saving",
            "saved": f"✓ Saved {time}",
            "stored": "✓ Saved",
            "error": f"✗ Not saved. {detail}",
            "conflict": f"⚠ {detail}",
            "changed": f"↻ {detail}",
            "theirs": f"✓ Saved. {detail}",
        }[state]
        role = "alert" if state in ("error", "conflict", "changed") else "status"
        # data-revision: the store's revision this status is about (tests check it landed)
        self.status.value = (
            f'<span class="status-{state}" role="{role}" data-revision="{self.revision}">'
            f"{esc(text)}</span>"
        )


def _q(value: Any) -> str:
    return "" if value is None else str(value)


def _who(name: str | None, at: dt.datetime | None, how: str) -> str:
    """ "Nia Patel changed this answer after you opened it, at 10:02 on 3 December." """
    when = ""
    if at is not None:
        local = local_time(at)
        when = f", at {local:%H:%M} on {local.day} {local:%B}"
    return f"{name or 'Someone else'} changed this answer{' ' + how if how else ''}{when}."
