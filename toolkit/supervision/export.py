"""A session's record as one self-contained HTML page: inline style, no scripts, no links out.

Jinja2 with autoescape on, so whatever was typed in a session shows as text. The page prints well
(use the browser's *Print → Save as PDF* for a PDF).
"""

from __future__ import annotations

import datetime as dt

from jinja2 import Environment, select_autoescape

from toolkit.core.permissions import Person
from toolkit.supervision.sessions import RecordSection, record_sections
from toolkit.supervision.store import SessionRecord, SupervisionStore

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
TEMPLATE = _ENV.from_string(
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ title }}</title>
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1b1b1b; max-width: 60em;
  margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { color: #1d4f91; font-size: 1.6em; border-bottom: 3px solid #1d4f91; padding-bottom: .2em; }
h2 { color: #1d4f91; font-size: 1.2em; margin-top: 1.6em; }
dl { margin: 0; } dt { font-weight: bold; margin-top: .7em; }
dd { margin: .2em 0 0 1em; white-space: pre-wrap; }
.meta { color: #444; } .empty { color: #666; font-style: italic; }
@media print { body { margin: 0; } h2 { page-break-after: avoid; } }
</style></head>
<body>
<h1>{{ title }}</h1>
<p class="meta">{{ kind }} · led by {{ supervisor }}
{%- if supervisee %} · with {{ supervisee }}{% endif %}
{% if group %} · {{ group }}{% endif %}{% if child_id %} · child’s ID {{ child_id }}{% endif %}
{% if audit_id %} · following audit #{{ audit_id }}{% endif %}<br>
Started {{ started }} · last changed {{ updated }} · exported {{ exported }}</p>
{% for section in sections %}
<h2>{{ section.heading }}</h2>
{% if section.items %}<dl>{% for label, text in section.items %}
<dt>{{ label }}</dt><dd>{{ text if text else "—" }}</dd>{% endfor %}</dl>
{% else %}<p class="empty">Nothing recorded.</p>{% endif %}
{% endfor %}
</body></html>
"""
)


def render_record(
    session: SessionRecord, sections: list[RecordSection], names: dict[int, str]
) -> str:
    return TEMPLATE.render(
        title=session.title or session.kind_label,
        kind=session.kind_label,
        supervisor=names.get(session.supervisor_id, "?"),
        supervisee=names.get(session.supervisee_id) if session.supervisee_id else None,
        group=session.group_name,
        child_id=session.child_id,
        audit_id=session.audit_id,
        started=f"{session.started_at:%d %b %Y %H:%M} UTC",
        updated=f"{session.updated_at:%d %b %Y %H:%M} UTC",
        exported=f"{dt.datetime.now(dt.timezone.utc):%d %b %Y %H:%M} UTC",
        sections=sections,
    )


def export_html(sup: SupervisionStore, session_id: int, reader: Person) -> str:
    """The record of a session the reader may read."""
    session = sup.session(session_id, reader)
    notes = sup.note_values(session_id)
    sections = record_sections(session.kind, notes, sup.ratings(session_id))
    names = {p.id: p.name for p in sup.store.people()}
    return render_record(session, sections, names)
