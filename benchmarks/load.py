"""Memory and many users, each as a ratio to a baseline measured in the same run.

1. Kernel memory: the audit session's kernel (an audit open at its areas of practice) ÷ the
   one-slider notebook's kernel, both under the same Voilà; RSS and PSS from psutil of the
   server's child processes (target ≤ 2). Median of ``--runs``.
2. Ten simultaneous users: 10 browser contexts each open their own audit and complete the same
   steps (choose a scale point, write a rationale, next area, ...); the 95th percentile time
   per step ÷ the same figure for one user alone (target ≤ 3).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

import psutil
from common import median, pause, percentile, record
from playwright.async_api import async_playwright
from playwright.sync_api import sync_playwright
from server import CHROMIUM, CHROMIUM_ARGS, Server, launch_browser

from toolkit.ui.fields import field_css_class

STEPS_PER_USER = 6


def kernels_of(server: Server) -> set[int]:
    return {c.pid for c in psutil.Process(server.process.pid).children()}


def memory_of(pid: int) -> tuple[float, float]:
    info = psutil.Process(pid).memory_full_info()
    return info.rss / 2**20, getattr(info, "pss", info.rss) / 2**20


def kernel_memory(server: Server, browser, url: str, selector: str, then=None) -> tuple:
    before = kernels_of(server)
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, storage_state=server.browser_state
    )
    page = context.new_page()
    page.goto(url)
    page.locator(selector).first.wait_for(timeout=120_000)
    if then:
        then(page)
    page.wait_for_timeout(1500)
    (pid,) = kernels_of(server) - before
    figures = memory_of(pid)
    context.close()  # its kernel lives on until culled (killing it would only restart it)
    return figures


def open_areas(page) -> None:
    page.click(".section-tab-areas_of_practice")
    page.locator(".area-tab-area_6.current").wait_for()


async def user_steps(
    browser,
    url: str,
    times: list[float],
    ready: asyncio.Barrier | None,
    think: float,
    rng: random.Random,
    signed_in: dict,
) -> None:
    """One user: open their audit, then scale six areas, moving to the next area each time.

    Each scale choice (until the field shows it saved) and each move is one timed step; between
    steps the user pauses for ``think`` seconds on average (0: clicking as fast as the page
    lets them)."""
    context = await browser.new_context(
        viewport={"width": 1366, "height": 768}, storage_state=signed_in
    )
    context.set_default_timeout(180_000)  # ten kernels starting at once take a while
    page = await context.new_page()
    await page.goto(url, wait_until="commit")
    await page.locator(".audit-screen").wait_for(timeout=300_000)
    await page.click(".section-tab-areas_of_practice")
    await page.locator(".area-tab-area_6.current").wait_for()
    if ready:
        await ready.wait()
    for step in range(STEPS_PER_USER):
        area = 6 + step
        box = "." + field_css_class(f"area_{area}.collaborative_scale")
        start = time.perf_counter()
        await page.locator(f"{box} .scale-point-{step % 11}").click()
        await page.locator(f"{box} .status-saved").wait_for(timeout=60_000)
        times.append(time.perf_counter() - start)
        await pause(think, rng)
        start = time.perf_counter()
        await page.locator(".area-next").click()
        await page.locator(f".area-tab-area_{area + 1}.current").wait_for(timeout=60_000)
        times.append(time.perf_counter() - start)
        await pause(think, rng)
    await context.close()


async def users_together(
    urls: list[str],
    times: list[float],
    signed_in: dict,
    stagger: float = 0,
    think: float = 0,
    cpu: dict[str, float] | None = None,
) -> list[str]:
    """Every user in a context of its own in ONE headless browser (as a room of people on their
    own machines, without ten browsers' start-up eating the server's CPUs); the measured steps
    start together once every page is open. Returns the failures, by kind."""
    failures: list[str] = []
    cpu = {} if cpu is None else cpu
    ready = asyncio.Barrier(len(urls)) if len(urls) > 1 else None
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        async def one(i: int, url: str) -> None:
            await asyncio.sleep(i * stagger)
            try:
                await user_steps(browser, url, times, ready, think, random.Random(i), signed_in)
            except Exception as exc:  # noqa: BLE001 - counted and reported, not hidden
                failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
                if ready:
                    await ready.abort()

        await asyncio.gather(*(one(i, u) for i, u in enumerate(urls)))
        cpu["browser"] = (
            browser_cpu_seconds()
        )  # launched for this phase: all its CPU is the phase's
        await browser.close()
    return failures


def _used(proc: psutil.Process) -> float:
    try:
        t = proc.cpu_times()
        return t.user + t.system
    except psutil.NoSuchProcess:
        return 0.0


def cpu_seconds(server: Server) -> dict[str, float]:
    """CPU time so far of the Voilà server and of its kernels."""
    root = psutil.Process(server.process.pid)
    return {
        "voila_server": _used(root),
        "kernels": sum(_used(k) for k in root.children(recursive=True)),
    }


def browser_cpu_seconds() -> float:
    """CPU time so far of the test's client: headless Chromium (all its processes) and
    Playwright's driver (node)."""
    return sum(
        _used(proc)
        for proc in psutil.process_iter(["name"])
        if "chrom" in (proc.info["name"] or "") or (proc.info["name"] or "").startswith("node")
    )


def many_users(server: Server, urls: list[str], stagger: float, think: float) -> dict:
    """Every user at once; their step times, failures, and where the machine's CPU went."""
    times: list[float] = []
    before, started = cpu_seconds(server), time.perf_counter()
    browser: dict[str, float] = {}
    failures = asyncio.run(
        users_together(urls, times, server.browser_state, stagger, think, browser)
    )
    wall, after = time.perf_counter() - started, cpu_seconds(server)
    return {
        "times": times,
        "failures": failures,
        "wall_s": wall,
        "cpu": {**{k: after[k] - before[k] for k in before}, **browser},
    }


def summarise(phase: dict, p95_one: float) -> dict:
    """The figures of one many-user phase, as a ratio to one user alone."""
    times, cpu = phase["times"], phase["cpu"]
    if phase["failures"] or not times:
        return {"failed users": len(phase["failures"]), "failures": sorted(set(phase["failures"]))}
    p95 = percentile(times, 95)
    capacity = phase["wall_s"] * (psutil.cpu_count() or 1)
    return {
        "p95 step s": round(p95, 3),
        "median step s": round(median(times), 3),
        "ratio p95": round(p95 / p95_one, 2),
        "met": p95 / p95_one <= 3,
        "machine busy %": round(100 * sum(cpu.values()) / capacity),
        **{f"CPU share {k} %": round(100 * v / capacity) for k, v in cpu.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--stagger", type=float, default=0.0, help="seconds between page opens")
    parser.add_argument(
        "--think", type=float, default=3.0, help="mean seconds a user pauses between steps"
    )
    args = parser.parse_args()
    server = Server()
    try:
        auditor, audits = server.new_audits(args.runs * 3 + args.users * 2, "LL-BENCH")
        server.choose_person(auditor)  # every browser has chosen them
        slider = f"{server.url}/voila/render/one_slider.ipynb"
        audit_url = f"{server.url}/voila/render/audit.ipynb?audit="
        with sync_playwright() as p:
            browser = launch_browser(p)
            rss_base, pss_base, rss_audit, pss_audit = [], [], [], []
            for run in range(args.runs):
                r, s = kernel_memory(server, browser, slider, ".widget-slider")
                rss_base.append(r)
                pss_base.append(s)
                r, s = kernel_memory(
                    server, browser, audit_url + str(audits[run]), ".audit-screen", open_areas
                )
                rss_audit.append(r)
                pss_audit.append(s)
            browser.close()
        one: list[float] = []  # one user alone, `runs` times over
        for run in range(args.runs):
            url = audit_url + str(audits[args.runs * 2 + run])
            failures = asyncio.run(users_together([url], one, server.browser_state, 0))
            if failures:
                raise RuntimeError(f"one user alone failed: {failures}")
        first = args.runs * 3
        bursts = [audit_url + str(a) for a in audits[first : first + args.users]]
        paced = [audit_url + str(a) for a in audits[first + args.users :]]
        burst = many_users(server, bursts, args.stagger, 0)
        with_think = many_users(server, paced, args.stagger, args.think)
    finally:
        server.stop()
    record(
        "kernel_memory",
        {
            "runs": args.runs,
            "one_slider_rss_mib": round(median(rss_base), 1),
            "one_slider_pss_mib": round(median(pss_base), 1),
            "audit_rss_mib": round(median(rss_audit), 1),
            "audit_pss_mib": round(median(pss_audit), 1),
            "ratio_rss": round(median(rss_audit) / median(rss_base), 2),
            "ratio_pss": round(median(pss_audit) / median(pss_base), 2),
            "target": "ratio <= 2",
            "met": median(pss_audit) / median(pss_base) <= 2,
        },
    )
    p95_one = percentile(one, 95)
    record(
        "ten_users",
        {
            "users": args.users,
            "steps_per_user": STEPS_PER_USER * 2,
            "cpus": psutil.cpu_count(),
            "page_opens_staggered_s": args.stagger,
            "one_user_p95_step_s": round(p95_one, 3),
            "one_user_median_step_s": round(median(one), 3),
            "target": "p95 under load ÷ one user's p95 <= 3",
            **{f"clicking without pause: {k}": v for k, v in summarise(burst, p95_one).items()},
            **{
                f"pausing ~{args.think:g} s between steps: {k}": v
                for k, v in summarise(with_think, p95_one).items()
            },
        },
    )


if __name__ == "__main__":
    main()
