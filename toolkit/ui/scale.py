"""A 0–10 scale made for the audit meeting: eleven buttons, anchors at both ends, no slider.

*Unanswered* (``None``) is distinct from 0, and can be restored with "Clear".
"""

from __future__ import annotations

import ipywidgets as w
from traitlets import Int, TraitError, validate

from toolkit.core.html import esc
from toolkit.ui.a11y import named_button


class ScaleInput(w.VBox):
    value = Int(None, allow_none=True)

    def __init__(
        self,
        low_anchor: str | None = None,
        high_anchor: str | None = None,
        minimum: int = 0,
        maximum: int = 10,
        description: str = "",
    ) -> None:
        self._min, self._max = minimum, maximum
        self._buttons = []
        # one layout and one style for the eleven points: fewer widgets for the page to build
        point_layout = w.Layout(width="auto", min_width="0", height="38px")
        point_style = w.ButtonStyle()
        for point in range(minimum, maximum + 1):
            button = named_button(
                f"{description}: {point}" if description else str(point),
                "scale-point",
                f"scale-point-{point}",
                description=str(point),
                layout=point_layout,
                style=point_style,
            )
            button.on_click(lambda _b, p=point: self._choose(p))
            self._buttons.append(button)
        row = w.GridBox(
            self._buttons,
            layout=w.Layout(
                grid_template_columns=f"repeat({maximum - minimum + 1}, minmax(34px, 1fr))",
                grid_gap="4px",
                width="100%",
            ),
        )
        self._clear = w.Button(
            description="Clear",
            tooltip="Leave this unanswered",
            layout=w.Layout(width="70px", height="30px"),
            _dom_classes=("scale-clear",),
        )
        self._clear.on_click(lambda _b: setattr(self, "value", None))
        self._state = w.HTML(_dom_classes=("scale-state",))
        low = f"<b>{minimum}</b> = {esc(low_anchor)}" if low_anchor else f"<b>{minimum}</b>"
        high = f"<b>{maximum}</b> = {esc(high_anchor)}" if high_anchor else f"<b>{maximum}</b>"
        anchors = w.HTML(
            f'<div class="scale-anchors"><span class="scale-low">{low}</span>'
            f'<span class="scale-high">{high}</span></div>'
        )
        footer = w.HBox(
            [self._state, self._clear],
            layout=w.Layout(justify_content="space-between", align_items="center"),
        )
        super().__init__(
            [row, anchors, footer], layout=w.Layout(width="100%"), _dom_classes=("scale-input",)
        )
        self.observe(self._render, names="value")
        self._render()

    @validate("value")
    def _valid(self, proposal: dict) -> int | None:
        value = proposal["value"]
        if value is not None and not self._min <= value <= self._max:
            raise TraitError(f"a scale answer must be from {self._min} to {self._max}")
        return value

    def _choose(self, point: int) -> None:
        self.value = point

    def _render(self, *_: object) -> None:
        for point, button in zip(range(self._min, self._max + 1), self._buttons, strict=True):
            chosen = point == self.value
            button.button_style = "primary" if chosen else ""
            if chosen:
                button.add_class("selected")
            else:
                button.remove_class("selected")
        self._state.value = (
            '<span class="unanswered">Not yet scaled</span>'
            if self.value is None
            else f'<span class="answered">Scaled at <b>{self.value}</b></span>'
        )
        self._clear.disabled = self.value is None

    def set_disabled(self, disabled: bool) -> None:
        for button in self._buttons:
            button.disabled = disabled
        self._clear.disabled = disabled or self.value is None
