"""The store's errors live in :mod:`toolkit.core.errors` so lower layers can raise them without
importing the store; what a database failure means to the user is said here, once."""

from sqlalchemy.exc import DBAPIError

from toolkit.core.errors import (
    Conflict,
    InvalidAnswer,
    NotAllowed,
    NotFound,
    SaveFailed,
    SchemaNewerThanToolkit,
    SchemaNotReady,
    StoreError,
)


def explain_db_error(exc: DBAPIError) -> str:
    """A database failure in the user's words, saying that nothing was saved."""
    text = str(exc.orig).lower()
    if "locked" in text or "busy" in text or "lock timeout" in text:
        return "The database is busy with another change; nothing was saved. Try again in a moment."
    if "readonly" in text or "read-only" in text:
        return "The data folder is read-only; nothing was saved. Ask your administrator."
    if "full" in text or "disk" in text:
        return "The disk is full; nothing was saved. Ask your administrator to free space."
    return f"The database could not save the change; nothing was saved ({exc.orig})."


__all__ = [
    "Conflict",
    "InvalidAnswer",
    "NotAllowed",
    "NotFound",
    "SaveFailed",
    "SchemaNewerThanToolkit",
    "SchemaNotReady",
    "StoreError",
    "explain_db_error",
]
