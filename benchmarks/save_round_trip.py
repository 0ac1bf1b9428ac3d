"""A save as a person sees it: from their click on a scale point to "✓ Saved" on the screen.

Timed inside the page, so Playwright's own messages are not in it: from the click event's
timestamp to the first animation frame after the field's status shows the new revision as
saved. Baseline in the same run, alternating click by click with the audit: the bare widget
round trip of the one-slider page under the same server — a key moving the slider, to the
first frame after the kernel says it is idle again (it has had the change and answered).

    .venv/bin/python benchmarks/save_round_trip.py            # the run command's server
    .venv/bin/python benchmarks/save_round_trip.py --hub      # a real JupyterHub + PostgreSQL

Target (issue 16): p95 ≤ 100 ms, on the run command and on the Hub.
"""

from __future__ import annotations

import argparse
import time

from common import median, percentile, record
from playwright.sync_api import sync_playwright
from server import Server, launch_browser

from toolkit.ui.fields import field_css_class

TARGET_MS = 100
FIELD = "area_6.collaborative_scale"
PAUSE_S = 0.15  # between one person's clicks: nobody clicks faster

#: Before the page's own scripts: every time the kernel says "idle" on the page's websocket,
#: and, when a key was pressed since, the first frame after it (the baseline's round trip).
KERNEL_IDLE_JS = """(() => {
  const Native = window.WebSocket;
  window.__keys = [];
  window.__keyAt = null;
  document.addEventListener('keydown', (e) => { window.__keyAt = e.timeStamp; }, true);
  function stateOf(data) {
    try {
      if (typeof data === 'string') {
        const m = JSON.parse(data);
        return m.header.msg_type === 'status' ? m.content.execution_state : null;
      }
      const view = new DataView(data);
      const at = (i) => Number(view.getBigUint64(8 * (i + 1), true));
      const text = (i) => new TextDecoder().decode(new Uint8Array(data, at(i), at(i + 1) - at(i)));
      if (JSON.parse(text(1)).msg_type !== 'status') return null;
      return JSON.parse(text(4)).execution_state;
    } catch (e) { return null; }
  }
  function Timed(url, protocols) {
    const s = protocols === undefined ? new Native(url) : new Native(url, protocols);
    s.addEventListener('message', (e) => {
      if (window.__keyAt === null || stateOf(e.data) !== 'idle') return;
      const t = window.__keyAt;
      window.__keyAt = null;
      requestAnimationFrame(() => window.__keys.push(performance.now() - t));
    });
    return s;
  }
  Timed.prototype = Native.prototype;
  ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach((k) => { Timed[k] = Native[k]; });
  window.WebSocket = Timed;
})();"""

#: On the audit page: each click in the field, to the first frame after its status shows a
#: new revision saved.
SAVED_JS = """(field) => {
  window.__saves = [];
  let pending = null;
  const revision = (f) => {
    const s = f.querySelector('[data-revision]');
    return s ? s.dataset.revision : null;
  };
  document.addEventListener('click', (e) => {
    const f = e.target.closest(field);
    if (f) pending = { t: e.timeStamp, f: f, rev: revision(f) };
  }, true);
  new MutationObserver(() => {
    if (!pending) return;
    const s = pending.f.querySelector('.status-saved[data-revision]');
    if (!s || s.dataset.revision === pending.rev) return;
    const p = pending;
    pending = null;
    requestAnimationFrame(() => window.__saves.push(performance.now() - p.t));
  }).observe(document.body, { subtree: true, childList: true, attributes: true,
    characterData: true });
}"""


class Pages:
    """Where the two pages come from: the run command's server, or a person's Hub server."""

    def __init__(self, hub: bool) -> None:
        self.hub = None
        if hub:
            from tests.support.hub import LocalHub

            self.hub = LocalHub().start()
            store = self.hub.store()
        else:
            self.server = Server()
            from toolkit.store import Store

            store = Store(f"sqlite:///{self.server.data_dir}/toolkit.sqlite")
        from toolkit.forms.loader import registry

        try:
            if self.hub:
                auditor = store.add_person("Bench Auditor", ["auditor"], username="benchaud")
                practitioner = store.add_person("Bench Pat", ["practitioner"], username="benchpat")
            else:
                first = store.audit(1)
                auditor = store.person(first.auditor_id)
                practitioner = store.person(first.practitioner_id)
                self.server.choose_person(auditor.id)
            self.audit_id = store.create_audit(
                registry().latest("collaborative_case_audit"),
                child_id="LL-ROUND-TRIP",
                auditor=auditor,
                practitioner=practitioner,
                created_by=auditor,
            ).id
        finally:
            store.close()
        self.username = "benchaud"

    def context(self, browser):
        state = None if self.hub else self.server.browser_state
        context = browser.new_context(viewport={"width": 1366, "height": 768}, storage_state=state)
        context.set_default_timeout(120_000)
        context.add_init_script(KERNEL_IDLE_JS)
        if self.hub:
            self.hub.log_in(context.new_page(), self.username)
        return context

    def url(self, notebook: str, query: str = "") -> str:
        if self.hub:
            return self.hub.render_url(self.username, notebook, query)
        return f"{self.server.url}/voila/render/{notebook}" + (f"?{query}" if query else "")

    def stop(self) -> None:
        if self.hub:
            self.hub.stop()
        else:
            self.server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clicks", type=int, default=200)
    parser.add_argument("--warm", type=int, default=5, help="first clicks of each, not counted")
    parser.add_argument("--hub", action="store_true")
    args = parser.parse_args()
    pages = Pages(args.hub)
    field = "." + field_css_class(FIELD)
    try:
        with sync_playwright() as p:
            browser = launch_browser(p)
            audit = pages.context(browser).new_page()
            audit.goto(pages.url("audit.ipynb", f"audit={pages.audit_id}"))
            audit.locator(".audit-screen").wait_for()
            audit.click(".section-tab-areas_of_practice")
            audit.locator(f"{field} .scale-point-3").wait_for()
            audit.evaluate(SAVED_JS, field)
            slider = pages.context(browser).new_page()
            slider.goto(pages.url("one_slider.ipynb"))
            handle = slider.locator(".widget-slider .noUi-handle")
            handle.wait_for()
            visible = [pg.evaluate("document.visibilityState") for pg in (audit, slider)]
            for i in range(args.warm + args.clicks):
                audit.locator(f"{field} .scale-point-{3 + i % 2}").click()
                audit.wait_for_function("n => window.__saves.length >= n", arg=i + 1)
                time.sleep(PAUSE_S)
                handle.focus()
                slider.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
                slider.wait_for_function("n => window.__keys.length >= n", arg=i + 1)
                time.sleep(PAUSE_S)
            saves = audit.evaluate("window.__saves")[args.warm :]
            bare = slider.evaluate("window.__keys")[args.warm :]
            browser.close()
    finally:
        pages.stop()
    p95, bare_p95 = percentile(saves, 95), percentile(bare, 95)
    record(
        "save_round_trip_hub" if args.hub else "save_round_trip",
        {
            "where": "JupyterHub + PostgreSQL" if args.hub else "the run command (SQLite)",
            "clicks": len(saves),
            "pages_visible": visible,
            "save_median_ms": round(median(saves), 1),
            "save_p95_ms": round(p95, 1),
            "save_max_ms": round(max(saves), 1),
            "bare_widget_round_trip_median_ms": round(median(bare), 1),
            "bare_widget_round_trip_p95_ms": round(bare_p95, 1),
            "ratio_p95_to_bare": round(p95 / bare_p95, 2),
            "target": f"p95 <= {TARGET_MS} ms from the click to '✓ Saved' on screen",
            "met": p95 <= TARGET_MS,
        },
    )


if __name__ == "__main__":
    main()
