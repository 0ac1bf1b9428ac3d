"""Pieces every session screen uses: a titled box, cited paragraphs, and the closing
"learning and next steps" (actions: what, who, when)."""

from __future__ import annotations

import ipywidgets as w

from toolkit.apps.supervision.widgets import ListNoteEditor, NoteContext, html
from toolkit.core.html import esc
from toolkit.forms.models import Cited


def box(title: str, children: list[w.Widget], *classes: str) -> w.VBox:
    made = w.VBox(
        [html(f'<div class="group-title"><h3>{esc(title)}</h3></div>'), *children],
        layout=w.Layout(width="100%"),
    )
    made.add_class("group-box")
    for css in classes:
        made.add_class(css)
    return made


def cited(items: list[Cited], css: str = "guidance") -> w.HTML:
    return html("".join(f'<p class="{css}">{esc(c.text)}</p>' for c in items))


def actions_editor(ctx: NoteContext) -> ListNoteEditor:
    return ListNoteEditor(
        ctx,
        "actions",
        [("what", "What needs to happen", None), ("who", "Who", None), ("when", "When", None)],
        add_label="Add action",
    )


def closing(ctx: NoteContext, title: str, learning: bool = True) -> w.VBox:
    parts: list[w.Widget] = []
    if learning:
        parts.append(ctx.text("learning", "What has been learned", rows=3))
    if title != "Next steps":
        parts.append(html('<div class="field-label">Next steps</div>'))
    parts.append(actions_editor(ctx))
    return box(title, parts, "closing-box")
