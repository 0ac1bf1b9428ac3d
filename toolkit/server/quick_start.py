"""Start Jupyter's servers (Voilà, or a person's server under JupyterHub) tuned for the toolkit.

``jupyter_server`` imports ``jupyter_events``, which loads ``jsonschema``'s format checkers; those
import ``rfc3987_syntax``, which compiles about 35 Lark parsers when imported: about 1.2 s of CPU
at every server start (jupyter-server issue #1559), for the ``iri`` and ``iri-reference`` formats
that no Jupyter schema uses. Under JupyterHub every log-in starts a server, so on a busy Monday
morning that second is paid once per person, on the CPUs everybody's saves are waiting for.

Marking the module as absent makes ``jsonschema`` skip those two checks (it imports them inside
``suppress(ImportError)``); every other check is unchanged.

And each page's kernel websocket sends at once (``TCP_NODELAY``). jupyter-server never turns
Nagle's algorithm off on it, so when one click produces several messages (a saved answer sends
nine: the value, its status, the buttons' styles) the second waits for the browser's delayed
acknowledgement: about 40 ms added to nearly every save, measured on loopback.

    python -m toolkit.server.quick_start voila <voila arguments>
    python -m toolkit.server.quick_start singleuser <jupyterhub-singleuser arguments>
"""

from __future__ import annotations

import sys
from collections.abc import Callable

#: Modules imported for validators the servers never use, and costly to import.
UNUSED_VALIDATORS = ("rfc3987_syntax",)


def skip_unused_validators() -> None:
    """Make ``import rfc3987_syntax`` fail in this process (unless it is already loaded)."""
    for name in UNUSED_VALIDATORS:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]  (None = "not importable")


def send_websocket_messages_at_once() -> None:
    """Set ``TCP_NODELAY`` on every kernel websocket as it opens (Voilà's handler inherits it)."""
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    opened = KernelWebsocketHandler.open
    if getattr(opened, "sends_at_once", False):
        return

    async def open_sending_at_once(self, kernel_id: str):
        self.set_nodelay(True)
        return await opened(self, kernel_id)

    open_sending_at_once.sends_at_once = True  # type: ignore[attr-defined]
    KernelWebsocketHandler.open = open_sending_at_once  # type: ignore[method-assign]


def _voila() -> Callable[[], object]:
    from toolkit.server.standalone import main  # Voilà, plus the handler that remembers the person

    return main


def _singleuser() -> Callable[[], object]:
    from jupyterhub.singleuser import main

    return main


SERVERS: dict[str, Callable[[], Callable[[], object]]] = {
    "voila": _voila,
    "singleuser": _singleuser,
}


def main(argv: list[str] | None = None) -> None:
    """Run the named server with the rest of the command line as its own arguments."""
    argv = sys.argv if argv is None else argv
    if len(argv) < 2 or argv[1] not in SERVERS:
        raise SystemExit(
            f"usage: python -m toolkit.server.quick_start {{{','.join(SERVERS)}}} [args…]"
        )
    skip_unused_validators()
    server = SERVERS[argv[1]]()
    send_websocket_messages_at_once()
    sys.argv = [argv[1], *argv[2:]]  # the server reads its options from sys.argv
    sys.exit(server())


if __name__ == "__main__":
    main()
