"""The pieces that lock a person's server on the Hub, each on its own (no Hub needed):
account names, the authorizer's decisions, the guard's addresses and their place in tornado's
routing, the environment a server is given, its home, and the Hub configuration that uses them.
(``tests/e2e/test_hub_lockdown.py`` proves them together through a real Hub.)"""

from __future__ import annotations

import json
import logging
import os
import pwd
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import pytest
from jupyter_server.auth import IdentityProvider
from jupyter_server.services.kernels.handlers import KernelHandler, MainKernelHandler
from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

from tests.widgets.test_hub_identity import load_config
from toolkit.hub import server
from toolkit.hub.authorizer import AppsOnlyAuthorizer
from toolkit.hub.guard import refused_pattern
from toolkit.hub.spawner import (
    ACCOUNT_NAME,
    ACCOUNT_NAME_MAX,
    AccountSpawner,
    account_name,
    ensure_account,
    fresh_home,
    shared_data_folder,
)

KERNEL = "0b9e2c1e-4f2a-4c1b-9d1e-2a3b4c5d6e7f"
OTHER_KERNEL = "11111111-2222-3333-4444-555555555555"
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="making homes for accounts needs root")


# --- account names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username",
    ["pat", "priya.shah@council.gov.uk", "Pat", "a" * 60, "@@@", "x-1", "o'brien", "_svc"],
)
def test_every_hub_user_gets_a_valid_account_name_of_their_own(username):
    name = account_name(username)
    assert ACCOUNT_NAME.fullmatch(name)
    assert len(name) <= ACCOUNT_NAME_MAX
    assert name.startswith("sos-")
    assert account_name(username) == name  # the same every log-in


def test_account_names_keep_a_plain_username_and_never_collide():
    assert account_name("pat") == "sos-pat"
    names = ["priya.shah", "priya-shah", "Priya-Shah", "priya_shah", "a" * 40, "a" * 41]
    assert len({account_name(n) for n in names}) == len(names)


def test_an_account_the_hub_did_not_make_is_never_used(tmp_path):
    for name in ("root", "daemon"):  # uid 0, and a system account without the toolkit's mark
        with pytest.raises(RuntimeError, match="not made by the toolkit"):
            ensure_account(name, tmp_path / name, "root")


# --- the authorizer --------------------------------------------------------------------------


class HubScopes:
    """JupyterHub's HubOAuth as far as the authorizer uses it: this server is pat's."""

    oauth_scopes: ClassVar[set[str]] = {"access:servers!server=pat/"}

    def check_scopes(self, required, user):
        return required & set(user["scopes"])


def authorizer() -> AppsOnlyAuthorizer:
    identity = IdentityProvider()
    identity.hub_auth = HubScopes()
    return AppsOnlyAuthorizer(identity_provider=identity)


def handler(kind, method: str, kernel: str | None = KERNEL):
    """A jupyter-server handler of class ``kind`` for one request, on a server running KERNEL."""
    found = object.__new__(kind)
    found.application = SimpleNamespace(settings={"kernel_manager": {KERNEL}})
    found.request = SimpleNamespace(method=method, path=f"/user/pat/api/kernels/{kernel}")
    found.path_kwargs = {} if kernel is None else {"kernel_id": kernel}
    return found


PAT = SimpleNamespace(username="pat", hub_user={"scopes": ["access:servers!server=pat/"]})
SID = SimpleNamespace(username="sid", hub_user={"scopes": ["access:servers!server=sid/"]})


def test_the_authorizer_allows_what_voilas_page_does_on_its_own_kernel():
    auth = authorizer()
    assert auth.is_authorized(handler(KernelHandler, "GET"), PAT, "read", "kernels")
    assert auth.is_authorized(handler(KernelWebsocketHandler, "GET"), PAT, "execute", "kernels")


@pytest.mark.parametrize(
    ("kind", "method", "kernel", "action"),
    [
        (KernelHandler, "DELETE", KERNEL, "write"),  # shut the page's kernel down
        (MainKernelHandler, "GET", None, "read"),  # list the kernels
        (MainKernelHandler, "POST", None, "write"),  # start one
        (KernelWebsocketHandler, "GET", OTHER_KERNEL, "execute"),  # a kernel not running here
        (KernelHandler, "GET", OTHER_KERNEL, "read"),
    ],
)
def test_the_authorizer_refuses_every_other_kernel_action(kind, method, kernel, action):
    assert not authorizer().is_authorized(handler(kind, method, kernel), PAT, action, "kernels")


@pytest.mark.parametrize(
    "resource",
    ["contents", "sessions", "kernelspecs", "config", "server", "nbconvert", "events",
     "terminals", "csp", "api", "a-resource-added-later"],
)  # fmt: skip
@pytest.mark.parametrize("action", ["read", "write", "execute"])
def test_the_authorizer_refuses_every_other_resource(resource, action):
    assert not authorizer().is_authorized(handler(KernelHandler, "GET"), PAT, action, resource)


def test_the_authorizer_keeps_the_hubs_scope_check_and_logs_who_was_refused(caplog):
    auth = authorizer()
    auth.log = logging.getLogger("test-authorizer")
    with caplog.at_level(logging.WARNING, logger="test-authorizer"):
        assert not auth.is_authorized(
            handler(KernelWebsocketHandler, "GET"), SID, "execute", "kernels"
        )  # sid may not use pat's server, even on a page's kernel
    assert f"Refused sid: GET /user/pat/api/kernels/{KERNEL} (execute on kernels)" in caplog.text


# --- the guard -------------------------------------------------------------------------------

ALLOWED = [
    "", "api", "oauth_callback", "logout", "voila/render/audit.ipynb",
    "voila/render/supervision.ipynb", "voila/static/voila.js", "voila/templates/lab/static/x.css",
    "voila/labextensions/@jupyter-widgets/x.js", "static/favicon.ico", "favicon.ico",
    f"voila/api/shutdown/{KERNEL}", f"api/kernels/{KERNEL}", f"api/kernels/{KERNEL}/channels",
]  # fmt: skip
REFUSED = [
    "api/", "apis", "api/kernels", f"api/kernels/{KERNEL}/restart", "api/sessions",
    "api/contents", "files/audit.ipynb", "nbconvert/html/audit.ipynb", "api/kernelspecs",
    "api/config/notebook", "api/status", "api/me", "metrics", "api/terminals", "voila",
    "voila/tree", "voila/api/contents", "voila/render", "lab", "view/audit.ipynb",
    "api/events/subscribe", "api/something-new", "./api/contents", "api/kernels%2Fx",
]  # fmt: skip


def test_the_guard_refuses_every_address_but_the_apps():
    pattern = re.compile(refused_pattern("/user/pat/") + "$")  # as tornado matches routes
    assert [a for a in ALLOWED if pattern.match(f"/user/pat/{a}")] == []
    assert [a for a in REFUSED if not pattern.match(f"/user/pat/{a}")] == []


ROUTING = """
import json, sys
from jupyter_server.serverapp import ServerApp
from tornado.httputil import HTTPServerRequest
from toolkit.hub import server
app = ServerApp()
leave_out = sys.argv[3]
args = [a for a in server.person_server_args() if not (leave_out and leave_out in a)]
try:
    app.initialize(args + ["--ServerApp.port=0", "--ServerApp.open_browser=False",
                           "--ServerApp.root_dir=" + sys.argv[1]], new_httpserver=False)
except Exception as error:
    print(json.dumps({"failed": str(error)}))
    sys.exit(0)
found = {}
for path in json.loads(sys.argv[2]):
    delegate = app.web_app.find_handler(HTTPServerRequest(method="GET", uri="/" + path))
    found[path] = delegate.handler_class.__name__
print(json.dumps(found))
"""


def person_server(tmp_path, paths: list[str], leave_out: str = "") -> dict[str, str]:
    """Make a jupyter-server as a person's is (less the option containing ``leave_out``) and
    say which handler each path reaches, or why it failed to start."""
    done = subprocess.run(
        [sys.executable, "-c", ROUTING, str(tmp_path), json.dumps(paths), leave_out],
        capture_output=True, text=True, timeout=120, check=True,
        env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_guard_comes_before_every_handler_that_never_asks_the_authorizer(tmp_path):
    """In a server loaded as a person's is, the guard answers each refused address, and each
    allowed one reaches its own handler (Voilà's, jupyter-server's)."""
    paths = ["voila/tree", "voila/api/contents", "api/me", "metrics", "api/contents",
             "api/nbconvert", "voila/render/audit.ipynb",
             f"api/kernels/{KERNEL}/channels"]  # fmt: skip
    found = person_server(tmp_path, paths)
    assert {p: found[p] for p in paths[:6]} == dict.fromkeys(paths[:6], "RefusedHandler")
    assert found["voila/render/audit.ipynb"] == "TornadoVoilaHandler"
    assert found[f"api/kernels/{KERNEL}/channels"] == "KernelWebsocketHandler"


@pytest.mark.parametrize(
    ("leave_out", "why"),
    [("authorizer_class", "the authorizer is AllowAllAuthorizer"),
     ("allowed_message_types", "kernels would take every message")],
)  # fmt: skip
def test_a_server_without_its_authorizer_or_message_limits_does_not_start(tmp_path, leave_out, why):
    assert why in person_server(tmp_path, ["api/contents"], leave_out).get("failed", "")


def test_a_pages_kernel_takes_standalone_voilas_messages_only():
    from voila import app as voila_app

    source = Path(voila_app.__file__).read_text()
    listed = re.search(r"allowed_message_types=\[(.*?)\]", source, re.S).group(1)
    assert set(server.ALLOWED_MESSAGE_TYPES) == set(re.findall(r'"(\w+)"', listed))
    args = server.person_server_args()
    assert [a.split("=", 1)[1] for a in args if "allowed_message_types" in a] == list(
        server.ALLOWED_MESSAGE_TYPES
    )
    assert "execute_request" not in server.ALLOWED_MESSAGE_TYPES


# --- a server's environment and home ----------------------------------------------------------


def spawner(tmp_path) -> AccountSpawner:
    return AccountSpawner(
        user=SimpleNamespace(name="pat", url="/user/pat/"),
        toolkit_prefix="/opt/sos-toolkit",
        homes_dir=str(tmp_path / "homes"),
        data_dir=str(tmp_path / "data"),
    )


def test_a_server_is_told_to_look_for_configuration_only_in_roots_folders(tmp_path):
    the_spawner = spawner(tmp_path)
    assert the_spawner.disable_user_config  # JUPYTERHUB_DISABLE_USER_CONFIG=1
    assert the_spawner.env_keep == ["LANG", "LC_ALL"]  # not the Hub's PATH nor PYTHONPATH
    home = str(tmp_path / "homes" / "sos-pat")
    env = the_spawner.user_env(
        {"PYTHONSTARTUP": f"{home}/x.py", "JUPYTER_CONFIG_PATH": home, "JUPYTER_NO_CONFIG": "",
         "PYTHONHOME": home, "PATH": f"{home}/bin", "MPLBACKEND": "module://x", "LANG": "C"}
    )  # fmt: skip
    assert env["HOME"] == home
    assert env["USER"] == "sos-pat"
    assert env["LANG"] == "C"
    for name in ("PYTHONSTARTUP", "JUPYTER_CONFIG_PATH", "JUPYTER_NO_CONFIG", "PYTHONHOME"):
        assert name not in env
    assert env["PYTHONNOUSERSITE"] == "1"
    assert env["PATH"].split(":")[0] == "/opt/sos-toolkit/venv/bin"
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_PATH", "PYTHONPATH"):
        assert env[name].startswith("/opt/sos-toolkit/"), name
    # written by IPython and matplotlib, never read for configuration (see the kernelspec)
    assert {n for n, v in env.items() if v.startswith(home)} == {
        "HOME",
        "IPYTHONDIR",
        "MPLCONFIGDIR",
    }


@as_root
def test_a_home_is_made_empty_and_private_at_every_start(tmp_path):
    account = pwd.getpwuid(os.getuid())
    home = tmp_path / "homes" / "sos-pat"
    fresh_home(home, account)
    assert (home.parent.stat().st_mode & 0o777) == 0o711
    (home / ".jupyter").mkdir()
    (home / ".jupyter" / "jupyter_server_config.py").write_text("c.X = 1")
    fresh_home(home, account)
    assert list(home.iterdir()) == []
    assert (home.stat().st_mode & 0o777) == 0o700
    home.rmdir()
    home.symlink_to(tmp_path)  # a link where the home should be is replaced, not followed
    fresh_home(home, account)
    assert home.is_dir()
    assert not home.is_symlink()
    assert tmp_path.exists()
    home.parent.chmod(0o777)
    with pytest.raises(RuntimeError, match="not writable by others"):
        fresh_home(home, account)


@as_root
def test_the_shared_data_folder_keeps_one_report_key_for_root_alone(tmp_path):
    key = shared_data_folder(tmp_path / "data", 0)
    assert len(key) == 64
    assert shared_data_folder(tmp_path / "data", 0) == key
    assert ((tmp_path / "data").stat().st_mode & 0o7777) == 0o2770
    assert ((tmp_path / "data" / "report_key").stat().st_mode & 0o777) == 0o600


# --- the Hub configuration --------------------------------------------------------------------


def test_the_hub_config_starts_each_server_as_its_own_account_from_the_install(
    monkeypatch, tmp_path
):
    c = load_config(
        monkeypatch, tmp_path, SOS_HUB_SHARED_PASSWORD="a-long-password",
        SOS_HUB_TOOLKIT_PREFIX="/opt/sos", SOS_HUB_HOMES_DIR=str(tmp_path / "homes"),
    )  # fmt: skip
    assert c.JupyterHub.spawner_class == "toolkit.hub.spawner.AccountSpawner"
    assert c.AccountSpawner.toolkit_prefix == "/opt/sos"
    assert c.Spawner.cmd[0] == "/opt/sos/venv/bin/python"
    assert c.Spawner.notebook_dir == "/opt/sos/app/notebooks"
    assert c.Spawner.args == server.person_server_args()
    assert (
        "--ServerApp.authorizer_class=toolkit.hub.authorizer.AppsOnlyAuthorizer" in c.Spawner.args
    )
    assert any("'toolkit.hub.guard': True" in a for a in c.Spawner.args)
    assert not any("allow_root" in a for a in c.Spawner.args)
    assert ((tmp_path / "hub").stat().st_mode & 0o777) == 0o700
    assert not Path(c.AccountSpawner.homes_dir).is_relative_to(tmp_path / "hub")


def test_the_hub_config_refuses_homes_inside_its_state_folder(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="inside the Hub's state folder"):
        load_config(
            monkeypatch, tmp_path, SOS_HUB_SHARED_PASSWORD="a-long-password",
            SOS_HUB_HOMES_DIR=str(tmp_path / "hub" / "home"),
        )  # fmt: skip


def test_the_training_store_takes_the_servers_umask_so_every_server_can_write_it(data_dir):
    """On the Hub each server is an account in the servers' group with umask 007: the shared
    training store must be group-writable (SQLite alone would make it 0644, so only the
    server that made it could write it)."""
    from toolkit.training.demo_store import open_training_store
    from toolkit.training.mode import training_path

    before = os.umask(0o007)
    try:
        open_training_store().close()
    finally:
        os.umask(before)
    assert (training_path().stat().st_mode & 0o777) == 0o660
