"""Who looked, as people read it: the access log's rows in Europe/London time, as a table on
an audit's *Record and history* and as text for the administrator's command line.

The rows themselves, and who may read them, are the store's (:mod:`toolkit.store.access`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from toolkit.core.html import esc
from toolkit.core.local_time import LOCAL_TIME, when_text
from toolkit.store.access import Access

ACTION_WORDS = {
    "open": "Opened",
    "download": "Downloaded",
    "export": "Exported",
    "command": "Ran",
}
REFUSED_WORDS = {
    "open": "Tried to open",
    "download": "Tried to download",
    "export": "Tried to export",
    "command": "Tried to run",
}
#: the notebook each app is served from, in the words on its header
APP_NAMES = {
    "audit.ipynb": "Collaborative case audit",
    "moderation.ipynb": "Moderation",
    "supervision.ipynb": "Reflective supervision",
    "thematic_audit.ipynb": "Thematic audit",
    "calibration.ipynb": "Calibration exercise",
    "reports.ipynb": "Quality assurance reports",
}
RECORD_WORDS = {
    "audit": "audit",
    "supervision_session": "supervision session",
    "thematic_audit": "thematic audit",
    "moderation": "moderation",
    "calibration_exercise": "calibration exercise",
    "demonstration": "demonstration",
    "period_export": "export of a period",
    "command": "command",
}


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of ``start`` to the end of ``end`` (both included), London days, in UTC."""
    if end < start:
        raise ValueError(f"The period ends ({end}) before it starts ({start}).")

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), LOCAL_TIME).astimezone(dt.timezone.utc)

    return midnight(start), midnight(end + dt.timedelta(days=1))


def through(screen: str) -> str:
    """The app (with its notebook) or the command a row came through."""
    if screen.startswith("cli:"):
        return f"command line: {screen.removeprefix('cli:')}"
    name = APP_NAMES.get(screen)
    return f"{name} ({screen})" if name else screen


def what_text(row: Access) -> str:
    verbs = ACTION_WORDS if row.allowed else REFUSED_WORDS
    words = (
        f"{verbs.get(row.action, row.action)} {RECORD_WORDS.get(row.record_kind, row.record_kind)}"
    )
    if row.record_id is not None:
        words += f" #{row.record_id}"
    if row.allowed and row.detail:
        words += f" ({row.detail})"
    return words


def openings_html(rows: Iterable[Access], names: dict[int, str], more: bool = False) -> str:
    """The rows (already newest first) as a table; refused ones marked, with the reason."""
    body = []
    for row in rows:
        who = names.get(row.person_id, row.actor) if row.person_id else row.actor
        refused = (
            ' <span class="refused-badge">Refused</span>'
            f' <span class="guidance">{esc(row.detail or "")}</span>'
            if not row.allowed
            else ""
        )
        body.append(
            f'<tr class="opening-row{" opening-refused" if not row.allowed else ""}">'
            f'<td class="opening-when">{esc(when_text(row.at))}</td>'
            f"<td>{esc(who)}</td>"
            f"<td>{esc(what_text(row))}{refused}</td><td>{esc(through(row.screen))}</td></tr>"
        )
    if not body:
        return '<p class="empty-note">Nobody has opened this audit since the log began.</p>'
    note = (
        '<p class="guidance">The latest openings only: quality assurance exports the whole log '
        "from the reports app.</p>"
        if more
        else ""
    )
    return (
        '<table class="audit-table openings-table"><tr><th>When (UK time)</th><th>Who</th>'
        f"<th>What</th><th>Through</th></tr>{''.join(body)}</table>{note}"
    )


def log_table(rows: Iterable[Access]) -> str:
    """The rows as aligned plain text, for a terminal."""
    lines = [
        (
            when_text(r.at),
            r.actor,
            r.action,
            r.record_kind,
            r.record_id or "",
            r.screen,
            "yes" if r.allowed else "REFUSED",
            r.detail or "",
        )
        for r in rows
    ]
    heads = ("When (UK time)", "Who", "Action", "Record", "Id", "Screen", "Allowed", "Detail")
    widths = [max(len(str(v)) for v in column) for column in zip(heads, *lines, strict=True)]
    return "\n".join(
        "  ".join(str(v).ljust(width) for v, width in zip(line, widths, strict=True)).rstrip()
        for line in [heads, *lines]
    )
