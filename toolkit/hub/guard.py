"""Refuse every address of a person's server that Voilà's page never asks for.

The refusal comes before any handler runs.

The authorizer (:mod:`toolkit.hub.authorizer`) decides every request whose handler asks it, and
all of jupyter-server's APIs do. Some handlers never ask: Voilà's notebook list
(``/voila/tree``, ``/voila/api/contents``), ``/api/me``, ``/metrics``, and whatever a later
version adds the same way. This server extension puts one handler in front of all of them: an
address that is not on :data:`ALLOWED` answers 403, and the refusal is logged like the
authorizer's. (jupyter-server's own handlers come after every extension's in tornado's routing,
and extensions load in alphabetical order, so ``toolkit.hub.guard`` also comes before Voilà's.)

Enable it with ``--ServerApp.jpserver_extensions={…, 'toolkit.hub.guard': True}`` and
``--ServerApp.reraise_server_extension_failures=True``: it also checks, as the server starts,
that the authorizer and the kernel messages are the locked ones, and stops the server if not.
"""

from __future__ import annotations

import contextlib
from typing import Any

from jupyter_server.auth.utils import HTTP_METHOD_TO_AUTH_ACTION
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

from toolkit.hub.authorizer import log_refusal

KERNEL_ID = r"\w+-\w+-\w+-\w+-\w+"  # as jupyter-server's and Voilà's own routes spell it

#: What Voilà's page asks for (recorded from real pages), relative to the server's base URL.
ALLOWED = (
    "",  # the server's root, which redirects to the app
    "api",  # jupyter-server's version, which the Hub reads when the server starts
    "oauth_callback",  # the Hub's log-in hand-off
    "logout",
    r"voila/render/.+",  # the apps
    r"voila/(?:static|templates|labextensions|files)/.+",  # their scripts, styles and images
    r"voila/api/themes/.+",
    r"static/.+",
    r"favicon\.ico",
    r"robots\.txt",
    rf"voila/api/shutdown/{KERNEL_ID}",  # a closed page shuts its kernel down
    rf"api/kernels/{KERNEL_ID}",  # the page reads its kernel's model (the authorizer decides)
    rf"api/kernels/{KERNEL_ID}/channels",  # the page's kernel websocket (the authorizer decides)
)


def refused_pattern(base_url: str) -> str:
    """A route pattern matching every address under ``base_url`` that is not allowed."""
    allowed = "|".join(f"(?:{path})" for path in ALLOWED)
    return url_path_join(base_url, f"(?!(?:{allowed})$).*")


class RefusedHandler(JupyterHandler):
    """Every method answers 403, once the log says who asked."""

    async def prepare(self) -> None:  # type: ignore[override]
        # learn who is asking (no redirect to a log-in page, no XSRF check needed)
        with contextlib.suppress(web.HTTPError):
            await super().prepare(_redirect_to_login=False)
        method = self.request.method or "GET"
        action = HTTP_METHOD_TO_AUTH_ACTION.get(method, method.lower())
        user = getattr(self, "_jupyter_current_user", None)  # None when it never got that far
        log_refusal(self.log, self, user, action, "an address the apps never use")
        raise web.HTTPError(403)


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "toolkit.hub.guard"}]


def check_locked(serverapp: Any) -> None:
    """Stop the server unless its authorizer and kernel manager are the locked ones: a setting
    that replaced them (a later JupyterHub installing its own authorizer, say) must not leave a
    person's server open without anyone noticing."""
    from toolkit.hub.authorizer import AppsOnlyAuthorizer
    from toolkit.hub.server import ALLOWED_MESSAGE_TYPES

    allowed = set(serverapp.kernel_manager.allowed_message_types)
    if not isinstance(serverapp.authorizer, AppsOnlyAuthorizer):
        raise RuntimeError(f"the authorizer is {type(serverapp.authorizer).__name__}, not ours")
    if not allowed or not allowed <= set(ALLOWED_MESSAGE_TYPES):
        raise RuntimeError(f"kernels would take {sorted(allowed) or 'every'} message")


def _load_jupyter_server_extension(serverapp: Any) -> None:
    check_locked(serverapp)  # with reraise_server_extension_failures, a failure stops the server
    serverapp.web_app.add_handlers(".*$", [(refused_pattern(serverapp.base_url), RefusedHandler)])
    serverapp.log.info("toolkit.hub.guard: only the apps' addresses are served")
