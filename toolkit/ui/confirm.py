"""Asking before a dangerous action: what will happen, then *do it* or *Cancel*.

Nothing is done until the confirming button is pressed; *Cancel* changes nothing. The box is
shown in place (a notebook page has no modal dialogs), with its heading first so a screen
reader announces what is being asked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w

from toolkit.core.html import esc


class Confirm(w.VBox):
    def __init__(
        self,
        title: str,
        body: Sequence[w.Widget],
        confirm_label: str,
        on_confirm: Callable[[], None],
        on_cancel: Callable[[], None],
        css: str,
        danger: bool = False,
    ) -> None:
        self.message = w.HTML("")
        self.message.add_class("confirm-message")
        self.confirm_button = w.Button(
            description=confirm_label,
            button_style="danger" if danger else "success",
            layout=w.Layout(width="auto"),
        )
        self.confirm_button.add_class("confirm-yes")
        self.cancel_button = w.Button(description="Cancel", layout=w.Layout(width="110px"))
        self.cancel_button.add_class("confirm-cancel")
        self.confirm_button.on_click(lambda _b: on_confirm())
        self.cancel_button.on_click(lambda _b: on_cancel())
        super().__init__(
            [
                w.HTML(f'<h3 class="confirm-title">{esc(title)}</h3>'),
                *body,
                self.message,
                w.HBox(
                    [self.confirm_button, self.cancel_button],
                    layout=w.Layout(grid_gap="8px", margin="8px 0 0 0"),
                ),
            ],
            layout=w.Layout(
                width="100%", border="2px solid #b45309", padding="8px 14px", margin="8px 0"
            ),
        )
        self.add_class("confirm-box")
        self.add_class(css)

    def show_error(self, text: str) -> None:
        self.message.value = f'<div class="msg msg-error" role="alert">{esc(text)}</div>'
