"""Inadequate audits: the escalation, its 24-hour tasks, and who is told (seed 002 L3690–3694).

"In situations where the audit judgement has been graded as inadequate, the auditor will email
the worker, team manager, service manager, head of service and deputy director. Outstanding
tasks will be actioned within 24 hours."

The people are found in the register by role: the audit's practitioner (and Staying Together
worker), the audit's team manager (else the ``manager`` of the practitioner's team; never the
audit's auditor or one of its workers, whatever an older audit recorded), the
``service_manager`` and ``head_of_service`` of the practitioner's service, and the
``deputy_director``. Someone missing from the register is recorded as not notified, with the
reason, so the gap is seen rather than silently skipped.

The message is plain text and names the child only by LiquidLogic ID and audit number: action
texts are left out because they may hold names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from toolkit import mail
from toolkit.audit.people import PeopleIndex
from toolkit.core.local_time import local_time
from toolkit.core.permissions import AuditRecord, Person
from toolkit.store import Store
from toolkit.store.escalations import (
    add_notifications,
    escalation_rows,
    notification_rows,
    to_notify,
)

TASKS_WITHIN = dt.timedelta(hours=24)
#: (recipient role as recorded, as written to people)
RECIPIENT_ROLES = (
    ("worker", "Worker"),
    ("team_manager", "Team manager"),
    ("service_manager", "Service manager"),
    ("head_of_service", "Head of service"),
    ("deputy_director", "Deputy director"),
)
ROLE_TITLES = dict(RECIPIENT_ROLES)


@dataclass(frozen=True)
class Addressee:
    role: str
    person: Person | None
    missing: str | None = None  # why nobody (or no email) is there


def addressees(audit: AuditRecord, people: PeopleIndex) -> list[Addressee]:
    """Everyone the escalation goes to, role by role, in the order the source names them."""
    by_id = {p.id: p for p in people.people}
    found: list[Addressee] = []
    workers = [by_id.get(audit.practitioner_id), by_id.get(audit.staying_together_id or -1)]
    found += [Addressee("worker", p) for p in workers if p]
    # never the auditor (another team's eyes) nor a worker of the file, whatever was recorded
    not_managers = {audit.auditor_id, audit.practitioner_id, audit.staying_together_id}
    manager = by_id.get(audit.manager_id or -1)
    if manager and manager.id in not_managers:
        manager = None
    candidates = {
        "team_manager": [manager]
        if manager
        else [p for p in people.with_role("manager", team=audit.team) if p.id not in not_managers],
        "service_manager": people.with_role("service_manager", service=audit.service),
        "head_of_service": people.with_role("head_of_service", service=audit.service),
        "deputy_director": people.with_role("deputy_director"),
    }
    where = {
        "team_manager": f"of {audit.team or 'the practitioner’s team'}",
        "service_manager": f"of {audit.service or 'the practitioner’s service'}",
        "head_of_service": f"of {audit.service or 'the practitioner’s service'}",
        "deputy_director": "",
    }
    for role, people_in_role in candidates.items():
        if not people_in_role:
            found.append(
                Addressee(
                    role,
                    None,
                    f"Nobody in the people register is the {ROLE_TITLES[role].lower()} "
                    f"{where[role]}".rstrip()
                    + ": add them to the register and send this by hand.",
                )
            )
        found += [Addressee(role, p) for p in people_in_role]
    return [
        a
        if a.person is None or a.person.email
        else Addressee(
            a.role, a.person, f"{a.person.name} has no email address in the people register."
        )
        for a in found
    ]


def message(
    audit: AuditRecord, auditor: Person, escalated_at: dt.datetime, actions: int
) -> tuple[str, str]:
    """Subject and plain-text body: the audit number and LiquidLogic ID, never a child's name."""
    due = local_time(escalated_at + TASKS_WITHIN)
    subject = (
        f"Inadequate case audit #{audit.id} (LiquidLogic ID {audit.child_id}): "
        "tasks due within 24 hours"
    )
    body = "\n".join(
        [
            f"Collaborative case audit #{audit.id} of the file with LiquidLogic ID "
            f"{audit.child_id} "
            f"was graded Inadequate by {auditor.name} "
            f"on {local_time(escalated_at):%d %B %Y at %H:%M}.",
            "",
            f"Outstanding tasks will be actioned within 24 hours: by {due:%H:%M on %A %d %B %Y}.",
            "Management oversight note will record case direction and tasks.",
            "Audit will be reviewed in supervision and recorded on case file.",
            "",
            f"Team: {audit.team or 'not recorded'}. Service: {audit.service or 'not recorded'}.",
            f"Actions recorded in the audit: {actions}. Open audit #{audit.id} in the case audit "
            "app to see them and what is needed to improve the case to ‘Good’.",
        ]
    )
    return subject, body


def notify(
    store: Store, escalation_id: int, smtp: mail.SmtpSettings | None
) -> list[dict[str, Any]]:
    """Tell everyone of an escalation once: by email when a server is configured, otherwise
    recorded as a ready-to-copy message. Returns the notification rows."""
    escalation = to_notify(store.engine, escalation_id)
    if escalation.notified:
        return notifications(store, escalation.audit_id)
    audit = store.audit(escalation.audit_id)
    people = PeopleIndex(store.people())
    subject, body = message(
        audit, store.person(audit.auditor_id), escalation.created_at, escalation.live_actions
    )
    to = addressees(audit, people)
    reachable = [mail.Recipient(a.person.name, a.person.email) for a in to if not a.missing]
    route, sent_at, failure = "copy", None, None
    if smtp is not None and reachable:
        try:
            mail.send(smtp, reachable, subject, body)
            route, sent_at = "smtp", dt.datetime.now(dt.timezone.utc)
        except (OSError, mail.smtplib.SMTPException) as exc:
            failure = (
                f"The email server did not take the message ({exc}); copy it and send it by hand."
            )
    with store.unit_of_work() as work:
        add_notifications(
            work,
            [
                {
                    "audit_id": audit.id,
                    "escalation_id": escalation_id,
                    "recipient_role": a.role,
                    "recipient_name": a.person.name if a.person else None,
                    "recipient_email": a.person.email if a.person else None,
                    "route": "copy" if a.missing else route,
                    "subject": subject,
                    "body": body,
                    "sent_at": None if a.missing else sent_at,
                    "error": a.missing or failure,
                }
                for a in to
            ],
        )
    return notifications(store, audit.id)


def notifications(store: Store, audit_id: int) -> list[dict[str, Any]]:
    return notification_rows(store.engine, audit_id)


def escalations(store: Store, audit_id: int, reader: Person) -> list[dict[str, Any]]:
    """The audit's escalations (readers of the audit only), newest first."""
    store.audit(audit_id, reader)
    return escalation_rows(store.engine, audit_id)


def copy_text(rows: list[dict[str, Any]]) -> str | None:
    """The ready-to-copy message for the notifications not sent by email, or None."""
    unsent = [r for r in rows if r["route"] == "copy"]
    if not unsent:
        return None
    recipients = [
        mail.Recipient(r["recipient_name"], r["recipient_email"])
        for r in unsent
        if r["recipient_email"]
    ]
    return mail.ready_to_copy(recipients, unsent[0]["subject"], unsent[0]["body"])
