"""Every few seconds, what the store holds for the fields on screen, so a page learns within
seconds that someone else (or the same person in another window) changed one of them.

Widgets cannot be told by the store, so each page asks: one small read of its record's
revisions every :data:`WATCH_SECONDS`, on the kernel's own event loop (between the page's
messages, never at the same time as a save). A field found newer than the revision it loaded
is told (:meth:`toolkit.ui.fields.FieldView.changed_elsewhere`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

#: How often an open page asks the store what changed (the toolkit's choice: "within a few
#: seconds" for the person, one indexed read per open page for the database).
WATCH_SECONDS = 2.0

log = logging.getLogger("toolkit.ui.watch")


class Version(Protocol):
    """One field's stored version (an audit's :class:`~toolkit.store.store.Answer`, a
    supervision :class:`~toolkit.supervision.store.Note`, …)."""

    @property
    def value(self) -> Any: ...
    @property
    def revision(self) -> int: ...
    @property
    def updated_by(self) -> int | None: ...
    @property
    def updated_at(self) -> dt.datetime | None: ...


class Watched(Protocol):
    @property
    def known_revision(self) -> int: ...

    def changed_elsewhere(
        self, value: Any, revision: int, by: str | None, at: dt.datetime | None
    ) -> None: ...


class ChangeWatch:
    """Tells the views on screen of newer versions in the store.

    ``views()``: the field views on screen, by key; ``read()``: the record's stored versions,
    by key; ``name(person_id)``: a person's name; ``me``: who is using the page (their own
    change in another window is said as "You"); ``alive()``: False once the screen is gone,
    which ends the watch."""

    def __init__(
        self,
        views: Callable[[], Mapping[str, Watched]],
        read: Callable[[], Mapping[str, Version]],
        name: Callable[[int], str | None],
        me: int | None,
        alive: Callable[[], bool] = lambda: True,
    ) -> None:
        self._views, self._read, self._name, self._me, self._alive = views, read, name, me, alive
        self._handle: asyncio.TimerHandle | None = None

    def check(self) -> int:
        """One look: how many views were told of a newer version."""
        views = self._views()
        if not views:
            return 0
        told = 0
        for key, stored in self._read().items():
            view = views.get(key)
            if view is None or stored.revision <= view.known_revision:
                continue
            by = stored.updated_by
            who = "You (in another window)" if by is not None and by == self._me else None
            view.changed_elsewhere(
                stored.value,
                stored.revision,
                who or (self._name(by) if by is not None else None),
                stored.updated_at,
            )
            told += 1
        return told

    def start(self, every: float = WATCH_SECONDS) -> ChangeWatch:
        """Look every ``every`` seconds on the running event loop (the kernel's), until the
        screen is gone. Outside a kernel (no running loop) it does nothing."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # never make a loop: one made here would be left unclosed
            return self

        def tick() -> None:
            if not self._alive():
                self._handle = None
                return
            try:
                self.check()
            except Exception:  # a failed look is logged; the next one tries again
                log.exception("looking for changes failed")
            self._handle = loop.call_later(every, tick)

        self._handle = loop.call_later(every, tick)
        return self

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
