"""The store's errors live in :mod:`toolkit.errors` so lower layers can raise them without
importing the store."""

from toolkit.errors import (
    Conflict,
    InvalidAnswer,
    NotAllowed,
    NotFound,
    SaveFailed,
    SchemaNewerThanToolkit,
    SchemaNotReady,
    StoreError,
)

__all__ = [
    "Conflict",
    "InvalidAnswer",
    "NotAllowed",
    "NotFound",
    "SaveFailed",
    "SchemaNewerThanToolkit",
    "SchemaNotReady",
    "StoreError",
]
