"""Turning definitions and user text into safe HTML: user text is always escaped."""

from __future__ import annotations

import html

from toolkit.forms.models import Cited


def esc(text: object) -> str:
    """Escape anything shown inside an HTML widget; users' text is never markup."""
    return html.escape("" if text is None else str(text), quote=True)


def paragraphs(items: list[Cited], css: str = "guidance") -> str:
    return "".join(f'<p class="{css}">{esc(c.text)}</p>' for c in items)
