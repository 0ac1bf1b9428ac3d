"""What a page does when it opens, without Voilà
(import with ``from tests.support.pages import ...``): several opening a data folder at the same
moment, each in a fresh interpreter as Voilà's kernels are, and what the audit app's page
displays."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def _open_as_a_page(data: str, opens: Callable[[], Any], ready, results) -> None:
    """A kernel of its own (a new process) running ``opens`` as its page does."""
    os.environ["SOS_TOOLKIT_DATA_DIR"] = data
    os.environ.pop("SOS_TOOLKIT_DATABASE_URL", None)
    ready.wait()  # every page opens at the same moment
    try:
        results.put(opens())
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put(repr(exc))


def opened_at_once(data: Path, opens: Callable[[], Any], pages: int = 3) -> list[Any]:
    """What ``opens`` (a module-level function, so a fresh interpreter can import it) returned
    in each of ``pages`` processes started together on the data folder ``data``; an exception's
    repr where it raised."""
    spawn = mp.get_context("spawn")  # fresh interpreters, like Voilà's kernels
    ready, results = spawn.Barrier(pages), spawn.Queue()
    started = [
        spawn.Process(target=_open_as_a_page, args=(str(data), opens, ready, results))
        for _ in range(pages)
    ]
    for page in started:
        page.start()
    for page in started:
        page.join(120)
    return [results.get(timeout=5) for _ in started]


def audit_page(monkeypatch: pytest.MonkeyPatch) -> Any:
    """What the audit app's page displays (one box), built as Voilà would with nobody logged
    in through the Hub; the store is whatever the environment names."""
    from toolkit.apps.audit import app as audit_app

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    shown: list[Any] = []
    monkeypatch.setattr("IPython.display.display", lambda widget: shown.append(widget))
    audit_app.app()
    (box,) = shown
    return box
