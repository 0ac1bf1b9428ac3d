"""Load on the Hub: many people logging in, opening an audit and answering, at once.

A real JupyterHub on loopback (``tests/support/hub.py``: the repository's configuration, a private
PostgreSQL, configurable-http-proxy). First three people, one after another and alone, do the
steps — log in (until the audit app shows, which includes starting their server), open their
audit from their list ("Open": the same page and kernel), answer the collaborative scale of six
areas of practice, moving on with the pager after each, then open the audit again by a link (a
new page, so a new kernel) — to give the single-user figure (median), pausing about ``--think``
seconds between clicks as a person talking with the practitioner does; then ``--users`` people
do the same in waves of ``--wave`` at once (a 2-core machine cannot start 20 servers in the same
second), with every earlier person's server still running; then ``--users`` more people
arriving at random moments across ``--over`` seconds, as on a Monday morning. Reported, for
both: per step, the 95th percentile under load ÷ the single-user median (target ≤ 3), and the
memory (RSS) of each person's server with its kernel, measured while their page is open.

Each simulated person is one of two clients, each run on a Hub of its own:

- ``light`` (``hub_client.py``): the messages a person's browser sends, without rendering. In a
  council every browser runs on its own computer, so this is the Hub's load as deployed.
- ``browser``: a headless Chromium page per person, on this machine's CPUs too; rendering
  Voilà's JavaScript costs more CPU than the servers do, so this measures the two together.

    .venv/bin/python benchmarks/hub_load.py --users 20 --wave 5
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psutil
from common import median, pause, percentile, record
from hub_client import LightPerson

from tests.support.hub import PASSWORD, LocalHub
from toolkit.ui.fields import field_css_class

ALONE = 3  # people who do the steps one after another, alone: the single-user figure
STEPS = ("log in", "open audit", "save answer", "next area", "open audit by link")
#: What each person answers: the collaborative scale of six areas of practice, one after another
#: with the pager, as in an audit (the point chosen differs from area to area).
ANSWERS = [(f"area_{area}.collaborative_scale", point) for point, area in enumerate(range(6, 12))]
THINK = 3.0  # seconds a person reads and talks between clicks, on average


def area_of(key: str) -> int:
    return int(key.split(".")[0].removeprefix("area_"))


def seed(hub: LocalHub, users: int) -> dict[str, int]:
    """One auditor per simulated person, each with an audit of their own; returns audit ids."""
    from toolkit.forms.loader import registry

    store = hub.store()
    form = registry().latest("collaborative_case_audit")
    practitioner = store.add_person("Pat Practitioner", ["practitioner"], username="pat")
    audits = {}
    for n in range(users + ALONE):
        auditor = store.add_person(f"Auditor {n}", ["auditor"], username=f"auditor{n}")
        audit = store.create_audit(
            form, child_id=f"LL-LOAD-{n}", auditor=auditor, practitioner=practitioner,
            created_by=auditor,
        )  # fmt: skip
        audits[auditor.username] = audit.id
    store.close()
    return audits


@dataclass(frozen=True)
class Who:
    """A simulated person: their Hub username, their audit, and how long they pause."""

    username: str
    audit_id: int
    think: float = THINK
    seed: int = 0  # each person pauses differently, reproducibly


class Timer:
    """The seconds each step took, several samples for steps done more than once."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {step: [] for step in STEPS}
        self.memory_mb = float("nan")

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the block as one sample of ``name`` (a step that fails records nothing)."""
        start = time.perf_counter()
        yield
        self.times[name].append(time.perf_counter() - start)


async def one_person(browser, hub: LocalHub, who: Who) -> Timer:
    """A person in a headless Chromium page: log in, open their audit from their list, answer
    six areas (moving on with the pager), then open the audit again by a link."""
    context = await browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(180_000)
    page = await context.new_page()
    username, audit_id, think = who.username, who.audit_id, who.think
    timer, rng = Timer(), random.Random(who.seed)
    try:
        with timer.step("log in"):
            await page.goto(f"{hub.url}/hub/login")
            await page.fill("#username_input", username)
            await page.fill("#password_input", PASSWORD)
            await page.click("#login_submit")
            await page.locator(".audit-home").wait_for()
        await pause(think, rng)
        # as a person does: "Open" beside the audit in their list (the same page and kernel)
        with timer.step("open audit"):
            await page.click(f".open-audit-{audit_id}")
            await page.locator(".audit-screen").wait_for()
        await page.click(".section-tab-areas_of_practice")
        for key, point in ANSWERS:
            await pause(think, rng)
            box = page.locator("." + field_css_class(key))
            with timer.step("save answer"):
                await box.locator(f".scale-point-{point}").click()
                await box.locator(".status-saved").wait_for()
            await pause(think, rng)
            with timer.step("next area"):
                await page.click(".area-next")
                await page.locator(f".area-tab-area_{area_of(key) + 1}.current").wait_for()
        timer.memory_mb = server_memory_mb(username)  # while the page's kernel is open
        # a link to the audit (from an e-mail, say): a new page, so a new kernel starts
        with timer.step("open audit by link"):
            await page.goto(hub.render_url(username, query=f"audit={audit_id}"))
            await page.locator(".audit-screen").wait_for()
    finally:
        await context.close()
    return timer


async def one_light_person(browser, hub: LocalHub, who: Who) -> Timer:
    """The same steps through :class:`hub_client.LightPerson`: the messages without the
    rendering (``browser`` is unused; the signature matches :func:`one_person`)."""
    username, audit_id, think = who.username, who.audit_id, who.think
    person, timer, rng = LightPerson(hub.url, username, PASSWORD), Timer(), random.Random(who.seed)
    try:
        with timer.step("log in"):
            await person.log_in()
        assert person.page.has("audit-home"), f"{username}: no audit list after log-in"
        await pause(think, rng)
        with timer.step("open audit"):
            await person.page.click(f"open-audit-{audit_id}")
        assert person.page.has("audit-screen"), f"{username}: the audit did not open"
        await person.page.click("section-tab-areas_of_practice")
        for key, point in ANSWERS:
            await pause(think, rng)
            with timer.step("save answer"):
                await person.page.click(f"scale-point-{point}", within=field_css_class(key))
            saved = person.page.shows('class="status-saved"', within=field_css_class(key))
            assert saved, f"{username}: {key} was not saved"
            await pause(think, rng)
            with timer.step("next area"):
                await person.page.click("area-next")
            shown = person.page.classes_of(f"area-tab-area_{area_of(key) + 1}")
            assert "current" in shown, f"{username}: the pager did not move on"
        timer.memory_mb = server_memory_mb(username)
        with timer.step("open audit by link"):
            page = await person.open_page(hub.render_url(username, query=f"audit={audit_id}"))
        assert page.has("audit-screen"), f"{username}: the link did not open the audit"
    finally:
        await person.close()
    return timer


def server_memory_mb(username: str) -> float:
    """RSS of ``username``'s server plus its kernels, in MB."""
    for proc in psutil.process_iter(["cmdline"]):
        cmd = " ".join(proc.info["cmdline"] or [])
        if "singleuser" in cmd and proc.environ().get("JUPYTERHUB_USER") == username:
            family = [proc, *proc.children(recursive=True)]
            return sum(p.memory_info().rss for p in family) / 2**20
    return float("nan")


def busy_share(before: psutil._common.scputimes) -> float:
    """How busy the whole machine was since ``before`` (share of all CPUs, 0–100)."""
    after = psutil.cpu_times()
    idle = (after.idle + after.iowait) - (before.idle + before.iowait)
    total = sum(after) - sum(before)
    return round(100 * (1 - idle / total)) if total else 0


async def arriving(
    person,
    browser,
    hub: LocalHub,
    audits: dict,
    names: list[str],
    over: float,
) -> list[Timer]:
    """People arriving at random moments across ``over`` seconds (as on a Monday morning), each
    then doing the steps; reproducible (seeded)."""
    rng = random.Random(20)
    starts = sorted(rng.uniform(0, over) for _ in names)

    async def later(delay: float, name: str) -> Timer:
        await asyncio.sleep(delay)
        return await person(browser, hub, name, audits[name])

    return await asyncio.gather(*(later(d, n) for d, n in zip(starts, names, strict=True)))


def step_figures(label: str, under_load: list[Timer], alone: list[Timer], client: str) -> dict:
    """Per step: the single-user median, the 95th percentile under load, and their ratio."""
    figures = {}
    for step in STEPS:
        loaded = [t for timer in under_load for t in timer.times[step]]
        single = median([t for timer in alone for t in timer.times[step]])
        p95 = percentile(loaded, 95)
        figures[f"{client}{step}: alone s (median of {ALONE} people)"] = round(single, 3)
        figures[f"{label} {step}: p95 s ({len(loaded)} steps)"] = round(p95, 3)
        figures[f"{label} {step}: p95 ÷ alone (target ≤ 3)"] = round(p95 / single, 2)
    return figures


CLIENTS = {"browser": one_person, "light": one_light_person}


async def run(client: str, users: int, wave: int, over: float, think: float) -> dict:
    """Both load patterns for one kind of client, on a Hub of its own."""
    from playwright.async_api import async_playwright

    def person(browser, hub: LocalHub, name: str, audit_id: int) -> Timer:
        who = Who(name, audit_id, think, seed=int(name.removeprefix("auditor")))
        return CLIENTS[client](browser, hub, who)

    hub = LocalHub()
    hub.start()
    try:
        audits = seed(hub, users * 2)
        async with async_playwright() as pw:
            browser = None
            if client == "browser":
                browser = await pw.chromium.launch(
                    executable_path=shutil.which("chromium"),
                    args=["--headless", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
                )
            alone = [
                await person(browser, hub, f"auditor{n}", audits[f"auditor{n}"])
                for n in range(ALONE)
            ]
            under_load: list[Timer] = []
            names = [f"auditor{n}" for n in range(ALONE, users + ALONE)]
            cpu = psutil.cpu_times()
            for first in range(0, users, wave):
                batch = names[first : first + wave]
                under_load += await asyncio.gather(
                    *(person(browser, hub, name, audits[name]) for name in batch)
                )
            waves_busy = busy_share(cpu)
            later = [f"auditor{n}" for n in range(users + ALONE, 2 * users + ALONE)]
            cpu = psutil.cpu_times()
            spread = await arriving(person, browser, hub, audits, later, over)
            spread_busy = busy_share(cpu)
            if browser is not None:
                await browser.close()
    finally:
        hub.stop()
    label = f"{client}: "
    figures = step_figures(f"{label}{wave} at once:", under_load, alone, label)
    figures[f"{label}{wave} at once: machine busy %"] = waves_busy
    figures |= step_figures(f"{label}arriving over {over:g} s:", spread, alone, label)
    figures[f"{label}arriving over {over:g} s: machine busy %"] = spread_busy
    memory = [timer.memory_mb for timer in under_load + spread]
    figures[f"{label}memory per person's server MB (median)"] = round(median(memory), 1)
    figures[f"{label}memory per person's server MB (max)"] = round(max(memory), 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--wave", type=int, default=5)
    parser.add_argument(
        "--over", type=float, default=180, help="seconds across which the second group arrives"
    )
    parser.add_argument(
        "--clients", default="light,browser",
        help="light: each person's messages only (their browser is on their own computer); "
        "browser: a headless Chromium page each, on this machine's CPUs too",
    )  # fmt: skip
    parser.add_argument(
        "--think", type=float, default=THINK,
        help="average seconds between a person's clicks (0: as fast as the page answers)",
    )  # fmt: skip
    args = parser.parse_args()
    figures: dict = {"users": args.users, "cpus": psutil.cpu_count(), "think s": args.think}
    for client in args.clients.split(","):
        figures |= asyncio.run(run(client, args.users, args.wave, args.over, args.think))
    record("hub_load", figures)


if __name__ == "__main__":
    main()
