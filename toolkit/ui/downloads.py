"""Downloads as ``data:`` links in an HTML widget: Voilà serves no files, so a download is
built in memory and carried in the link's address."""

from __future__ import annotations

import base64

from toolkit.core.html import esc


def data_link(data: bytes, filename: str, media_type: str, label: str, css: str = "") -> str:
    """An ``<a download>`` whose address holds the file itself (base64)."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="download-link {esc(css)}" download="{esc(filename)}" '
        f'href="data:{esc(media_type)};base64,{encoded}">{esc(label)}</a> '
        f'<span class="guidance">({len(data) / 1024:.0f} KB)</span>'
    )
