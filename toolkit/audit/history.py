"""The history of an audit in people's words: who changed what, when, from what to what, and why.

Rows come from the append-only ``changes`` log (:meth:`Store.history`); labels come from the
form the audit was answered on and from the moderation form, names from the people register.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.core import lifecycle
from toolkit.core.html import esc
from toolkit.forms.models import Form

EMPTY = "(empty)"
LONGEST_VALUE = 300  # characters of a value shown in one line of history
LONGEST_TITLE = 60

_SPECIAL = {
    "state": "State of the audit",
    "moderation.moderator": "Moderation allocated to",
    "moderation.state": "State of the moderation",
    # the moderation form's questions are long quotations: the history names them briefly
    "moderation.feedback.good_practice": "Moderation — areas of good practice",
    "moderation.feedback.development": "Moderation — areas for development",
    "moderation.audit_actions.actions_completed": "Moderation — the audit’s actions completed?",
    "moderation.agreement.agrees": "Moderation — agreement with the audit",
    "moderation.agreement.agreed_grade": "Moderation — grade agreed with the auditor",
}


@dataclass(frozen=True)
class HistoryLine:
    when: dt.datetime
    who: str
    what: str
    old: str
    new: str
    reason: str | None = None

    @property
    def text(self) -> str:
        why = f" (reason: {self.reason})" if self.reason else ""
        return (
            f"{self.when:%d %b %Y %H:%M} · {self.who} · {self.what}: {self.old} → {self.new}{why}"
        )


def _short(text: str, longest: int) -> str:
    return text if len(text) <= longest else text[: longest - 1] + "…"


def field_label(key: str, forms: Iterable[Form]) -> str:
    """'Area 6 — Collaborative Scale' for a key of the audit form (or the moderation form)."""
    if key in _SPECIAL:
        return _SPECIAL[key]
    if key.startswith("action."):
        return f"Action {key.split('.', 1)[1]}"
    if key.startswith("moderation."):
        return "Moderation — " + field_label(key.split(".", 1)[1], forms)
    for form in forms:
        if key in form.fields():
            _section, group, field = form.field(key)
            if group.number:
                return f"Area {group.number} — {field.label}"
            if group.title == field.label:
                return field.label
            return f"{_short(group.title, LONGEST_TITLE)} — {_short(field.label, LONGEST_TITLE)}"
    return key


def show_value(key: str, value: Any, names: Mapping[int, str]) -> str:
    """A stored value as a person reads it."""
    if value is None or value == "" or value == {}:
        return EMPTY
    if key in ("state", "moderation.state"):
        return lifecycle.STATE_LABELS.get(value, str(value))
    if key == "moderation.moderator":
        return names.get(value, f"person {value}")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {show_value('', v, names)}" for k, v in value.items())
    return _short(str(value), LONGEST_VALUE)


def history_lines(
    changes: Iterable[Mapping[str, Any]], forms: Iterable[Form], names: Mapping[int, str]
) -> list[HistoryLine]:
    """Change-log rows (oldest first, as :meth:`Store.history` returns them) as readable lines."""
    forms = list(forms)
    return [
        HistoryLine(
            when=c["changed_at"],
            who=names.get(c["changed_by"], f"person {c['changed_by']}"),
            what=field_label(c["field_key"], forms),
            old=show_value(c["field_key"], c["old"], names),
            new=show_value(c["field_key"], c["new"], names),
            reason=c.get("reason"),
        )
        for c in changes
    ]


def history_html(lines: list[HistoryLine]) -> str:
    """A table of the lines, newest first; every value is escaped."""
    if not lines:
        return '<p class="empty-note">Nothing has changed yet.</p>'
    rows = "".join(
        f'<tr class="history-line"><td>{line.when:%d %b %Y %H:%M}</td><td>{esc(line.who)}</td>'
        f"<td>{esc(line.what)}</td><td>{esc(line.old)}</td><td>→</td><td>{esc(line.new)}</td>"
        f"<td>{esc(line.reason or '')}</td></tr>"
        for line in reversed(lines)
    )
    return (
        '<table class="audit-table history-table"><colgroup><col style="width:112px">'
        '<col style="width:130px"><col style="width:26%"><col style="width:18%">'
        '<col style="width:24px"><col style="width:20%"><col></colgroup>'
        "<tr><th>When (UTC)</th><th>Who</th><th>What</th><th>Was</th><th></th><th>Now</th>"
        "<th>Reason</th></tr>"
        f"{rows}</table>"
    )
