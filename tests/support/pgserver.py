"""A throwaway PostgreSQL server for the store tests: Debian's ``postgresql`` binaries, a data
folder under /tmp made with ``initdb``, listening on 127.0.0.1 only, trust auth for loopback.

PostgreSQL refuses to run as root, so when the tests run as root the server runs as the
``postgres`` user that Debian's package creates (``runuser -u postgres``).

In CI (``CI=true``) a missing PostgreSQL is a failure, never a skip: CI must not pass without
having run the store suite on PostgreSQL. Locally it skips with the reason.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

INSTALL_HINT = "apt-get install -y postgresql (bash test.sh does this)"


def _bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<major>/bin`` that has initdb (Debian does not put
    initdb or pg_ctl on PATH), else whatever PATH has."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


#: The two roles every test database has (``toolkit/store/roles.py``): the owner sets the
#: schema up, the servers' role is what the tests and the Hub's servers normally use.
OWNER_ROLE = "toolkit_owner"
SERVERS_ROLE = "toolkit_servers"


def unavailable(reason: str) -> None:
    """Fail in CI, skip locally."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}. {INSTALL_HINT}", pytrace=False)
    pytest.skip(f"PostgreSQL not available: {reason}. {INSTALL_HINT}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self) -> None:
        bin_dir = _bin_dir()
        if bin_dir is None:
            raise FileNotFoundError("initdb not found")
        self.bin = bin_dir
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="sos-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")  # KeyError when the package is not installed
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.superuser = "postgres"

    def _run(self, *command: str) -> None:
        subprocess.run(
            [*self.as_user, *command], check=True, capture_output=True, text=True, timeout=120
        )

    def start(self) -> PostgresServer:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            self.superuser,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories='{self.root}' "
            "-c fsync=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", "60", "start",
        )  # fmt: skip
        self._admin(f"CREATE ROLE {OWNER_ROLE} LOGIN; CREATE ROLE {SERVERS_ROLE} LOGIN")
        return self

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", role: str | None = None) -> str:
        return f"postgresql+psycopg://{role or self.superuser}@127.0.0.1:{self.port}/{database}"

    def as_role(self, url: str, role: str) -> str:
        """The same database, connected as ``role`` (``OWNER_ROLE``, ``SERVERS_ROLE``, …)."""
        return self.url(url.rsplit("/", 1)[1], role)

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={self.superuser} dbname=postgres",
            autocommit=True,
        ) as conn:
            conn.execute(sql)

    def new_database(
        self, role: str = SERVERS_ROLE, set_up: bool = True, name: str | None = None
    ) -> str:
        """A fresh database owned by ``OWNER_ROLE``, its tables made and the servers' role
        granted as a council's administrator does (``setup-database``), unless ``set_up`` is
        False; returns its SQLAlchemy URL as ``role`` (by default the servers' role)."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}" OWNER {OWNER_ROLE}')
        if set_up:
            from toolkit.store.roles import setup_database
            from toolkit.store.store import make_engine

            engine = make_engine(self.url(name, OWNER_ROLE))
            try:
                setup_database(engine, SERVERS_ROLE)
            finally:
                engine.dispose()
        return self.url(name, role)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with contextlib.suppress(Exception):
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_or_explain() -> PostgresServer:
    """Start a server, or skip/fail (see the module docstring) saying why it could not."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("the psycopg driver is not installed (pip install -e '.[test]')")
    try:
        server = PostgresServer()
    except (FileNotFoundError, KeyError) as exc:
        unavailable(f"the postgresql package is not installed ({exc})")
    try:
        return server.start()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", "") or ""
        log = server.log.read_text(errors="replace")[-2000:] if server.log.exists() else ""
        server.stop()
        unavailable(f"it did not start ({exc}; {detail.strip()[-500:]} {log})")
    raise AssertionError("not reached")


def empty_database(
    request: pytest.FixtureRequest, kind: str, sqlite_file: Path, role: str = SERVERS_ROLE
):
    """Yield the URL of a fresh database of ``kind`` ("sqlite" or "postgresql") with no rows
    and drop it afterwards: one way for every fixture that needs a database of either kind.
    PostgreSQL's is set up by its owner and handed over as the servers' role, as the Hub's
    servers get it; a test that needs the owner (a restore) asks with ``role=OWNER_ROLE``."""
    if kind == "sqlite":
        yield f"sqlite:///{sqlite_file}"
        return
    server = request.getfixturevalue("postgres_server")
    url = server.new_database(role)
    yield url
    server.drop_database(url)
