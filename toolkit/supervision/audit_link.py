"""From a completed audit to supervision: the audit's strengths, areas to develop and open
actions, gathered so a supervisor can start from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from toolkit.core.html import esc
from toolkit.core.permissions import Person
from toolkit.store import Store

STRENGTHS, TO_DEVELOP = "strengths", "areas_to_develop"


@dataclass
class AuditFindings:
    audit_id: int
    child_id: str
    practitioner_id: int
    complete: bool
    strengths: list[tuple[str, str]] = field(default_factory=list)
    to_develop: list[tuple[str, str]] = field(default_factory=list)
    open_actions: list[dict[str, Any]] = field(default_factory=list)


def audit_findings(store: Store, audit_id: int, reader: Person) -> AuditFindings:
    """What the audit found, area by area, in form order (read permission checked)."""
    audit = store.audit(audit_id, reader)
    form = store.form_of(audit)
    values = store.answer_values(audit_id)
    found = AuditFindings(
        audit.id, audit.child_id, audit.practitioner_id, audit.state == "complete"
    )
    for key, (_section, group, fld) in form.fields().items():
        text = values.get(key)
        if not text:
            continue
        title = f"{group.number}. {group.title}" if group.number else group.title
        if fld.id == STRENGTHS:
            found.strengths.append((title, text))
        elif fld.id == TO_DEVELOP:
            found.to_develop.append((title, text))
    found.open_actions = [a for a in store.actions(audit_id) if a["status"] == "open"]
    return found


def findings_markup(found: AuditFindings) -> str:
    """The findings as HTML, every text escaped."""

    def listing(items: list[tuple[str, str]]) -> str:
        if not items:
            return '<p class="empty-note">None recorded.</p>'
        return "<ul>" + "".join(f"<li><b>{esc(t)}</b>: {esc(x)}</li>" for t, x in items) + "</ul>"

    actions = [
        (a["who"] or "someone", a["what"] + (f" (by {a['due']:%d %b %Y})" if a.get("due") else ""))
        for a in found.open_actions
    ]
    return (
        '<div class="audit-findings">'
        f"<h3>From audit #{found.audit_id} · child’s ID {esc(found.child_id)}</h3>"
        '<div class="findings-strengths"><h4>Areas of strength</h4>'
        f"{listing(found.strengths)}</div>"
        f'<div class="findings-develop"><h4>Areas to develop</h4>{listing(found.to_develop)}</div>'
        f'<div class="findings-actions"><h4>Open actions</h4>{listing(actions)}</div></div>'
    )
