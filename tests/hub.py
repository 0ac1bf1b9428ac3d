"""A real JupyterHub on loopback for the multi-user tests and the Hub benchmark (import with
``from hub import LocalHub``): the repository's ``deploy/jupyterhub/jupyterhub_config.py`` with
the shared-password log-in, a private PostgreSQL, and ``configurable-http-proxy``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from pg import LocalPostgres, _free_port, postgres_bin

REPO_DIR = Path(__file__).resolve().parents[1]
CONFIG = REPO_DIR / "deploy" / "jupyterhub" / "jupyterhub_config.py"
LOCAL_CHP = REPO_DIR / ".cache" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "loopback-only-test-password"
START_TIMEOUT = 90


def chp_command() -> str | None:
    """The proxy ``test.sh`` installs from the npm registry, else one on PATH."""
    return str(LOCAL_CHP) if LOCAL_CHP.exists() else shutil.which("configurable-http-proxy")


def require_hub_tools(test: str = "The Hub test") -> None:
    """Skip the calling test when PostgreSQL or the proxy is missing, saying which; under
    ``CI=true`` fail instead: CI must not pass without having run the Hub."""
    import pytest

    missing = [
        what
        for what, found in (
            ("PostgreSQL (apt-get install -y postgresql)", postgres_bin()),
            ("configurable-http-proxy (npm install configurable-http-proxy)", chp_command()),
        )
        if not found
    ]
    if missing:
        message = f"{test} needs " + " and ".join(missing) + "; test.sh installs both."
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


class LocalHub:
    """JupyterHub + PostgreSQL on 127.0.0.1; ``url`` is the proxy's public address."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        """``env``: more environment for the Hub, over the defaults below (e.g. another
        ``SOS_HUB_AUTHENTICATOR`` and its settings)."""
        self.extra_env = dict(env or {})
        self.pg = LocalPostgres()
        self.state = Path(tempfile.mkdtemp(prefix="sos-hub-"))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.state / "hub.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> LocalHub:
        self.pg.start()
        env = {
            **os.environ,
            "SOS_TOOLKIT_DATABASE_URL": self.pg.url,
            "SOS_HUB_STATE_DIR": str(self.state),
            "SOS_HUB_AUTHENTICATOR": "shared-password",
            "SOS_HUB_SHARED_PASSWORD": PASSWORD,
            "SOS_HUB_BIND_URL": self.url,
            "SOS_HUB_API_PORT": str(_free_port()),
            "SOS_HUB_PROXY_API_PORT": str(_free_port()),
            "SOS_HUB_CHP": chp_command() or "configurable-http-proxy",
            **self.extra_env,
        }
        env.pop("JUPYTERHUB_USER", None)
        jupyterhub = Path(sys.executable).parent / "jupyterhub"
        self.process = subprocess.Popen(
            [str(jupyterhub), "-f", str(CONFIG)],
            cwd=self.state,
            env=env,
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the proxy and servers stop with it
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited:\n{self.log()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api", timeout=2):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        raise RuntimeError(f"JupyterHub did not answer in {START_TIMEOUT}s:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def store(self):
        from toolkit.store import Store

        return Store(self.pg.owner_url)  # seeded as the administrator; servers get pg.url

    def log_in(
        self, page: Any, username: str, timeout: float = 120_000, password: str = PASSWORD
    ) -> None:
        """Log in on the Hub's page; the person's server starts and opens the audit app."""
        self.submit_log_in(page, username, password)
        page.locator(".audit-app").wait_for(timeout=timeout)

    def submit_log_in(self, page: Any, username: str, password: str = PASSWORD) -> None:
        """Fill in and send the Hub's log-in form (what follows is the caller's to check)."""
        page.goto(f"{self.url}/hub/login", wait_until="domcontentloaded")
        page.fill("#username_input", username)
        page.fill("#password_input", password)
        page.click("#login_submit")

    def render_url(self, username: str, notebook: str = "audit.ipynb", query: str = "") -> str:
        url = f"{self.url}/user/{username}/voila/render/{notebook}"
        return f"{url}?{query.lstrip('?')}" if query else url

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the Hub stops the servers it started
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.pg.stop()
        shutil.rmtree(self.state, ignore_errors=True)
