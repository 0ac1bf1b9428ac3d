"""A row of a list screen (my audits, my sessions): a grid of cells under a heading row."""

from __future__ import annotations

from typing import Any

import ipywidgets as w


def table_row(cells: list[Any], columns: str, head: bool = False, css: str = "") -> w.GridBox:
    """``cells`` are widgets or HTML already escaped by the caller; ``columns`` is the CSS
    ``grid-template-columns`` shared by every row of the table."""
    widgets = [c if isinstance(c, w.Widget) else w.HTML(c) for c in cells]
    grid = w.GridBox(
        widgets,
        layout=w.Layout(
            grid_template_columns=columns, width="100%", padding="4px 0", grid_gap="6px"
        ),
    )
    grid.add_class("home-head" if head else "home-row")
    for name in css.split():
        grid.add_class(name)
    return grid
