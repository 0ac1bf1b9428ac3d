"""A Voilà server of the toolkit for benchmarks, started exactly as the run command starts it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from common import ROOT

from tests.support.browser import (  # one list, one cookie for tests and benchmarks
    CHROMIUM_ARGS,
    chosen_person_cookie,
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, extra_args: list[str] | None = None, data_dir: str | None = None):
        self.port = free_port()
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="bench-data-")
        self.url = f"http://127.0.0.1:{self.port}"
        self.browser_state: dict = {"cookies": [], "origins": []}  # a browser new to the server
        env = {**os.environ, "SOS_TOOLKIT_DATA_DIR": self.data_dir}
        env.pop("QUERY_STRING", None)
        command = [
            sys.executable,
            "-m",
            "toolkit",
            "serve",
            "--port",
            str(self.port),
            "--data-dir",
            self.data_dir,
        ]
        self.process = subprocess.Popen(
            command + (extra_args or []),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            # BENCH_SERVER_LOG=<file> keeps the server's log, to see why a run went wrong
            stderr=open(os.environ["BENCH_SERVER_LOG"], "ab")  # noqa: SIM115
            if os.environ.get("BENCH_SERVER_LOG")
            else subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(
                    self.url + "/voila/render/one_slider.ipynb", timeout=2
                ).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            self.stop()
            raise RuntimeError("Voilà did not start")

    def new_audits(self, count: int, prefix: str) -> tuple[int, list[int]]:
        """``count`` new audits, all by the demonstration's first auditor (and practitioner), in
        this server's store: (the auditor's id, the audits' ids)."""
        from toolkit.forms.loader import registry
        from toolkit.store import Store

        store = Store(f"sqlite:///{self.data_dir}/toolkit.sqlite")
        try:
            auditor = store.person(store.audit(1).auditor_id)
            practitioner = store.person(store.audit(1).practitioner_id)
            form = registry().latest("collaborative_case_audit")
            made = [
                store.create_audit(
                    form,
                    child_id=f"{prefix}-{i}",
                    auditor=auditor,
                    practitioner=practitioner,
                    created_by=auditor,
                ).id
                for i in range(count)
            ]
        finally:
            store.close()
        return auditor.id, made

    def choose_person(self, person_id: int) -> dict:
        """From now on :attr:`browser_state` is a browser that has chosen ``person_id`` on this
        server, as the person picker makes it (pass it to ``new_context(storage_state=…)``)."""
        self.browser_state = {"cookies": [chosen_person_cookie(self, person_id)], "origins": []}
        return self.browser_state

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


CHROMIUM = "/usr/bin/chromium"


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
