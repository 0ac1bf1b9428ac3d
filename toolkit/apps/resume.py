"""Where each person was in the audit app (audit, section, area), so that a page whose kernel
was culled — a tab left open overnight — or a refreshed page can take them back there.

Kept as one small JSON file per person in the data folder (``places/<person id>.json``),
written atomically; losing it loses nothing but the shortcut, so failures are ignored.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass

from toolkit import config

_FOLDER = "places"


@dataclass(frozen=True)
class Place:
    audit_id: int
    section_id: str
    group_id: str | None = None


def _path(person_id: int):
    return config.data_dir() / _FOLDER / f"{int(person_id)}.json"


def remember(person_id: int, place: Place) -> None:
    """Note where the person is now (best effort: a read-only disk must not stop the app)."""
    with contextlib.suppress(OSError):
        path = _path(person_id)
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(place)))
        tmp.replace(path)


def last(person_id: int) -> Place | None:
    """Where the person last was, or None (never been, or the note is unreadable)."""
    try:
        data = json.loads(_path(person_id).read_text())
        return Place(int(data["audit_id"]), str(data["section_id"]), data.get("group_id"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
