"""A real Voilà server for the browser tests: ``python -m toolkit serve`` on a free loopback
port with a data folder of its own (``tests/e2e/conftest.py`` makes it the fixture
``voila_server``; a test that needs a server of its own calls :func:`start_voila_server`)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]
SERVER_START_TIMEOUT = 90  # seconds; the first start compiles nothing, but CI machines are slow


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
                [
                    sys.executable,
                    "-m",
                    "toolkit",
                    "serve",
                    "--port",
                    str(self.port),
                    *self.extra_args,
                ],
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
