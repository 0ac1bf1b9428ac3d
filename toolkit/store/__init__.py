"""Persistence: SQLite by default, any SQLAlchemy URL when outgrown."""

from toolkit.store.errors import (
    Conflict,
    InvalidAnswer,
    NotAllowed,
    NotFound,
    SaveFailed,
    StoreError,
)
from toolkit.store.store import Answer, Store

__all__ = [
    "Answer",
    "Conflict",
    "InvalidAnswer",
    "NotAllowed",
    "NotFound",
    "SaveFailed",
    "Store",
    "StoreError",
]
