"""Sending a message by email through the authority's SMTP server, or offering it to copy.

Configured by environment variables (no server configured: every message is shown ready to copy
and paste into the user's own email, route ``copy``):

- ``SOS_TOOLKIT_SMTP_HOST`` (required to send), ``SOS_TOOLKIT_SMTP_PORT`` (default 25),
- ``SOS_TOOLKIT_SMTP_FROM`` (the sender address, required to send),
- ``SOS_TOOLKIT_SMTP_USER`` / ``SOS_TOOLKIT_SMTP_PASSWORD`` (optional login),
- ``SOS_TOOLKIT_SMTP_STARTTLS`` (``1``/``true``/``yes``: upgrade the connection with STARTTLS).

Messages are plain text: nothing in them is HTML, so nothing needs escaping and nothing is
escaped wrongly (a name with ``&`` or ``<`` arrives as it was typed).
"""

from __future__ import annotations

import os
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr

SMTP_TIMEOUT_SECONDS = 15
_ENV = "SOS_TOOLKIT_SMTP_"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False

    @classmethod
    def from_env(cls) -> SmtpSettings | None:
        """The configured server, or None when no host (or no sender) is set."""
        host = os.environ.get(_ENV + "HOST", "").strip()
        sender = os.environ.get(_ENV + "FROM", "").strip()
        if not host or not sender:
            return None
        return cls(
            host=host,
            port=int(os.environ.get(_ENV + "PORT", "25") or 25),
            sender=sender,
            user=os.environ.get(_ENV + "USER") or None,
            password=os.environ.get(_ENV + "PASSWORD") or None,
            starttls=os.environ.get(_ENV + "STARTTLS", "").strip().lower() in ("1", "true", "yes"),
        )


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str

    def header(self) -> str:
        return formataddr((self.name, self.email))


def build_message(
    sender: str, recipients: Sequence[Recipient], subject: str, body: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = [Address(display_name=r.name, addr_spec=r.email) for r in recipients]
    message["Subject"] = subject
    message.set_content(body)  # text/plain, utf-8 where needed
    return message


def send(settings: SmtpSettings, recipients: Sequence[Recipient], subject: str, body: str) -> None:
    """Send one message to all recipients; raises OSError / smtplib.SMTPException on failure."""
    message = build_message(settings.sender, recipients, subject, body)
    with smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        smtp.send_message(message, to_addrs=[r.email for r in recipients])


def ready_to_copy(recipients: Sequence[Recipient], subject: str, body: str) -> str:
    """The message as text to copy into an email by hand."""
    to = "; ".join(r.header() for r in recipients) or "(nobody with an email address)"
    return f"To: {to}\nSubject: {subject}\n\n{body}"
