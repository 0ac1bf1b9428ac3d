"""Fixtures of the browser tests: a real Voilà server per module and headless Chromium via
Playwright.

Browser tests use Debian's ``chromium`` found on PATH (``test.sh`` installs it); when it is
missing they fail, never skip, so CI cannot pass without having driven a browser.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator

import pytest

from tests.support.browser import CHROMIUM_ARGS, SCREENSHOTS_DIR
from tests.support.voila import VoilaServer, start_voila_server


@pytest.fixture(scope="module")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """A Voilà server for the test module, on a free loopback port, with its own data folder
    (demo data seeded on start). Always stopped at the end, kernels included."""
    server = start_voila_server(tmp_path_factory.mktemp("voila"))
    try:
        yield server
    finally:
        server.close()


# --- browser ----------------------------------------------------------------------------------

#: What a page logs that a failed test shows (Voilà and the widgets report their errors so).
NOTED = {"error", "warning"}


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (sync API). Fails when chromium is missing."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Browser tests need Debian's chromium on PATH and it was not found. "
            "Install it with: apt-get install -y chromium fonts-dejavu-core (test.sh does this).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
    except Exception as exc:  # noqa: BLE001 - any failure to start is reported as this one
        playwright.stop()
        pytest.fail(
            f"Chromium at {executable} did not start under Playwright: {exc}", pytrace=False
        )
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):
    """A new browser context (1366×768) and page for one test; on failure a screenshot is
    saved as ``screenshots/FAILED-<test>.png``."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(30_000)
    said: list[str] = []  # the pages' errors and warnings, shown when the test fails
    context.on(
        "console",
        lambda m: said.append(f"console {m.type}: {m.text}") if m.type in NOTED else None,
    )
    context.on("weberror", lambda e: said.append(f"uncaught: {e.error}"))
    the_page = context.new_page()
    try:
        yield the_page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            SCREENSHOTS_DIR.mkdir(exist_ok=True)
            name = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
            with contextlib.suppress(Exception):
                the_page.screenshot(
                    path=str(SCREENSHOTS_DIR / f"FAILED-{name}.png"), full_page=True
                )
            (SCREENSHOTS_DIR / f"FAILED-{name}.console.txt").write_text("\n".join(said) + "\n")
            print("--- the page said ---", *said[-40:], sep="\n")
        context.close()
