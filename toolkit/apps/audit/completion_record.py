"""What happened when an audit was completed: its follow-up, and for an Inadequate audit the
escalation: tasks due by when, who was notified, when and by which route, and the message
ready to copy when it was not emailed."""

from __future__ import annotations

import ipywidgets as w

from toolkit.audit import completion, escalation
from toolkit.audit.records import skipped_at_completion
from toolkit.core.html import esc
from toolkit.core.local_time import local_time
from toolkit.core.permissions import AuditRecord, Person
from toolkit.store import Store

ROUTES = {"smtp": "email", "copy": "to copy and send by hand"}


def completion_record(store: Store, audit: AuditRecord, person: Person) -> w.HTML:
    parts = []
    follow_up = completion.follow_up(store, audit.id)
    if follow_up:
        state = (
            f"recorded on {local_time(follow_up['done_at']):%d %b %Y}: {esc(follow_up['note'])}"
            if follow_up["done_at"]
            else "not yet recorded"
        )
        parts.append(
            f'<p class="follow-up-record"><b>Follow-up</b> due {follow_up["due_date"]:%A %d %B %Y} '
            f"(5 working days after completion), {state}.</p>"
        )
    skips = skipped_at_completion(store, audit, store.form_of(audit))
    if skips:
        parts.append(
            "<p><b>Left unanswered at completion</b>, deliberately, with the reason given:</p>"
            '<ul class="skip-record">'
            + "".join(f"<li>{esc(s['label'])}: <i>{esc(s['reason'])}</i></li>" for s in skips)
            + "</ul>"
        )
    notes = escalation.notifications(store, audit.id)
    for e in escalation.escalations(store, audit.id, person):
        rows = "".join(
            "<tr>"
            f"<td>{esc(escalation.ROLE_TITLES.get(n['recipient_role'], n['recipient_role']))}</td>"
            f"<td>{esc(n['recipient_name'] or '—')}</td><td>{esc(n['recipient_email'] or '—')}</td>"
            f"<td>{esc(ROUTES.get(n['route'], n['route']))}</td>"
            f"<td>{local_time(n['sent_at'] or n['created_at']):%d %b %Y %H:%M}</td>"
            f"<td>{esc(n['error'] or ('sent' if n['sent_at'] else ''))}</td></tr>"
            for n in notes
            if n["escalation_id"] == e["id"]
        )
        parts.append(
            '<div class="escalation-record"><p><b>Inadequate: escalated</b> on '
            f"{local_time(e['created_at']):%d %b %Y at %H:%M}. Outstanding tasks are due "
            "within 24 hours: by "
            f"<b>{local_time(e['tasks_due_at']):%H:%M on %d %b %Y}</b>.</p>"
            '<table class="audit-table notified"><tr><th>Role</th><th>Name</th><th>Email</th>'
            f"<th>Route</th><th>When</th><th>Note</th></tr>{rows}</table></div>"
        )
    text = escalation.copy_text(notes)
    if text:
        parts.append(
            "<p><b>No email was sent.</b> Copy this message into an email and send it:</p>"
            f'<pre class="copy-message">{esc(text)}</pre>'
        )
    record = w.HTML("".join(parts))
    record.add_class("completion-record")
    return record
