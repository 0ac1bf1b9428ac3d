"""A person's browser reduced to the messages it sends the Hub and their server.

In the browser benchmark the twenty simulated people's Chromium pages run on the same two CPUs
as the servers they are measuring, and rendering Voilà's 5 MB of JavaScript takes more CPU than
the servers do. In a council, each person's browser runs on their own computer. This client
sends what the browser sends, with no rendering, so the machine's CPUs go to the servers:

- log in on the Hub's form (with its ``_xsrf``), wait on the Hub's progress stream until the
  person's server is up, then follow the redirects (the OAuth hand-off) to the Voilà page, which
  starts a kernel and runs the app;
- on the kernel's websocket, what Voilà's widget manager sends (recorded from a real page):
  ``kernel_info_request``, then a ``jupyter.widget.control`` comm asking for every widget's
  state (``request_states``);
- a click is the message a button's view sends (``custom`` / ``click``); the step ends when the
  kernel is idle again after it, that is when the server has sent everything the click caused.

The widget tree is kept from ``comm_open`` and ``update`` messages, so buttons are found by the
same CSS classes the browser tests use.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from typing import Any

import aiohttp

CONTROL_TARGET = "jupyter.widget.control"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]+)"')
XSRF = re.compile(r'name="_xsrf"\s+value="([^"]+)"')
#: The page's own widget: what Voilà's HTML displays (everything shown hangs from it).
ROOT = re.compile(
    r'application/vnd\.jupyter\.widget-view\+json.{0,200}?"model_id":\s*"([0-9a-f]+)"', re.S
)
VIEW = "application/vnd.jupyter.widget-view+json"


class LightPerson:
    """One person: an HTTP session with its cookies, and the page (kernel) they have open."""

    def __init__(self, hub_url: str, username: str, password: str) -> None:
        self.hub_url, self.username, self.password = hub_url, username, password
        self.http = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies for 127.0.0.1
            timeout=aiohttp.ClientTimeout(total=300),
        )
        self.page: KernelPage | None = None

    async def log_in(self) -> None:
        """The Hub's log-in form, the wait for the server, then the app's page."""
        async with self.http.get(f"{self.hub_url}/hub/login") as response:
            form = await response.text()
        xsrf = XSRF.search(form)
        data = {"username": self.username, "password": self.password}
        if xsrf:
            data["_xsrf"] = xsrf.group(1)
        async with self.http.post(f"{self.hub_url}/hub/login?next=", data=data) as response:
            await response.read()
            landed = str(response.url)
        if "/spawn-pending/" in landed or "/hub/spawn" in landed:
            await self._wait_for_server()
        await self.open_page(f"{self.hub_url}/user/{self.username}/")

    async def _wait_for_server(self) -> None:
        """What the Hub's "server starting" page does: read the progress stream to "ready"."""
        xsrf = next((c.value for c in self.http.cookie_jar if c.key == "_xsrf"), "")
        url = f"{self.hub_url}/hub/api/users/{self.username}/server/progress?_xsrf={xsrf}"
        async with self.http.get(url, headers={"X-XSRFToken": xsrf}) as response:
            async for line in response.content:
                event = json.loads(line[5:]) if line.startswith(b"data:") else {}
                if event.get("failed"):
                    raise RuntimeError(f"{self.username}'s server failed to start")
                if event.get("ready"):
                    return

    async def open_page(self, url: str) -> KernelPage:
        """Load a Voilà page (its kernel runs the notebook) and fetch its widgets' states."""
        if self.page is not None:
            await self.page.close()
        async with self.http.get(url) as response:
            html = await response.text()
            base = str(response.url).split("/voila/", 1)[0]
        found, root = KERNEL_ID.search(html), ROOT.search(html)
        if response.status != 200 or not found or not root:
            raise RuntimeError(f"{url} gave {response.status} without a kernel:\n{html[-800:]}")
        self.page = await KernelPage.connect(self.http, base, found.group(1), root.group(1))
        return self.page

    async def close(self) -> None:
        if self.page is not None:
            await self.page.close()
        await self.http.close()


class KernelPage:
    """The websocket to one page's kernel and the widget states the page would render."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, session: str, root: str) -> None:
        self.ws, self.session, self.root = ws, session, root
        self.states: dict[str, dict[str, Any]] = {}
        self.idle: dict[str, asyncio.Event] = {}  # parent msg_id -> kernel idle after it
        self.reader = asyncio.create_task(self._read())

    @classmethod
    async def connect(
        cls, http: aiohttp.ClientSession, base: str, kernel_id: str, root: str
    ) -> KernelPage:
        session = uuid.uuid4().hex
        ws_url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels"
        ws = await http.ws_connect(f"{ws_url}?session_id={session}", max_msg_size=0)
        page = cls(ws, session, root)
        await page.request("kernel_info_request", {})
        comm = uuid.uuid4().hex
        await page.request(
            "comm_open", {"comm_id": comm, "target_name": CONTROL_TARGET, "data": {}},
            metadata={"version": "1.0.0"},
        )  # fmt: skip
        await page.request("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}})
        await page.send("comm_close", {"comm_id": comm, "data": {}})
        return page

    # --- messages -----------------------------------------------------------------------
    async def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id, "msg_type": msg_type, "session": self.session,
            "username": "", "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }  # fmt: skip
        self.idle[msg_id] = asyncio.Event()
        await self.ws.send_str(json.dumps({
            "header": header, "parent_header": {}, "metadata": metadata or {},
            "content": content, "buffers": [], "channel": "shell",
        }))  # fmt: skip
        return msg_id

    async def request(self, msg_type: str, content: dict, metadata: dict | None = None) -> None:
        """Send, then wait until the kernel is idle after it (everything it caused has come)."""
        msg_id = await self.send(msg_type, content, metadata)
        await self.idle[msg_id].wait()

    async def _read(self) -> None:
        async for frame in self.ws:
            if frame.type != aiohttp.WSMsgType.TEXT:
                break
            msg = json.loads(frame.data)
            kind, content = msg["header"]["msg_type"], msg.get("content", {})
            parent = msg.get("parent_header", {}).get("msg_id")
            if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
                self.states[content["comm_id"]] = dict(content["data"].get("state", {}))
            elif kind == "comm_msg":
                data = content.get("data", {})
                if data.get("method") == "update":
                    self.states.setdefault(content["comm_id"], {}).update(data.get("state", {}))
                elif data.get("method") == "update_states":
                    for model_id, model in data.get("states", {}).items():
                        self.states.setdefault(model_id, {}).update(model.get("state", {}))
            elif kind == "comm_close":
                self.states.pop(content.get("comm_id"), None)
            elif kind == "status" and content.get("execution_state") == "idle" and parent:
                event = self.idle.get(parent)
                if event is not None:
                    event.set()

    # --- what a person does -------------------------------------------------------------
    def find(self, css_class: str, within: str | None = None) -> str:
        """The model id of the shown widget with ``css_class`` (inside the one with ``within``),
        as a person can only click what is on the page."""
        for model_id in self._descendants([self.find(within) if within else self.root]):
            if css_class in self.states.get(model_id, {}).get("_dom_classes", ()):
                return model_id
        raise LookupError(f"no widget with class {css_class!r} on the page")

    def has(self, css_class: str) -> bool:
        try:
            self.find(css_class)
        except LookupError:
            return False
        return True

    def shows(self, html: str, within: str) -> bool:
        """Whether a widget inside the one with class ``within`` has ``html`` in its value
        (statuses such as "Saved" are HTML inside an HTML widget, not a widget's class)."""
        inside = self._descendants([self.find(within)])
        return any(html in str(self.states.get(m, {}).get("value", "")) for m in inside)

    def classes_of(self, css_class: str) -> list[str]:
        """All the CSS classes of the widget with ``css_class`` (e.g. to see "current")."""
        return list(self.states[self.find(css_class)].get("_dom_classes", ()))

    def _descendants(self, roots: list[str]) -> list[str]:
        seen, todo = [], list(roots)
        while todo:
            model_id = todo.pop(0)
            if model_id in seen:
                continue
            seen.append(model_id)
            state = self.states.get(model_id, {})
            for child in state.get("children", ()):
                todo.append(child.removeprefix("IPY_MODEL_"))
            for output in state.get("outputs", ()):  # widgets shown inside an Output
                if VIEW in output.get("data", {}):
                    todo.append(output["data"][VIEW]["model_id"])
        return seen

    async def click(self, css_class: str, within: str | None = None) -> None:
        """Click the button with ``css_class``; returns when the kernel has finished with it."""
        button = self.find(css_class, within)
        await self.request(
            "comm_msg",
            {"comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}},
        )

    async def close(self) -> None:
        self.reader.cancel()
        await self.ws.close()
