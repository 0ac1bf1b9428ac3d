"""Time until the audit's first section is usable ÷ time until a one-slider notebook is usable,
both under the same Voilà server in the same run (target ≤ 1.5, median of at least 5).

"Usable" means the first input can be used: for the audit, the first field of section 1 of an
audit opened by ``?audit=<id>``; for the baseline, the slider. Each visit is a new browser
context, so Voilà starts a new kernel each time (a cold page, as a user opening a link).
Runs alternate between the two so drift in machine load hits both alike.
"""

from __future__ import annotations

import argparse
import time

from common import median, record
from playwright.sync_api import sync_playwright
from server import Server, launch_browser

TARGETS = {
    "audit": ("audit.ipynb", "audit=1", ".audit-screen .field-input input:enabled"),
    "home": ("audit.ipynb", "", ".audit-home .open-audit"),
    "one_slider": ("one_slider.ipynb", "", ".widget-slider"),
}


def time_to_usable(browser, url: str, selector: str, signed_in: dict) -> float:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, storage_state=signed_in)
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(selector).first.wait_for(state="visible", timeout=120_000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--extra", nargs="*", default=[], help="extra arguments for toolkit serve")
    parser.add_argument("--name", default="startup_cold")
    args = parser.parse_args()
    server = Server(args.extra)
    try:
        # the audit opens directly for its own auditor, whom each browser has chosen
        from toolkit.store import Store

        store = Store(f"sqlite:///{server.data_dir}/toolkit.sqlite")
        signed_in = server.choose_person(store.audit(1).auditor_id)
        store.close()
        times: dict[str, list[float]] = {name: [] for name in TARGETS}
        with sync_playwright() as p:
            browser = launch_browser(p)
            for nb, query, selector in TARGETS.values():  # warm the server's caches once
                time_to_usable(
                    browser, f"{server.url}/voila/render/{nb}?{query}", selector, signed_in
                )
            for _ in range(args.runs):
                for name, (nb, query, selector) in TARGETS.items():
                    times[name].append(
                        time_to_usable(
                            browser, f"{server.url}/voila/render/{nb}?{query}", selector, signed_in
                        )
                    )
            browser.close()
    finally:
        server.stop()
    base = median(times["one_slider"])
    figures = {
        "runs": args.runs,
        "one_slider_median_s": round(base, 3),
        "audit_first_section_median_s": round(median(times["audit"]), 3),
        "home_median_s": round(median(times["home"]), 3),
        "ratio_audit": round(median(times["audit"]) / base, 2),
        "ratio_home": round(median(times["home"]) / base, 2),
        "target": "ratio <= 1.5",
        "met": median(times["audit"]) / base <= 1.5,
    }
    record(args.name, figures)


if __name__ == "__main__":
    main()
