"""Who looked, on screen: "Who has opened this audit" on an audit's *Record and history*, and
quality assurance's export of the access log for a period (in the reports app).

The store decides who reads the log (:meth:`Store.audit_openings`, :meth:`Store.access_log`);
these widgets show what it returns, and nothing when it refuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ipywidgets as w

from toolkit.apps.common import Looking, button
from toolkit.audit.who_looked import openings_html, period_bounds
from toolkit.core.html import esc
from toolkit.core.permissions import Person
from toolkit.store import NotAllowed, Store
from toolkit.store.access import access_csv
from toolkit.ui.downloads import data_link

#: how many of an audit's openings the section shows (the export has them all)
OPENINGS_SHOWN = 200


def openings_panel(store: Store, reader: Person, audit_id: int) -> list[w.Widget]:
    """Quality assurance and the audit's auditor see who has opened it; others see nothing."""
    try:
        rows = store.audit_openings(reader, audit_id, limit=OPENINGS_SHOWN + 1)
    except NotAllowed:
        return []
    names = {p.id: p.name for p in store.people()}
    table = w.HTML(openings_html(rows[:OPENINGS_SHOWN], names, more=len(rows) > OPENINGS_SHOWN))
    table.add_class("openings-table-box")
    box = w.VBox(
        [
            w.HTML(
                '<div class="group-title"><h3>Who has opened this audit</h3></div>'
                '<p class="guidance">Every opening of this audit, of its moderation and of the '
                "supervision sessions that follow it, every download of its record, and every "
                "refused attempt, newest first.</p>"
            ),
            table,
        ],
        layout=w.Layout(width="100%"),
    )
    box.add_class("group-box")
    box.add_class("who-opened")
    return [box]


class AccessLogExport(w.VBox):
    """Quality assurance: the access log of a period as CSV (formulas neutralised)."""

    def __init__(
        self, store: Store, reader: Person | None, guard: Callable, looking: Looking
    ) -> None:
        self._store, self._reader, self._looking = store, reader, looking
        today = dt.date.today()
        self.start = w.DatePicker(value=today.replace(day=1), description="From")
        self.end = w.DatePicker(value=today, description="To")
        self.start.add_class("access-from")
        self.end.add_class("access-to")
        export = button("Export who looked (CSV)", "export-access-log", width="220px")
        export.on_click(guard(lambda _b: self.export()))
        self.links = w.HTML()
        self.links.add_class("access-log-links")
        super().__init__(
            [
                w.HTML(
                    '<div class="group-title"><h3>Who looked</h3></div>'
                    '<p class="guidance">Every opening, download and export of a record, and '
                    "every refused one, from the first to the last day (UK time). The export "
                    "is itself recorded.</p>"
                ),
                w.HBox([self.start, self.end, export], layout=w.Layout(flex_flow="row wrap")),
                self.links,
            ],
            layout=w.Layout(width="100%", margin="16px 0 0"),
        )
        self.add_class("group-box")
        self.add_class("access-log-export")

    def export(self) -> None:
        start, end = self.start.value, self.end.value
        if start is None or end is None:
            self.links.value = '<span class="status-error">Choose both dates.</span>'
            return
        try:
            since, until = period_bounds(start, end)
        except ValueError as exc:
            self.links.value = f'<span class="status-error">{esc(str(exc))}</span>'
            return
        with self._looking("export", "period_export", None, f"who looked, {start} to {end}"):
            rows = self._store.access_log(self._reader, since=since, until=until)
        name = f"who-looked-{start:%Y%m%d}-{end:%Y%m%d}.csv"
        data = ("\ufeff" + access_csv(rows)).encode("utf-8")  # the mark lets Excel read accents
        self.links.value = data_link(
            data, name, "text/csv", f"Download {name} ({len(rows)} rows)", "download-access-log"
        )
