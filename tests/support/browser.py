"""Helpers for the browser tests
(import with ``from tests.support.browser import open_app, screenshot``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit.ui.fields import field_css_class

REPO_DIR = Path(__file__).resolve().parents[2]
SCREENSHOTS_DIR = REPO_DIR / "screenshots"
APP_TIMEOUT_MS = 60_000
STORED_TIMEOUT = 15  # seconds: how long a save may take to reach the store (wait_for_stored)
STORED_POLL = 0.1  # seconds between two reads of the store
#: Headless Chromium on a machine with no network but loopback (Debian's package, no download).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def open_app(
    page: Any,
    server: Any,
    notebook: str = "audit.ipynb",
    query: str = "",
    selector: str = ".audit-app",
    timeout: float = APP_TIMEOUT_MS,
) -> Any:
    """Open ``/voila/render/<notebook>?<query>`` and wait until ``selector`` is visible.

    Returns the located element. ``server`` is the ``voila_server`` fixture (anything with
    ``.url``).
    """
    url = f"{server.url}/voila/render/{notebook}"
    if query:
        url += "?" + query.lstrip("?")
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    element = page.locator(selector).first
    element.wait_for(state="visible", timeout=timeout)
    return element


def screenshot(page: Any, name: str, full_page: bool = True) -> Path:
    """Save a PNG of the page as ``screenshots/<name>.png`` at the repository root.

    Voilà's page scrolls inside its own container, which Playwright's ``full_page`` does not
    see; so the viewport is made as tall as the tallest scrolling content for the shot.
    """
    SCREENSHOTS_DIR.mkdir(exist_ok=True)
    path = SCREENSHOTS_DIR / (name if name.endswith(".png") else f"{name}.png")
    size = page.viewport_size
    if full_page and size:
        height = page.evaluate(
            "Math.max(document.documentElement.scrollHeight,"
            " ...Array.from(document.querySelectorAll('*')).map(e => e.scrollHeight))"
        )
        page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12000)})
        page.wait_for_timeout(200)
    try:
        page.screenshot(path=str(path), full_page=full_page)
    finally:
        if size:
            page.set_viewport_size(size)
    return path


def sign_in(page: Any, name: str, home: str = ".audit-home") -> None:
    """On the single-user default, choose who you are (a remembered person is changed), then
    wait for the app's screen ``home``."""
    # the remembered person's screen, the picker, or a refusal (a person without the role)
    page.locator(f"{home}, .person-picker, .toolkit-message .msg-error").first.wait_for(
        timeout=APP_TIMEOUT_MS
    )
    if page.locator(".person-picker").count() == 0:
        page.click(".change-person")
    picker = page.locator(".person-picker select")
    picker.wait_for()
    picker.select_option(value=picker.locator("option", has_text=name).first.get_attribute("value"))
    page.click(".person-continue")
    page.locator(".app-header", has_text=name).wait_for()
    page.locator(home).first.wait_for(timeout=APP_TIMEOUT_MS)
    wait_until_remembered(page)


#: True once the page's latest choice reached the server and its cookie answer came back (the
#: handler answers a 1×1 image; a refused ticket gets a 403, which leaves naturalWidth at 0).
REMEMBERED_JS = """() => {
  const img = document.querySelector('.person-remembered img');
  return img !== null && img.complete && img.naturalWidth === 1;
}"""


def wait_until_remembered(page: Any) -> None:
    """Wait until this browser's cookie holds the person just chosen, so the next page (a
    reload, a new tab, another notebook) opens as them."""
    page.wait_for_function(REMEMBERED_JS, timeout=APP_TIMEOUT_MS)


def chosen_person_cookie(server: Any, person_id: int, demo: bool = False) -> dict[str, Any]:
    """The cookie of a browser that has chosen ``person_id`` on ``server`` (anything with
    ``.url`` and ``.data_dir``), made as the person picker and ``/sos/choose-person`` make it."""
    from urllib.parse import urlsplit

    from toolkit.store import chosen_people

    ticket = chosen_people.new_ticket(person_id, demo, Path(server.data_dir))
    token = chosen_people.redeem(ticket, None, Path(server.data_dir))
    return {
        "name": chosen_people.cookie_name(Path(server.data_dir)),
        "value": token,
        "domain": urlsplit(server.url).hostname,
        "path": "/",
        "httpOnly": True,
        "sameSite": "Strict",
    }


def remember_person(context: Any, server: Any, person: Any, demo: bool = False) -> None:
    """Make ``context`` (a Playwright browser context) a browser that has chosen ``person``."""
    context.add_cookies([chosen_person_cookie(server, person.id, demo)])


def field_selector(key: str) -> str:
    """CSS selector of a form field's box from its key ``group.field``."""
    return "." + field_css_class(key)


def wait_for_stored(
    read: Callable[[], Any],
    holds: Callable[[Any], bool],
    what: str,
    timeout: float = STORED_TIMEOUT,
) -> Any:
    """Poll the store until what ``read()`` returns satisfies ``holds``; return it.

    A page's "Saved" line, a tick or a new screen shows that the browser's change reached the
    kernel's widgets, not always that its save committed: a test that goes on to a reload, another
    kernel or the command line waits here for the value itself. Fails after ``timeout`` seconds
    naming ``what`` and the last value read.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if holds(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{what} was never stored within {timeout:.0f}s; last read: {value!r}"
            )
        time.sleep(STORED_POLL)
