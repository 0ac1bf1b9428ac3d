"""The supervision home's panel of how often supervision meets under the active authority
profile (each frequency with the source's words), and per group whether the next session is due.

The rules live in :mod:`toolkit.supervision.frequency`; this renders them.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from toolkit.apps.supervision.common import box
from toolkit.apps.supervision.widgets import html
from toolkit.core.html import esc
from toolkit.core.profiles import Profile
from toolkit.forms.models import SourceRef
from toolkit.supervision.frequency import GroupCycle


def _table(heads: list[str], rows: list[list[str]], css: str) -> str:
    head = "".join(f'<th align="left">{esc(h)}</th>' for h in heads)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><tr>{head}</tr>{body}</table>'


def _lines(source: SourceRef) -> str:
    """Where in the authority's document the words stand, e.g. "source line 1059"."""
    spans = [f"{a}" if a == b else f"{a}–{b}" for a, b in source.lines]
    return f"source line{'s' if len(spans) > 1 or '–' in spans[0] else ''} {', '.join(spans)}"


def frequencies_html(profile: Profile) -> str:
    """Team, kind, frequency and the source's words for each of the profile's frequencies."""
    rows = [
        [
            esc(f.team),
            esc(f.kind),
            f"<b>{esc(f.frequency)}</b>",
            f"“{esc(f.quote.text)}” <span class='source-ref'>({esc(_lines(f.quote.source))})</span>"
            + (f"<br><i>{esc(f.interval_note)}</i>" if f.interval_note else ""),
        ]
        for f in profile.supervision
    ]
    table = (
        _table(["Team", "Kind", "How often", "In the source’s words"], rows, "frequency-table")
        if rows
        else '<p class="empty-note">The profile states no supervision frequencies.</p>'
    )
    note = (
        f'<p class="guidance supervision-note">{esc(profile.supervision_note)}</p>'
        if profile.supervision_note
        else ""
    )
    return f'<p class="guidance">{esc(profile.name)}.</p>{table}{note}'


def cycles_html(cycles: list[GroupCycle]) -> str:
    """Per group: its last group case mapping, the frequency it meets by, and the next date."""
    if not cycles:
        return '<p class="empty-note">No group case mapping sessions yet.</p>'
    rows = [
        [
            esc(c.group),
            f"{c.last:%d %b %Y}",
            esc(c.frequency.frequency) if c.frequency else "no frequency for this group",
            f"{c.next_due:%d %b %Y}" if c.next_due else "—",
            f'<span class="cycle-state cycle-{c.state.replace("_", "-")}">'
            f"{esc(c.state_label)}</span>",
        ]
        for c in cycles
    ]
    return _table(
        ["Group", "Last session", "Meets", "Next by", "Next session"], rows, "cycle-table"
    )


def frequencies_panel(profile: Profile, cycles: list[GroupCycle], today: dt.date) -> w.VBox:
    return box(
        "How often supervision meets",
        [
            html(frequencies_html(profile), "supervision-frequencies"),
            html(
                f'<div class="field-label">Group supervision by group, as of {today:%d %b %Y}</div>'
                + cycles_html(cycles),
                "group-cycles",
            ),
        ],
        "frequencies-panel",
    )
