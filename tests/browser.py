"""Helpers for the browser tests (import with ``from browser import open_app, screenshot``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parents[1]
SCREENSHOTS_DIR = REPO_DIR / "screenshots"
APP_TIMEOUT_MS = 60_000


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
    """Save a PNG of the page as ``screenshots/<name>.png`` at the repository root."""
    SCREENSHOTS_DIR.mkdir(exist_ok=True)
    path = SCREENSHOTS_DIR / (name if name.endswith(".png") else f"{name}.png")
    page.screenshot(path=str(path), full_page=full_page)
    return path
