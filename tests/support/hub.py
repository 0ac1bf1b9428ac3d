"""A real JupyterHub on loopback for the multi-user tests and the Hub benchmark (import with
``from tests.support.hub import LocalHub``): the repository's
``deploy/jupyterhub/jupyterhub_config.py`` with the shared-password log-in, a private
PostgreSQL, and ``configurable-http-proxy``.

As deployed, the Hub runs as root and each person's server as a system account of its own, from
the toolkit that ``deploy/jupyterhub/install.sh`` installs: once per test session into a fresh
folder (its virtual environment is kept in ``/var/tmp/sos-toolkit-venvs/`` while pyproject.toml
is unchanged, so only the first session builds it, in a few minutes). The accounts a Hub made are
deleted when it stops.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.pg import LocalPostgres, _free_port, postgres_bin

REPO_DIR = Path(__file__).resolve().parents[2]
CONFIG = REPO_DIR / "deploy" / "jupyterhub" / "jupyterhub_config.py"
LOCAL_CHP = REPO_DIR / ".cache" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "loopback-only-test-password"
INSTALL = REPO_DIR / "deploy" / "jupyterhub" / "install.sh"
VENVS = Path(os.environ.get("SOS_TOOLKIT_TEST_VENVS", "/var/tmp/sos-toolkit-venvs"))
START_TIMEOUT = 90
_prefix: Path | None = None


def chp_command() -> str | None:
    """The proxy ``test.sh`` installs from the npm registry, else one on PATH."""
    return str(LOCAL_CHP) if LOCAL_CHP.exists() else shutil.which("configurable-http-proxy")


def require_hub_tools(test: str = "The Hub test") -> None:
    """Skip the calling test when PostgreSQL, the proxy or root is missing, saying which; under
    ``CI=true`` fail instead: CI must not pass without having run the Hub."""
    missing = [
        what
        for what, found in (
            ("PostgreSQL (apt-get install -y postgresql)", postgres_bin()),
            ("configurable-http-proxy (npm install configurable-http-proxy)", chp_command()),
            ("root, to start each person's server as their own account", os.geteuid() == 0),
        )
        if not found
    ]
    if missing:
        message = f"{test} needs " + " and ".join(missing) + "; test.sh installs the first two."
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def toolkit_prefix() -> Path:
    """This checkout installed as the people's servers run it (``install.sh``), once per session,
    in a folder of its own so that sessions of other checkouts never share it."""
    global _prefix
    if _prefix is None:
        folder = Path(tempfile.mkdtemp(prefix="sos-toolkit-prefix-"))
        folder.chmod(0o755)  # the servers' accounts pass through to PREFIX
        atexit.register(shutil.rmtree, folder, True)
        venv = VENVS / hashlib.sha256((REPO_DIR / "pyproject.toml").read_bytes()).hexdigest()[:12]
        import jupyterhub

        done = subprocess.run(
            ["bash", str(INSTALL), str(folder / "toolkit")],
            env={
                **os.environ,
                "SOS_TOOLKIT_VENV": str(venv),
                "SOS_HUB_JUPYTERHUB": f"jupyterhub=={jupyterhub.__version__}",
            },
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if done.returncode != 0:
            raise RuntimeError(f"install.sh failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        _prefix = folder / "toolkit"
    return _prefix


@pytest.fixture(name="hub", scope="module")
def running_hub() -> Iterator[LocalHub]:
    """The fixture ``hub`` (``from tests.support.hub import running_hub`` in a test module): a
    started Hub for the module, stopped afterwards. What it needs (PostgreSQL, the proxy, root)
    missing fails the test in CI and skips it elsewhere."""
    require_hub_tools()
    the_hub = LocalHub()
    try:
        the_hub.start()
        yield the_hub
    except BaseException:
        print(the_hub.log()[-5000:])
        raise
    finally:
        the_hub.stop()


def load_hub_config(monkeypatch: Any, tmp_path: Path, **env: str) -> Any:
    """The Hub's configuration as JupyterHub loads it, with ``env`` over a database URL that is
    never connected to: its start-up check of the servers' role is stood in for here (the real
    check is proved against PostgreSQL in ``tests/store/test_database_roles.py``)."""
    from traitlets.config.loader import PyFileConfigLoader

    monkeypatch.setattr("toolkit.store.roles.check_servers_url", lambda _url: [])
    for key, value in {
        "SOS_TOOLKIT_DATABASE_URL": "postgresql+psycopg://toolkit@db.example/toolkit",
        "SOS_HUB_STATE_DIR": str(tmp_path / "hub"),
        **env,
    }.items():
        monkeypatch.setenv(key, value)
    return PyFileConfigLoader(CONFIG.name, str(CONFIG.parent)).load_config()


class LocalHub:
    """JupyterHub + PostgreSQL on 127.0.0.1; ``url`` is the proxy's public address."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        """``env``: more environment for the Hub, over the defaults below (e.g. another
        ``SOS_HUB_AUTHENTICATOR`` and its settings)."""
        self.extra_env = dict(env or {})
        self.pg = LocalPostgres()
        self.state = Path(tempfile.mkdtemp(prefix="sos-hub-"))  # mode 700: the Hub's alone
        self.servers = Path(tempfile.mkdtemp(prefix="sos-hub-servers-"))  # homes, shared data
        self.servers.chmod(0o755)
        self.homes = self.servers / "homes"
        # account names of this Hub's own, so that two test sessions on one machine never share
        self.account_prefix = f"sos{secrets.token_hex(2)}-"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.state / "hub.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> LocalHub:
        self.prefix = toolkit_prefix()
        self.pg.start()
        env = {
            **os.environ,
            "SOS_TOOLKIT_DATABASE_URL": self.pg.url,
            "SOS_HUB_STATE_DIR": str(self.state),
            "SOS_HUB_TOOLKIT_PREFIX": str(self.prefix),
            "SOS_HUB_HOMES_DIR": str(self.homes),
            "SOS_HUB_ACCOUNT_PREFIX": self.account_prefix,
            "SOS_HUB_DATA_DIR": str(self.servers / "data"),
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
        with self.log_path.open("w") as log:  # the Hub keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [str(jupyterhub), "-f", str(CONFIG)],
                cwd=self.state,
                env=env,
                stdout=log,
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

    def accounts(self) -> list[pwd.struct_passwd]:
        """The system accounts this Hub's servers run as (their homes are in ``homes``)."""
        return [a for a in pwd.getpwall() if Path(a.pw_dir).parent == self.homes]

    def home(self, username: str) -> Path:
        from toolkit.hub.spawner import account_name

        return self.homes / account_name(username, self.account_prefix)

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

    def new_page(self, browser: Any, username: str) -> Any:
        """A new browser context logged in as ``username``, on the audit app (close its
        ``.context`` when done)."""
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        context.set_default_timeout(30_000)
        page = context.new_page()
        try:
            self.log_in(page, username)
        except BaseException:
            context.close()
            raise
        return page

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
        for account in self.accounts():
            for pid in _processes_of(account.pw_uid):  # what this Hub's servers left running
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            subprocess.run(["userdel", account.pw_name], capture_output=True, timeout=60)
        shutil.rmtree(self.state, ignore_errors=True)
        shutil.rmtree(self.servers, ignore_errors=True)


def _processes_of(uid: int) -> list[int]:
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            uids = next(line for line in status.read_text().splitlines() if line.startswith("Uid:"))
            if int(uids.split()[1]) == uid:
                pids.append(int(status.parent.name))
    return pids
