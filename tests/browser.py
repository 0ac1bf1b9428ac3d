"""Helpers for the browser tests (import with ``from browser import open_app, screenshot``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.ui.fields import field_css_class

REPO_DIR = Path(__file__).resolve().parents[1]
SCREENSHOTS_DIR = REPO_DIR / "screenshots"
APP_TIMEOUT_MS = 60_000
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


def field_selector(key: str) -> str:
    """CSS selector of a form field's box from its key ``group.field``."""
    return "." + field_css_class(key)
