"""Shared fixtures: a temporary store, a real Voilà server, and headless Chromium via Playwright.

Browser tests use Debian's ``chromium`` found on PATH (``test.sh`` installs it); when it is
missing they fail, never skip, so CI cannot pass without having driven a browser.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import CHROMIUM_ARGS

REPO_DIR = Path(__file__).resolve().parents[1]
SCREENSHOTS_DIR = REPO_DIR / "screenshots"
SERVER_START_TIMEOUT = 90  # seconds; the first start compiles nothing, but CI machines are slow


# --- store ------------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder; ``SOS_TOOLKIT_DATA_DIR`` points at it for the test's duration."""
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("SOS_TOOLKIT_DATA_DIR", str(path))
    monkeypatch.delenv("SOS_TOOLKIT_DATABASE_URL", raising=False)
    return path


@pytest.fixture
def store(data_dir: Path):
    """A :class:`toolkit.store.Store` on a new SQLite file in ``data_dir``."""
    from toolkit.store import Store

    the_store = Store(f"sqlite:///{data_dir / 'toolkit.sqlite'}")
    yield the_store
    the_store.close()


@pytest.fixture(autouse=True)
def _no_chosen_person_cookie(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts as a browser that has chosen nobody; ``chosen.choose`` sets the
    page's cookie, and it is put back after the test."""
    monkeypatch.setenv("HTTP_COOKIE", "")


@pytest.fixture
def app_store(store, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """``store``, for building an app as a page would outside JupyterHub: no Hub user and no
    query string (a test sets the ones it needs)."""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    return store


# --- Voilà server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class VoilaServer:
    """``python -m toolkit serve`` in its own process group, on a loopback port.

    Attributes
    ----------
    url : str
        ``http://127.0.0.1:<port>`` (no trailing slash).
    data_dir : pathlib.Path
        The server's data folder (its SQLite store lives here).
    log_path : pathlib.Path
        Everything the server printed.
    """

    def __init__(self, data_dir: Path, log_path: Path, port: int | None = None):
        self.data_dir = Path(data_dir)
        self.log_path = Path(log_path)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self._stores: list = []
        self.extra_args: list[str] = []  # more ``toolkit serve`` options, e.g. --notebooks DIR

    # lifecycle ---------------------------------------------------------------------------
    def start(self, timeout: float = SERVER_START_TIMEOUT) -> VoilaServer:
        env = {**os.environ, "SOS_TOOLKIT_DATA_DIR": str(self.data_dir)}
        env.pop("SOS_TOOLKIT_DATABASE_URL", None)
        env.pop("JUPYTERHUB_USER", None)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "toolkit", "serve", "--port", str(self.port)]
                + self.extra_args,
                cwd=REPO_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill() reaches the kernels too
            )
        self._wait_until_up(timeout)
        return self

    def _wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(
                    f"The Voilà server exited (code {self.process and self.process.returncode}) "
                    f"before answering.\n--- its log ---\n{self.log()[-4000:]}"
                )
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5) as response:
                    response.read()
                return
            except urllib.error.HTTPError:
                return  # it answered, if not with 200: it is up
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.25)
        self.kill()
        raise RuntimeError(
            f"The Voilà server did not answer within {timeout:.0f}s.\n--- its log ---\n"
            f"{self.log()[-4000:]}"
        )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _signal_group(self, sig: int) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, sig)

    def kernel_pids(self) -> list[int]:
        """The server's child processes (its kernels). jupyter_client starts each kernel in a
        session of its own, so signalling the server's process group does not reach them."""
        if self.process is None:
            return []
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    children.append(int(stat.parent.name))
        return children

    @staticmethod
    def _kill_pids(pids: list[int]) -> None:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)

    def stop(self, timeout: float = 15) -> None:
        """Stop gracefully (SIGTERM: Voilà shuts its kernels down), then SIGKILL what is left."""
        if self.process is None:
            return
        kernels = self.kernel_pids()
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout)
        self._signal_group(signal.SIGKILL)
        self._kill_pids(kernels)  # any kernel that outlived the server
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)

    def kill(self) -> None:
        """SIGKILL the server and its kernels at once, as a crash or power cut would."""
        if self.process is None:
            return
        kernels = self.kernel_pids()
        self._signal_group(signal.SIGKILL)
        self._kill_pids(kernels)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(10)

    def restart(self, timeout: float = SERVER_START_TIMEOUT) -> VoilaServer:
        """Stop if running, then start again on the same port and data folder."""
        self.stop()
        return self.start(timeout)

    # looking in ----------------------------------------------------------------------------
    def store(self):
        """A :class:`toolkit.store.Store` on the server's database (closed at teardown)."""
        from toolkit.store import Store

        the_store = Store(f"sqlite:///{self.data_dir / 'toolkit.sqlite'}")
        self._stores.append(the_store)
        return the_store

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def render_url(self, notebook: str = "audit.ipynb", query: str = "") -> str:
        return f"{self.url}/voila/render/{notebook}" + (f"?{query.lstrip('?')}" if query else "")

    def close(self) -> None:
        for the_store in self._stores:
            the_store.close()
        self._stores.clear()
        self.stop()


def start_voila_server(folder: Path, attempts: int = 3) -> VoilaServer:
    """Start a server with a new data folder under ``folder``; retry on another port if the
    one picked was taken in between (Voilà is started with ``port_retries=0``)."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    last_error: Exception | None = None
    for attempt in range(attempts):
        server = VoilaServer(data, folder / f"voila-{attempt}.log")
        try:
            return server.start()
        except RuntimeError as exc:
            server.close()
            last_error = exc
    raise RuntimeError(f"Voilà did not start in {attempts} attempts") from last_error


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
    except Exception as exc:
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
        context.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A browser test that fails is run once more (machines here are noisy); a second failure fails."""
    for item in items:
        if item.get_closest_marker("e2e") and not item.get_closest_marker("flaky"):
            item.add_marker(pytest.mark.flaky(reruns=1))


# --- databases: the store suite runs on SQLite and on a real PostgreSQL ----------------------


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server on loopback for the whole session (see ``tests/pgserver.py``):
    fails in CI when PostgreSQL is missing, skips locally with the reason."""
    from pgserver import start_or_explain

    server = start_or_explain()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: an SQLite file, or a new PostgreSQL database per test."""
    from pgserver import empty_database

    yield from empty_database(request, request.param, tmp_path / "t.sqlite")
