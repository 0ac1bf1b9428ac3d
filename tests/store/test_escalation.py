"""An Inadequate audit: its escalation, its 24-hour tasks, the follow-up, and the email that
arrives at a real SMTP server on loopback with the right recipients (or a ready-to-copy message
when no server is configured)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.support.audits import skip_all
from tests.support.register import add_people, graded_audit
from toolkit import mail
from toolkit.audit import completion, escalation
from toolkit.core.local_time import local_time
from toolkit.core.working_days import follow_up_due
from toolkit.store import Store, schema


class Inbox:
    """aiosmtpd handler keeping every envelope it is given."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SOS_TOOLKIT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SOS_TOOLKIT_SMTP_PORT", str(port))
    monkeypatch.setenv("SOS_TOOLKIT_SMTP_FROM", "Case audit <audit@example.org>")
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def no_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HOST", "PORT", "FROM", "USER", "PASSWORD", "STARTTLS"):
        monkeypatch.delenv(f"SOS_TOOLKIT_SMTP_{name}", raising=False)


def _rows(store: Store, table) -> list[dict]:
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table)).all()]


def test_an_inadequate_audit_is_escalated_and_emailed_to_the_five_roles(
    store: Store, smtp_server: Inbox
) -> None:
    p = add_people(store)
    audit = graded_audit(store, p, "LL-400001", 2)  # 0–2 is Inadequate
    before = dt.datetime.now(dt.timezone.utc)
    done = completion.complete_audit(store, audit.id, p["abe"], skipped=skip_all(store, audit.id))

    (esc,) = _rows(store, schema.escalations)
    created = local_time(esc["created_at"])
    assert esc["audit_id"] == audit.id
    assert esc["reason"] == "inadequate_audit"
    assert esc["state"] == "open"
    assert esc["created_by"] == p["abe"].id
    assert local_time(esc["tasks_due_at"]) - created == dt.timedelta(hours=24)
    assert created >= before - dt.timedelta(seconds=1)

    (follow_up,) = _rows(store, schema.follow_ups)
    assert follow_up["due_date"] == follow_up_due(local_time(done.completed_at).date())

    (envelope,) = smtp_server.envelopes
    expected = {f"{k}@example.org" for k in ("pat", "sky", "mia", "sam", "hal", "dee")}
    assert set(envelope.rcpt_tos) == expected  # worker(s), team manager, service manager, head, DD
    assert "sue@example.org" not in envelope.rcpt_tos  # another service's manager is not told
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == (
        f"Inadequate case audit #{audit.id} (LiquidLogic ID LL-400001): tasks due within 24 hours"
    )
    to_header = str(message["To"])
    assert "Pat O'Neil" in to_header
    assert "Mia <Manager>" in to_header
    body = message.get_content()
    assert "LL-400001" in body
    assert f"#{audit.id}" in body
    assert "&lt;" not in body
    assert "&amp;" not in body
    assert "&#x27;" not in body
    assert "Child Protection & Child in Need" in body
    assert "within 24 hours" in body
    assert "See both children alone" not in body

    notes = escalation.notifications(store, audit.id)
    assert {(n["recipient_role"], n["recipient_email"]) for n in notes} == {
        ("worker", "pat@example.org"),
        ("worker", "sky@example.org"),
        ("team_manager", "mia@example.org"),
        ("service_manager", "sam@example.org"),
        ("head_of_service", "hal@example.org"),
        ("deputy_director", "dee@example.org"),
    }
    assert all(n["route"] == "smtp" and n["sent_at"] and not n["error"] for n in notes)
    assert escalation.copy_text(notes) is None


def test_without_a_server_the_message_is_ready_to_copy(store: Store, no_smtp: None) -> None:
    p = add_people(store)
    audit = graded_audit(store, p, "LL-400002", 0)
    completion.complete_audit(store, audit.id, p["abe"], skipped=skip_all(store, audit.id))
    notes = escalation.notifications(store, audit.id)
    assert len(notes) == 6
    assert all(n["route"] == "copy" and n["sent_at"] is None for n in notes)
    text = escalation.copy_text(notes)
    assert text.startswith("To: Pat O'Neil <pat@example.org>; ")
    assert "Subject: Inadequate case audit" in text
    assert "LL-400002" in text


def test_a_missing_senior_manager_is_recorded_not_skipped(store: Store, no_smtp: None) -> None:
    p = add_people(store)
    with store.unit_of_work() as work:  # the register has no head of service for this service
        work.conn.execute(
            schema.people.update().where(schema.people.c.id == p["hal"].id).values(service="Other")
        )
    audit = graded_audit(store, p, "LL-400003", 1)
    completion.complete_audit(store, audit.id, p["abe"], skipped=skip_all(store, audit.id))
    (gap,) = [n for n in escalation.notifications(store, audit.id) if not n["recipient_name"]]
    assert gap["recipient_role"] == "head_of_service"
    assert "Nobody in the people register is the head of service" in gap["error"]


def test_a_server_that_refuses_leaves_a_message_to_copy(store: Store, no_smtp: None) -> None:
    p = add_people(store)
    audit = graded_audit(store, p, "LL-400004", 2)
    refusing = mail.SmtpSettings(host="127.0.0.1", port=_free_port(), sender="a@example.org")
    completion.complete_audit(
        store, audit.id, p["abe"], smtp=refusing, skipped=skip_all(store, audit.id)
    )
    notes = escalation.notifications(store, audit.id)
    assert all(n["route"] == "copy" and "did not take the message" in n["error"] for n in notes)


def test_a_good_audit_has_a_follow_up_and_no_escalation(store: Store, smtp_server: Inbox) -> None:
    p = add_people(store)
    audit = graded_audit(store, p, "LL-400005", 6)
    completion.complete_audit(store, audit.id, p["abe"], skipped=skip_all(store, audit.id))
    assert _rows(store, schema.escalations) == []
    assert smtp_server.envelopes == []
    assert len(_rows(store, schema.follow_ups)) == 1


def test_completing_twice_notifies_once(store: Store, smtp_server: Inbox) -> None:
    p = add_people(store)
    audit = graded_audit(store, p, "LL-400006", 2)
    completion.complete_audit(store, audit.id, p["abe"], skipped=skip_all(store, audit.id))
    completion.complete_audit(store, audit.id, p["abe"], skipped=skip_all(store, audit.id))
    assert len(smtp_server.envelopes) == 1
    assert len(_rows(store, schema.escalations)) == 1


def test_recording_what_was_done_closes_the_follow_up_and_queues(
    store: Store, no_smtp: None
) -> None:
    p = add_people(store)
    audit = graded_audit(store, p, "LL-400007", 4)
    completion.complete_audit(store, audit.id, p["abe"], skipped=skip_all(store, audit.id))
    due = completion.follow_up(store, audit.id)["due_date"]
    (queued,) = completion.follow_ups_due(store, p["abe"], due)
    assert queued.audit_id == audit.id
    assert not queued.overdue
    (late,) = completion.follow_ups_due(store, p["abe"], due + dt.timedelta(days=1))
    assert late.overdue
    assert completion.follow_ups_due(store, p["pat"], due) == []  # the auditor's, not Pat's

    (action,) = completion.actions_due(store, p["pat"], dt.date.today())
    store.update_action(action.action_id, p["pat"], status="done", completion_note="Seen 2 Dec.")
    assert completion.actions_due(store, p["pat"], dt.date.today()) == []

    with pytest.raises(completion.InvalidAnswer, match="Write what has been done"):
        completion.record_follow_up(store, audit.id, p["abe"], "  ")
    row = completion.record_follow_up(store, audit.id, p["abe"], "Network meeting held 3 Dec.")
    assert row["done_by"] == p["abe"].id
    assert row["note"] == "Network meeting held 3 Dec."
    assert completion.follow_ups_due(store, p["abe"], due) == []
    with pytest.raises(completion.InvalidAnswer, match="already recorded"):
        completion.record_follow_up(store, audit.id, p["abe"], "Again")
    assert store.history(audit.id, p["abe"])[-1]["field_key"] == "follow_up"
