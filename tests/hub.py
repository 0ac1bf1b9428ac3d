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

from pg import LocalPostgres, _free_port

REPO_DIR = Path(__file__).resolve().parents[1]
CONFIG = REPO_DIR / "deploy" / "jupyterhub" / "jupyterhub_config.py"
LOCAL_CHP = REPO_DIR / ".cache" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "loopback-only-test-password"
START_TIMEOUT = 90


def chp_command() -> str | None:
    """The proxy ``test.sh`` installs from the npm registry, else one on PATH."""
    return str(LOCAL_CHP) if LOCAL_CHP.exists() else shutil.which("configurable-http-proxy")


class LocalHub:
    """JupyterHub + PostgreSQL on 127.0.0.1; ``url`` is the proxy's public address."""

    def __init__(self) -> None:
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

    def log_in(self, page: Any, username: str, timeout: float = 120_000) -> None:
        """Log in on the Hub's page; the person's server starts and opens the audit app."""
        page.goto(f"{self.url}/hub/login", wait_until="domcontentloaded")
        page.fill("#username_input", username)
        page.fill("#password_input", PASSWORD)
        page.click("#login_submit")
        page.locator(".audit-app").wait_for(timeout=timeout)

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
