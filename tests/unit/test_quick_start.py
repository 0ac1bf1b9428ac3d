"""Servers started through toolkit.server.quick_start skip the one costly validator nobody uses, and
keep every other schema check Jupyter relies on."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import ClassVar

import pytest

from toolkit.server import quick_start

PROBE = """
import sys
{prepare}
import jupyter_server.serverapp  # what Voila and a person's server import first
from jsonschema import Draft7Validator, FormatChecker
checker = Draft7Validator.FORMAT_CHECKER
print("loaded" if "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] else "absent")
print("iri" in checker.checkers, checker.conforms("not a date", "date"))
"""


def probe(prepare: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(prepare=prepare)],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return out.stdout.split("\n")


def test_the_server_imports_no_longer_load_the_iri_parser_but_still_check_dates():
    plain = probe("")
    quick = probe(
        "from toolkit.server.quick_start import skip_unused_validators; skip_unused_validators()"
    )
    assert plain[0] == "loaded"  # the cost being avoided is real in this environment
    assert quick[0] == "absent"
    assert plain[1] == "True False"
    assert quick[1] == "False False"  # only the iri checks are gone; a bad date still fails


def test_an_unknown_server_name_gets_a_usage_message_and_starts_nothing():
    with pytest.raises(SystemExit, match=re.escape("usage: python -m toolkit.server.quick_start")):
        quick_start.main(["quick_start", "jupyterlab"])
    assert quick_start.SERVERS.keys() == {"voila", "singleuser"}


def test_kernel_websockets_send_at_once_and_still_open_the_kernel(monkeypatch):
    """Without TCP_NODELAY the second of a save's nine messages waited for the browser's
    delayed acknowledgement (about 40 ms per save on loopback)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    opened: list[str] = []

    async def original_open(self, kernel_id):
        opened.append(kernel_id)

    monkeypatch.setattr(KernelWebsocketHandler, "open", original_open)
    quick_start.send_websocket_messages_at_once()
    quick_start.send_websocket_messages_at_once()  # twice is the same as once

    class Socket:
        nodelay: ClassVar[list[bool]] = []

        def set_nodelay(self, value: bool) -> None:
            self.nodelay.append(value)

    opening = KernelWebsocketHandler.open(Socket(), "kernel-1")
    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API may hold this thread's loop
        thread.submit(asyncio.run, opening).result()
    assert Socket.nodelay == [True]
    assert opened == ["kernel-1"]  # jupyter-server's own open still runs, once
