"""Each person's server under a system account of their own, on the single-machine Hub.

:class:`AccountSpawner` is JupyterHub's :class:`LocalProcessSpawner`, with the account made for
the person rather than expected to exist:

- the Hub user ``pat`` is the system account ``sos-pat`` (:func:`account_name`), made with
  ``useradd`` on their first log-in: no password, no shell, a group of its own, plus the servers'
  group that may use the shared data folder;
- their home (``SOS_HUB_HOMES_DIR/sos-pat``, outside the Hub's state folder) is theirs alone,
  mode 700, and is made empty at every start of their server, so nothing left in it by one
  session is read by the next;
- the server runs the toolkit installed by ``deploy/jupyterhub/install.sh`` (root's files, which
  the account can read but not change), with an environment that names every Jupyter and IPython
  place to look for configuration outside the home, and no Python user site-packages.

The Hub must run as root (it starts processes as other users); where it cannot, JupyterHub's
``sudospawner`` is the documented alternative.
"""

from __future__ import annotations

import asyncio
import contextlib
import grp
import hashlib
import os
import pwd
import re
import secrets
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Unicode, default

from toolkit.server.serve import template_root

#: The comment (GECOS) of every account this spawner makes: it never runs a server under an
#: account that lacks it (``sos-root`` made by someone else, say).
ACCOUNT_MARK = "SoS toolkit Hub server"
#: Debian's rule for account names (``NAME_REGEX``), and their longest length.
ACCOUNT_NAME = re.compile(r"[a-z][-a-z0-9_]*")
ACCOUNT_NAME_MAX = 32
NO_SHELL = "/usr/sbin/nologin"
REPORT_KEY_FILE = "report_key"
#: Variables that tell Python, Jupyter or IPython where to look for code or configuration: only
#: the ones this spawner sets reach a person's server.
LOOKUP_VARIABLE = re.compile(r"(PYTHON|JUPYTER_|IPYTHON|MPL)")

_accounts_lock = threading.Lock()  # useradd refuses to run while another holds /etc/passwd


def account_name(username: str, prefix: str = "sos-") -> str:
    """The system account of a Hub user: ``sos-pat`` for ``pat``. A username that is not a valid
    account name as it stands (``Priya.Shah@council.gov.uk``) or too long is cleaned, shortened
    and given eight hex digits of its hash, so two people never share an account."""
    clean = re.sub(r"[^a-z0-9_-]+", "-", username.lower()).strip("-_")
    name = prefix + clean
    if clean == username and len(name) <= ACCOUNT_NAME_MAX and ACCOUNT_NAME.fullmatch(name):
        return name
    digest = hashlib.sha256(username.encode()).hexdigest()[:8]
    room = ACCOUNT_NAME_MAX - len(prefix) - len(digest) - 1
    return f"{prefix}{clean[:room].rstrip('-_')}-{digest}".replace("--", "-")


def _run(*command: str, attempts: int = 5) -> None:
    """Run an account command; again, a little later, while another process holds the lock
    on /etc/passwd or /etc/group (another Hub on the machine making an account)."""
    for attempt in range(1, attempts + 1):
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if done.returncode == 0:
            return
        if "lock" not in done.stderr or attempt == attempts:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()}")
        time.sleep(0.2 * attempt)


def ensure_group(group: str) -> int:
    """The servers' group (made when missing); returns its gid."""
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        pass
    try:
        _run("groupadd", "--system", group)
    except RuntimeError:
        if not _group_exists(group):  # made meanwhile by another Hub: as good
            raise
    return grp.getgrnam(group).gr_gid


def _group_exists(group: str) -> bool:
    try:
        grp.getgrnam(group)
    except KeyError:
        return False
    return True


def ensure_account(name: str, home: Path, group: str) -> pwd.struct_passwd:
    """The account ``name`` with ``home``, in ``group``: made when missing, refused when it
    exists but this spawner did not make it."""
    with _accounts_lock:
        try:
            found = pwd.getpwnam(name)
        except KeyError:
            _run(
                "useradd", "--home-dir", str(home), "--no-create-home", "--shell", NO_SHELL,
                "--user-group", "--groups", group, "--comment", ACCOUNT_MARK, name,
            )  # fmt: skip
            return pwd.getpwnam(name)
        if found.pw_uid == 0 or found.pw_gecos != ACCOUNT_MARK:
            raise RuntimeError(
                f"The system account {name} exists but was not made by the toolkit's Hub: "
                "no server is started under it."
            )
        if found.pw_dir != str(home):  # SOS_HUB_HOMES_DIR was moved
            _run("usermod", "--home", str(home), name)
        if name not in grp.getgrnam(group).gr_mem:
            _run("usermod", "--append", "--groups", group, name)
        return pwd.getpwnam(name)


def fresh_home(home: Path, account: pwd.struct_passwd) -> None:
    """An empty home owned by ``account``, mode 700, in a folder only root may change."""
    homes = home.parent
    if not homes.exists():
        homes.mkdir(parents=True)
        homes.chmod(0o711)  # each account may pass through to its own home, not list the others
    if homes.stat().st_uid != 0 or homes.stat().st_mode & 0o022:
        raise RuntimeError(f"{homes} must be root's and not writable by others.")
    if home.is_symlink():
        home.unlink()
    elif home.exists():
        shutil.rmtree(home)
    home.mkdir(mode=0o700)
    os.chown(home, account.pw_uid, account.pw_gid)
    home.chmod(0o700)


def shared_data_folder(path: Path, gid: int) -> bytes:
    """The data folder every server shares (the training store, where each person left off):
    root's, writable by the servers' group only. Returns the reports' pseudonym key, kept
    there for root alone and handed to servers in their environment."""
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, 0, gid)
    path.chmod(0o2770)  # new files and folders keep the group
    key = path / REPORT_KEY_FILE
    if not key.exists():
        fresh = path / f".{REPORT_KEY_FILE}.{os.getpid()}"
        fresh.write_bytes(secrets.token_hex(32).encode())
        fresh.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(fresh, key)  # first writer wins
        fresh.unlink()
    os.chown(key, 0, 0)
    key.chmod(0o600)
    return key.read_bytes().strip()


class AccountSpawner(LocalProcessSpawner):
    """A person's server as their own system account (see the module's text)."""

    toolkit_prefix = Unicode(
        "/opt/sos-toolkit",
        config=True,
        help="Where deploy/jupyterhub/install.sh put the toolkit (app/) and its Python (venv/).",
    )
    homes_dir = Unicode(
        "/var/lib/sos-toolkit-homes",
        config=True,
        help="The folder of the servers' homes; not inside the Hub's state folder.",
    )
    data_dir = Unicode(
        "/var/lib/sos-toolkit-data",
        config=True,
        help="The data folder all servers share (SOS_TOOLKIT_DATA_DIR).",
    )
    account_prefix = Unicode("sos-", config=True, help="Prefix of the servers' account names.")
    servers_group = Unicode("sos-toolkit", config=True, help="The group of every server's account.")

    @default("disable_user_config")
    def _no_user_config(self) -> bool:
        return True  # JUPYTERHUB_DISABLE_USER_CONFIG: the server ignores config in the home

    @default("env_keep")
    def _keep_only_the_language(self) -> list[str]:
        return ["LANG", "LC_ALL"]  # not the Hub's PATH, PYTHONPATH or virtual environment

    @property
    def account(self) -> str:
        return account_name(self.user.name, self.account_prefix)

    @property
    def home(self) -> Path:
        return Path(self.homes_dir) / self.account

    def _prepare(self) -> None:
        if os.geteuid() != 0:
            raise RuntimeError(
                "The Hub must run as root to start each person's server under their own "
                "account (or use JupyterHub's sudospawner)."
            )
        gid = ensure_group(self.servers_group)
        self._report_key = shared_data_folder(Path(self.data_dir), gid)
        fresh_home(self.home, ensure_account(self.account, self.home, self.servers_group))

    async def start(self) -> Any:
        await asyncio.to_thread(self._prepare)
        return await super().start()

    def make_preexec_fn(self, name: str) -> Any:
        become = set_user_setuid(self.account, chdir=False)
        workdir = self.format_string(self.notebook_dir) or self.toolkit_prefix

        def preexec() -> None:
            os.umask(0o007)  # what a server writes in the shared folder, the others may read
            become()
            os.chdir(workdir)  # root's folder: nothing there the person wrote

        return preexec

    def user_env(self, env: dict[str, str]) -> dict[str, str]:
        prefix, home = Path(self.toolkit_prefix), self.home
        for name in [n for n in env if LOOKUP_VARIABLE.match(n)]:
            del env[name]
        env.update(
            USER=self.account,
            LOGNAME=self.account,
            HOME=str(home),
            SHELL=NO_SHELL,
            PATH=f"{prefix / 'venv' / 'bin'}:/usr/bin:/bin",
            PYTHONPATH=str(prefix / "app"),  # the toolkit, root's files
            PYTHONNOUSERSITE="1",  # no ~/.local/lib/python*/site-packages (nor its .pth files)
            JUPYTER_CONFIG_DIR=str(prefix / "etc" / "jupyter"),  # not ~/.jupyter
            # Jupyter's data folder stays ~/.local/share/jupyter (connection files, the notebook
            # signatures), written but never searched: JUPYTERHUB_DISABLE_USER_CONFIG takes the
            # home out of the server's search path for kernels, templates and extensions
            JUPYTER_PREFER_ENV_PATH="1",
            # the kernel found first is root's, and uses root's IPython profile (install.sh)
            # and then the toolkit's Voilà template (toolkit.server.serve.TEMPLATE_ROOT)
            JUPYTER_PATH=os.pathsep.join(
                (str(prefix / "share" / "jupyter"), str(template_root(prefix / "app")))
            ),
            IPYTHONDIR=str(home / ".ipython"),  # IPython makes this folder, then never reads it
            MPLCONFIGDIR=str(home / ".cache" / "matplotlib"),
            SOS_TOOLKIT_DATA_DIR=self.data_dir,
        )
        key = getattr(self, "_report_key", b"")  # read from the shared folder at start
        if key:
            env.setdefault("SOS_TOOLKIT_REPORT_KEY", key.decode())
        return env
