"""Standalone Voilà as the run command starts it: Voilà's own application, plus the one handler
that remembers which person a browser chose (the kernel cannot set a cookie itself).

The page fetches ``/sos/choose-person?ticket=…`` (an image in the person picker's frame, so no
script and no reload); :func:`toolkit.store.chosen_people.redeem` turns the one-time ticket into the
browser's token, sent back as an HttpOnly, SameSite=Strict cookie. An unknown, used or expired
ticket is refused (403), changes nothing, sets no cookie, and is logged.
"""

from __future__ import annotations

import base64
import logging
import os

import tornado.web
from jupyter_server.utils import url_path_join
from voila.app import Voila

from toolkit.store import chosen_people

#: A transparent 1×1 GIF: the page's image loads (and so tests can tell the cookie is set).
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


class ChoosePersonHandler(tornado.web.RequestHandler):
    """``GET /sos/choose-person?ticket=…``: set this browser's person cookie, once per ticket."""

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        name = chosen_people.cookie_name()
        token = chosen_people.redeem(self.get_query_argument("ticket", ""), self.get_cookie(name))
        if token is None:
            self._log().warning(
                "Refused a person choice from %s: the ticket is unknown, used or expired.",
                self.request.remote_ip,
            )
            raise tornado.web.HTTPError(403)
        self.set_cookie(
            name,
            token,
            path=self.settings.get("base_url", "/"),
            max_age=chosen_people.KEEP_DAYS * 86400,
            httponly=True,  # no script on any page can read it
            samesite="Strict",  # no other site's page can send it
            secure=self.request.protocol == "https",
        )
        self.set_header("Content-Type", "image/gif")
        self.finish(PIXEL)

    def _log(self) -> logging.Logger:
        app = self.settings.get("voila")
        return app.log if app is not None else logging.getLogger(__name__)


class ToolkitVoila(Voila):
    """Voilà with :class:`ChoosePersonHandler` added to the handlers it serves."""

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)
        # Voilà gives each kernel this environment: a Cookie header left in it would reach
        # every page whose request carries none
        os.environ.pop(chosen_people.COOKIE_ENV, None)

    def init_handlers(self) -> list:
        route = url_path_join(self.server_url, chosen_people.CHOOSE_PERSON_PATH)
        return [(route, ChoosePersonHandler), *super().init_handlers()]


main = ToolkitVoila.launch_instance
