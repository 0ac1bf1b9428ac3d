"""Ten people at once on the run command, each a light client clicking without pause.

The browser benchmark (``load.py``'s ten users) runs ten Chromium pages on the same two CPUs as
the server they measure, and the pages took a third of the machine. Here each person is what
their browser sends (``hub_client.py``'s :class:`~hub_client.KernelPage`, on the run command's
standalone Voilà with the person picker's cookie instead of the Hub's log-in): open their own
audit, go to the areas of practice, then six times choose a point on an area's scale and move
to the next area. A step is one click, timed until the kernel is idle again after it, that is
until the server has sent everything the click caused.

Baseline, in the same run: one person alone doing the same steps, ``--runs`` times before the
ten and as many after (the machine's noise falls on both). Target: p95 per step with ten
clicking at once ÷ one alone's p95 ≤ 3 (issue 16, item 5).
"""

from __future__ import annotations

import argparse
import asyncio
import time

import psutil
import yarl
from common import median, percentile, record
from hub_client import LightPerson
from server import Server

from tests.support.browser import chosen_person_cookie
from toolkit.ui.fields import field_css_class

STEPS = 6  # areas scaled, each followed by "next area": 12 timed clicks per person


async def one_person(url: str, cookie: dict, times: list[float], ready: asyncio.Barrier | None):
    person = LightPerson(url.split("/voila/", 1)[0], "", "")
    person.http.cookie_jar.update_cookies(
        {cookie["name"]: cookie["value"]}, response_url=yarl.URL(person.hub_url)
    )
    try:
        page = await person.open_page(url)
        await page.click("section-tab-areas_of_practice")
        if ready is not None:
            await ready.wait()  # everyone's page open: the clicking starts together
        for step in range(STEPS):
            area = 6 + step
            box = field_css_class(f"area_{area}.collaborative_scale")
            start = time.perf_counter()
            await page.click(f"scale-point-{step % 11}", within=box)
            times.append(time.perf_counter() - start)
            if not page.shows("Saved", box):
                raise RuntimeError(f"area {area}'s scale did not show it saved")
            start = time.perf_counter()
            await page.click("area-next")
            times.append(time.perf_counter() - start)
            if "current" not in page.classes_of(f"area-tab-area_{area + 1}"):
                raise RuntimeError(f"next did not move to area {area + 1}")
    finally:
        await person.close()


async def together(urls: list[str], cookie: dict) -> list[float]:
    times: list[float] = []
    ready = asyncio.Barrier(len(urls)) if len(urls) > 1 else None
    await asyncio.gather(*(one_person(u, cookie, times, ready) for u in urls))
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5, help="one person alone, before and after")
    args = parser.parse_args()
    server = Server()
    try:
        auditor, audits = server.new_audits(args.runs * 2 + args.users, "LL-LIGHT")
        cookie = chosen_person_cookie(server, auditor)
        urls = [f"{server.url}/voila/render/audit.ipynb?audit={a}" for a in audits]
        alone: list[float] = []
        for url in urls[: args.runs]:
            alone += asyncio.run(together([url], cookie))
        cpu_before, started = psutil.cpu_times(), time.perf_counter()
        many = asyncio.run(together(urls[args.runs : args.runs + args.users], cookie))
        wall, cpu_after = time.perf_counter() - started, psutil.cpu_times()
        for url in urls[args.runs + args.users :]:
            alone += asyncio.run(together([url], cookie))
    finally:
        server.stop()
    busy = sum(cpu_after) - sum(cpu_before) - (cpu_after.idle - cpu_before.idle)
    p95_alone, p95_many = percentile(alone, 95), percentile(many, 95)
    record(
        "light_clients",
        {
            "users": args.users,
            "clicks_per_user": STEPS * 2,
            "cpus": psutil.cpu_count(),
            "one_alone_runs": args.runs * 2,
            "one_alone_median_step_s": round(median(alone), 3),
            "one_alone_p95_step_s": round(p95_alone, 3),
            "together_median_step_s": round(median(many), 3),
            "together_p95_step_s": round(p95_many, 3),
            "ratio_p95": round(p95_many / p95_alone, 2),
            "machine_busy_pct_together": round(100 * busy / (wall * (psutil.cpu_count() or 1))),
            "target": "p95 with ten clicking at once ÷ one alone's p95 <= 3",
            "met": p95_many / p95_alone <= 3,
        },
    )


if __name__ == "__main__":
    main()
