"""A file offered for download from a widget, built in memory: a ``data:`` link (Voilà serves
no files of ours, and nothing is written to disk)."""

from __future__ import annotations

import base64

import ipywidgets as w

from toolkit.ui.text import esc


def download_link(data: bytes, filename: str, mime: str, label: str, css: str) -> w.HTML:
    href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    link = w.HTML(
        f'<a class="download-link" download="{esc(filename)}" href="{href}">{esc(label)}</a>'
    )
    link.add_class(css)
    return link
