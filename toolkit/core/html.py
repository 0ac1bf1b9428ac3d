"""Turning definitions and user text into safe HTML: user text is always escaped."""

from __future__ import annotations

import html
import re

from toolkit.forms.models import Cited, ToolkitDecision


def esc(text: object) -> str:
    """Escape anything shown inside an HTML widget; users' text is never markup."""
    return html.escape("" if text is None else str(text), quote=True)


def paragraphs(items: list[Cited], css: str = "guidance") -> str:
    return "".join(f'<p class="{css}">{esc(c.text)}</p>' for c in items)


def decision_html(
    decision: ToolkitDecision, rule: str | None = None, default_seed: str | None = None
) -> str:
    """A rule the toolkit set itself, said to be the toolkit's: the rule (``rule``, else the
    decision's own words), why, the setting that changes it and, quoted with their seed lines,
    what the source does say. Names in `backticks` (a key, a file) are shown as code."""
    said = rule if rule is not None else getattr(decision, "rule", "")
    lines = [
        "<b>The toolkit’s setting, not the source’s.</b>" + (f" {_code(said)}" if said else ""),
        f"<i>Why:</i> {_code(decision.why)}",
        f"<i>To change it:</i> {_code(decision.setting)}.",
    ]
    quotes: list[Cited] = getattr(decision, "source_says", [])
    if quotes:
        lines.append(
            "<i>What the source says:</i> "
            + " ".join(f"“{esc(q.text)}” ({esc(q.source.label(default_seed))})" for q in quotes)
        )
    return f'<div class="toolkit-decides">{"<br>".join(lines)}</div>'


def _code(text: str) -> str:
    """``text`` escaped, with each `name` in backticks as <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", esc(text))
