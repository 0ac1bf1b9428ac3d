"""Errors the store raises; each message is fit to show a user as it is."""

from __future__ import annotations

import datetime as dt


class StoreError(Exception):
    """Base class: anything the store refuses, with a message a user can act on."""


class InvalidAnswer(StoreError, ValueError):
    """The value does not fit the field (out of range, wrong type, bad date, too long)."""


class NotAllowed(StoreError, PermissionError):
    """The person may not read or change this."""


class Conflict(StoreError):
    """Someone else saved this field after it was loaded here; nothing was overwritten.

    ``current`` and ``revision`` are what is stored now; ``updated_by`` (a person's id),
    ``updated_by_name`` and ``updated_at`` say who changed it and when, so a screen can say so."""

    def __init__(
        self,
        message: str,
        current: object = None,
        revision: int = 0,
        *,
        updated_by: int | None = None,
        updated_by_name: str | None = None,
        updated_at: dt.datetime | None = None,
    ):
        super().__init__(message)
        self.current, self.revision = current, revision
        self.updated_by, self.updated_by_name, self.updated_at = (
            updated_by,
            updated_by_name,
            updated_at,
        )


class NotFound(StoreError, LookupError):
    """No such audit, person or action."""


class SaveFailed(StoreError):
    """The database could not save (locked, full, read-only); nothing was half-written."""


class SchemaNotReady(StoreError):
    """The database lacks tables or columns this toolkit needs, and this account may not add
    them; the message names what is missing and the command the owner runs."""


class SchemaNewerThanToolkit(SchemaNotReady):
    """The database is at a schema revision this toolkit does not know: a newer version has
    upgraded it, and this one must neither use nor change it."""
