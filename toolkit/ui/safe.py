"""Callbacks that never fail silently: an exception becomes a message on screen and a log line."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from toolkit.core.errors import StoreError
from toolkit.core.html import esc

log = logging.getLogger("toolkit.ui")


class MessageBar(w.HTML):
    """One line at the top of a screen for what the user must know now."""

    def __init__(self) -> None:
        super().__init__(value="")
        self.add_class("toolkit-message")

    def show(self, text: str, kind: str = "info") -> None:
        role = "alert" if kind == "error" else "status"
        self.value = f'<div class="msg msg-{kind}" role="{role}">{esc(text)}</div>'

    def clear(self) -> None:
        self.value = ""


def guarded(messages: MessageBar) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a widget callback: store refusals are shown as they are, anything else is logged
    on the server and shown as a plain apology (never a traceback)."""

    def wrap(callback: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(callback)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return callback(*args, **kwargs)
            except StoreError as exc:
                messages.show(str(exc), "error")
            except Exception:  # the user must see something, the log gets the detail
                log.exception("callback %s failed", getattr(callback, "__name__", callback))
                messages.show(
                    "Something went wrong and was not saved. It has been logged; please try again.",
                    "error",
                )
            return None

        return run

    return wrap
