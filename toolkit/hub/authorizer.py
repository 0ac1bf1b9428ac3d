"""A person's server on the Hub serves Voilà's pages and their kernels, and nothing else.

jupyter-server asks its authorizer before every API action (``read``, ``write`` or ``execute`` on
a resource such as ``kernels`` or ``contents``). JupyterHub's :class:`JupyterHubAuthorizer`
checks the Hub's scopes (is this the server's owner?); :class:`AppsOnlyAuthorizer` keeps that
check and then allows only what Voilà's page does, as recorded from a real page:

- ``GET /api/kernels/<id>``: the page reads its own kernel's model;
- the kernel's websocket (``execute`` on ``kernels``), for a kernel this server is running. The
  kernels API that starts kernels is refused, as are sessions, so every kernel here is one Voilà
  started for a page; what the page may send on it is limited by the kernel manager's
  ``allowed_message_types`` (:mod:`toolkit.hub.server`).

Every other action on every resource is refused: starting, restarting, interrupting or deleting
kernels, sessions, contents, files, nbconvert, kernelspecs, config, status, events, terminals, and
any resource a later jupyter-server asks about (an allow-list: what is not named is refused).
Each refusal is logged with who, the method and address, and the action and resource.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.services.kernels.websocket import KernelWebsocketHandler
from jupyterhub.singleuser.extension import JupyterHubAuthorizer


def who(user: Any) -> str:
    """The Hub's username of ``user`` (a jupyter-server ``User``), or "nobody"."""
    return getattr(user, "username", None) or "nobody"


def log_refusal(log: Any, handler: Any, user: Any, action: str, resource: str) -> None:
    """One line in the server's log: who tried what."""
    request = handler.request
    log.warning(
        "Refused %s: %s %s (%s on %s)", who(user), request.method, request.path, action, resource
    )


def voila_page_may(handler: Any, action: str, resource: str) -> bool:
    """Whether Voilà's page does this: read its kernel's model, or open its kernel's websocket."""
    if resource != "kernels":
        return False
    kernel_id = handler.path_kwargs.get("kernel_id")
    if kernel_id is None or kernel_id not in handler.kernel_manager:
        return False
    if action == "read":
        return type(handler) is KernelHandler and handler.request.method == "GET"
    if action == "execute":
        return isinstance(handler, KernelWebsocketHandler)
    return False


class AppsOnlyAuthorizer(JupyterHubAuthorizer):
    """JupyterHub's scope check, then only what Voilà's page needs (see the module's text)."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        allowed = super().is_authorized(handler, user, action, resource) and voila_page_may(
            handler, action, resource
        )
        if not allowed:
            log_refusal(self.log, handler, user, action, resource)
        return allowed
