"""On the Hub a person's server serves the apps and nothing else, and runs as their own account.

Signed in as a practitioner (the least rights), every other Jupyter API is tried with the
browser's cookie (with its ``_xsrf`` header) and with an API token the person mints at the Hub:
each is refused with 403, changes nothing, and the server's log says who tried what. On the audit
page's own kernel websocket an ``execute_request`` gets no reply while a ``kernel_info_request``
is answered. Configuration planted in the person's home is never read. Each person's server runs
under a uid of its own, not the Hub's, and cannot read the Hub's cookie secret.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.audits import new_audit
from tests.support.browser import field_selector
from tests.support.hub import LocalHub, running_hub  # noqa: F401  (running_hub: the fixture `hub`)

pytestmark = pytest.mark.e2e

PROBE = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
KERNEL = "{kernel}"  # the audit page's own kernel id, filled in per test
#: (method, address under /user/<name>/, JSON body): every one must answer 403.
REFUSED = [
    ("POST", "api/kernels", {"name": "python3"}),
    ("GET", "api/kernels", None),
    ("POST", f"api/kernels/{KERNEL}/restart", None),
    ("POST", f"api/kernels/{KERNEL}/interrupt", None),
    ("DELETE", f"api/kernels/{KERNEL}", None),
    (
        "POST",
        "api/sessions",
        {"path": "p.ipynb", "type": "notebook", "kernel": {"name": "python3"}},
    ),
    ("GET", "api/sessions", None),
    ("PUT", "api/contents/probe.ipynb", {"type": "notebook", "format": "json", "content": PROBE}),
    ("GET", "api/contents", None),
    ("GET", "api/contents/audit.ipynb", None),
    ("GET", "files/audit.ipynb", None),
    ("GET", "view/audit.ipynb", None),
    ("GET", "nbconvert/html/audit.ipynb", None),
    ("GET", "api/nbconvert", None),
    ("GET", "api/kernelspecs", None),
    ("GET", "api/kernelspecs/python3", None),
    ("GET", "kernelspecs/python3/kernel.json", None),
    ("GET", "api/config/notebook", None),
    ("PATCH", "api/config/notebook", {"probe": True}),
    ("GET", "api/status", None),
    ("GET", "api/spec.yaml", None),
    ("GET", "api/me", None),
    ("GET", "metrics", None),
    ("GET", "api/terminals", None),
    ("POST", "api/terminals", {}),
    ("POST", "api/events", {"schema_id": "x", "version": "1", "data": {}}),
    ("GET", "api/events/subscribe", None),
    ("GET", "voila/tree", None),
    ("GET", "voila/api/contents", None),
    ("GET", "lab", None),
    ("GET", "tree", None),
    ("GET", "api/added-by-a-later-jupyter-server", None),
    ("POST", "api/shutdown", None),  # last: were it allowed, the server would stop here
]
#: On the kernel's websocket: what a page may not send, and what it may.
SCRIPT = """async ([url, code]) => {
  const ws = new WebSocket(url);
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
  const replies = [];
  let answered;
  const done = new Promise((ok) => { answered = ok; });
  ws.onmessage = (event) => {
    const msg = JSON.parse(event.data);
    replies.push([msg.header.msg_type, msg.parent_header.msg_id || null]);
    if (msg.header.msg_type === "kernel_info_reply" && msg.parent_header.msg_id === "info") {
      answered();
    }
  };
  const send = (id, type, content, channel) => ws.send(JSON.stringify({
    header: {msg_id: id, msg_type: type, session: "probe", username: "", version: "5.3",
             date: new Date().toISOString()},
    parent_header: {}, metadata: {}, content: content, buffers: [], channel: channel,
  }));
  send("run", "execute_request", {code: code, silent: false, store_history: false,
       user_expressions: {}, allow_stdin: false, stop_on_error: true}, "shell");
  send("debug", "debug_request", {type: "request", seq: 1, command: "initialize",
       arguments: {adapterID: "probe"}}, "control");
  send("info", "kernel_info_request", {}, "shell");
  await done;
  ws.close();
  return replies;
}"""


@pytest.fixture(scope="module")
def world(hub):
    store = hub.store()
    abe = store.add_person("Abe Auditor", ["auditor"], username="abe")
    pat = store.add_person("Pat Practitioner", ["practitioner"], username="pat")
    audit = new_audit(store, abe, pat, "LL-LOCK-1")
    store.close()
    return {"audit": audit}


@pytest.fixture
def pat(hub, world, browser):
    """Pat's browser on the audit they are the practitioner of."""
    page = hub.new_page(browser, "pat")
    page.goto(hub.render_url("pat", query=f"audit={world['audit'].id}"))
    page.locator(".audit-screen >> visible=true").first.wait_for(timeout=60_000)
    yield page
    page.context.close()


def page_kernel(page) -> str:
    """The id of the kernel Voilà started for this page (in the page's Jupyter config)."""
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    return config["kernelId"]


def cookie(page, name: str, path: str) -> str:
    return next(
        c["value"] for c in page.context.cookies() if c["name"] == name and c["path"] == path
    )


def mint_token(hub, page) -> str:
    """What a person can do at the Hub with their browser: mint an API token for themselves."""
    response = page.request.post(
        f"{hub.url}/hub/api/users/pat/tokens",
        data={"note": "tried by the lockdown test", "expires_in": 3600},
        headers={"X-XSRFToken": cookie(page, "_xsrf", "/hub/")},
    )
    assert response.status in (200, 201), response.text()
    return response.json()["token"]


def statuses(request, base: str, kernel: str, headers: dict[str, str]) -> dict[str, int]:
    """``METHOD address`` -> status, for every route in :data:`REFUSED`."""
    found = {}
    for method, address, body in REFUSED:
        address = address.replace(KERNEL, kernel)
        response = request.fetch(
            f"{base}/{address}", method=method, data=body, headers=headers, max_redirects=0
        )
        found[f"{method} {address}"] = response.status
    return found


def logged(hub, lines: list[str], timeout: float = 30) -> list[str]:
    """The ones of ``lines`` the Hub's log does not (yet) have, once all appear or time is up."""
    deadline = time.monotonic() + timeout
    while True:
        log = hub.log()
        missing = [line for line in lines if line not in log]
        if not missing or time.monotonic() > deadline:
            return missing
        time.sleep(0.2)


def test_only_the_apps_answer_for_cookie_and_token_alike(hub, world, browser, pat):
    base = f"{hub.url}/user/pat"
    kernel = page_kernel(pat)
    xsrf = cookie(pat, "_xsrf", "/user/pat/")
    with_cookie = statuses(pat.request, base, kernel, {"X-XSRFToken": xsrf})
    assert with_cookie == dict.fromkeys(with_cookie, 403)

    token = mint_token(hub, pat)
    tokened = browser.new_context(extra_http_headers={"Authorization": f"token {token}"})
    try:
        # the token is good: it opens what the page itself reads, the page's kernel model
        assert tokened.request.get(f"{base}/api/kernels/{kernel}").status == 200
        with_token = statuses(tokened.request, base, kernel, {})
        assert with_token == dict.fromkeys(with_token, 403)
        # the notebook it tried to write never renders, by token or by cookie
        assert tokened.request.get(f"{base}/voila/render/probe.ipynb").status == 404
    finally:
        tokened.close()
    assert pat.request.get(f"{base}/voila/render/probe.ipynb").status == 404
    assert not (hub.prefix / "app" / "notebooks" / "probe.ipynb").exists()

    # nothing changed: the page's kernel is still there, and the audit still answers
    assert pat.request.get(f"{base}/api/kernels/{kernel}").status == 200
    pat.click(".section-tab-case_file_health_check")
    pat.locator(field_selector("area_1.auditor_rating")).wait_for()

    # the server's log says who tried what
    routes = [route.split(" ", 1) for route in with_cookie]
    missing = logged(hub, [f"Refused pat: {method} /user/pat/{path}" for method, path in routes])
    assert not missing, missing


def test_the_pages_kernel_takes_widget_messages_only(hub, world, pat):
    kernel = page_kernel(pat)
    marker = hub.home("pat") / "execute-request-ran"
    ws = hub.url.replace("http", "ws", 1)
    url = f"{ws}/user/pat/api/kernels/{kernel}/channels?session_id=probe"
    replies = pat.evaluate(SCRIPT, [url, f"open({str(marker)!r}, 'w').write('ran')"])
    answered = {parent for _kind, parent in replies}
    assert ["kernel_info_reply", "info"] in replies
    assert "run" not in answered
    assert "debug" not in answered
    assert not marker.exists()
    assert not logged(hub, ['Received message of type "execute_request", which is not allowed'])


def test_configuration_planted_in_the_home_is_never_read(hub, world, browser):
    page = hub.new_page(browser, "pat")
    try:
        home = hub.home("pat")
        token = mint_token(hub, page)
        plant(home)  # while the server runs: a new page's kernel must not use any of it
        page.goto(hub.render_url("pat"))
        page.locator(".audit-app").wait_for(timeout=60_000)
        assert planted_markers(home) == []
        # between two sessions: the next server must not read any of it either
        stopped = page.request.delete(
            f"{hub.url}/hub/api/users/pat/server", headers={"Authorization": f"token {token}"}
        )
        assert stopped.status in (202, 204), stopped.text()
        wait_until_stopped(hub, page, token)
        plant(home)
        page.goto(f"{hub.url}/hub/spawn")  # logged in at the Hub still: the server starts again
        page.locator(".audit-app").wait_for(timeout=120_000)
        assert planted_markers(home) == []
        kernel = page_kernel(page)
        assert page.request.post(
            f"{hub.url}/user/pat/api/kernels",
            data={"name": "python3"},
            headers={"X-XSRFToken": cookie(page, "_xsrf", "/user/pat/")},
        ).status == 403  # fmt: skip
        assert kernel
        # and the server was told where to look instead, and its kernels use root's profile
        server = server_pid(hub, "pat")
        kernels = [(Path(f"/proc/{pid}/cmdline").read_bytes()) for pid in children(server)]
        profile = f"--ProfileDir.location={hub.prefix}/etc/ipython/profile_default".encode()
        assert kernels
        assert all(profile in cmdline.split(b"\0") for cmdline in kernels)
        environment = process_environment(server)
        assert environment["JUPYTERHUB_DISABLE_USER_CONFIG"] == "1"
        assert environment["PYTHONNOUSERSITE"] == "1"
        assert environment["JUPYTER_CONFIG_DIR"].startswith(str(hub.prefix))
        assert "PYTHONSTARTUP" not in environment
        assert "JUPYTER_CONFIG_PATH" not in environment
    finally:
        page.context.close()


def test_each_persons_server_is_their_own_account(hub, world, browser):
    pages = [hub.new_page(browser, name) for name in ("pat", "abe")]
    try:
        pids = {name: server_pid(hub, name) for name in ("pat", "abe")}
        uids = {name: process_uid(pid) for name, pid in pids.items()}
        hub_uid = process_uid(hub.process.pid)
        assert uids["pat"] != hub_uid
        assert uids["abe"] != hub_uid
        assert uids["pat"] != uids["abe"]
        # the page's kernel runs as the person's account too
        assert {process_uid(pid) for pid in children(pids["pat"])} == {uids["pat"]}
        tried = try_as(
            uids["pat"],
            read=[
                str(hub.state / "jupyterhub_cookie_secret"),
                f"/proc/{hub.process.pid}/environ",
                str(hub.home("abe")),
            ],
            write=[str(hub.prefix / "app" / "notebooks" / "probe.ipynb")],
        )
        assert tried == {"read": [False, False, False], "write": [False]}, tried
        assert (hub.home("pat").stat().st_mode & 0o777) == 0o700
        assert not hub.home("pat").is_relative_to(hub.state)
        assert (hub.state.stat().st_mode & 0o777) == 0o700
    finally:
        for page in pages:
            page.context.close()


# --- helpers: the home, the processes ------------------------------------------------------

#: file in the home -> what it does if read: writes a marker named after it into the home.
PLANTED = {
    ".jupyter/jupyter_server_config.py": "c.ServerApp.authorizer_class = "
    "'jupyter_server.auth.authorizer.AllowAllAuthorizer'\n",
    ".jupyter/voila.py": "",
    ".ipython/profile_default/startup/00-planted.py": "",
    ".ipython/profile_default/ipython_kernel_config.py": "",
    ".local/lib/python3.11/site-packages/planted.pth": None,
}


def plant(home: Path) -> None:
    """Files in the person's home that would run code (or re-open the API) if read, owned by
    the person's account as if their server had written them."""
    owner = home.stat()
    for name, extra in PLANTED.items():
        path = home / name
        marker = home / f"planted-{path.name}"
        touch = f"open({str(marker)!r}, 'w').write('read')"
        text = f"import builtins; {touch}\n" if extra is None else f"{touch}\n{extra}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    kernel = home / ".local/share/jupyter/kernels/python3/kernel.json"
    kernel.parent.mkdir(parents=True, exist_ok=True)
    kernel.write_text(json.dumps({
        "argv": ["/bin/sh", "-c", f"touch {home}/planted-kernel.json; exit 1"],
        "display_name": "Planted", "language": "python",
    }))  # fmt: skip
    subprocess.run(["chown", "-R", f"{owner.st_uid}:{owner.st_gid}", str(home)], check=True)


def planted_markers(home: Path) -> list[str]:
    return sorted(p.name for p in home.glob("planted-*"))


def wait_until_stopped(hub, page, token: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        user = page.request.get(
            f"{hub.url}/hub/api/users/pat", headers={"Authorization": f"token {token}"}
        ).json()
        if not user.get("servers"):
            return
        time.sleep(0.5)
    raise AssertionError(f"pat's server did not stop in {timeout}s")


def server_pid(hub: LocalHub, username: str) -> int:
    """The pid of ``username``'s jupyterhub-singleuser on this Hub (found by its command, run
    from this Hub's install prefix, and its environment: any other Hub's server on the machine
    is not it)."""
    ours = f"{hub.prefix}/".encode()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes()
            if b"toolkit.server.quick_start\0singleuser" not in command or not command.startswith(
                ours
            ):
                continue
            environment = process_environment(int(cmdline.parent.name))
        except OSError:
            continue
        if environment.get("JUPYTERHUB_USER") == username:
            return int(cmdline.parent.name)
    raise AssertionError(f"no server running for {username}")


def process_environment(pid: int) -> dict[str, str]:
    pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(p.decode().split("=", 1) for p in pairs if b"=" in p)


def process_uid(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def try_as(uid: int, read: list[str], write: list[str]) -> dict[str, list[bool]]:
    """Whether the account ``uid`` can read (or list) and write each path."""
    import pwd

    account = pwd.getpwuid(uid)
    code = (
        "import json, os, sys\n"
        "def can(f):\n"
        "    try: f(); return True\n"
        "    except OSError: return False\n"
        "read, write = json.loads(sys.argv[1])\n"
        "print(json.dumps({'read': [can(lambda p=p: os.listdir(p) if os.path.isdir(p)"
        " else open(p).read()) for p in read],"
        " 'write': [can(lambda p=p: open(p, 'w').write('x')) for p in write]}))\n"
    )
    done = subprocess.run(
        ["/usr/bin/python3", "-c", code, json.dumps([read, write])],
        user=account.pw_uid,
        group=account.pw_gid,
        extra_groups=os.getgrouplist(account.pw_name, account.pw_gid),
        capture_output=True,
        text=True,
        cwd="/",
        check=True,
    )
    return json.loads(done.stdout)
