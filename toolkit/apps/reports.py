"""The quality assurance reporting app: filters, then How much / How well / better off / Themes.

Quality assurance only: anyone else is told so and shown nothing (the check is in
:func:`toolkit.reports.privacy.check_report_reader`, not only here). People appear as codes
unless the reader ticks "Show names".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ipywidgets as w

from toolkit.apps.common import AppFrame, page_store
from toolkit.apps.who_looked import AccessLogExport
from toolkit.reports import Filters, build_report
from toolkit.reports.html import REPORT_CSS, header_html, section_html
from toolkit.reports.load import filter_options
from toolkit.reports.period import PeriodError, parse_period, previous_quarter
from toolkit.reports.privacy import check_report_reader, viewer_for
from toolkit.store import NotAllowed, Store

ALL = "All"
PERIOD_KINDS = ("Quarter", "Month", "From – to")


class ReportFilters(w.VBox):
    """Period, service and team; ``filters()`` reads them (raising PeriodError when unclear)."""

    def __init__(self, store: Store, on_show: Callable[[], None]) -> None:
        options = filter_options(store)
        last = previous_quarter()
        self.kind = w.ToggleButtons(options=PERIOD_KINDS, value="Quarter", description="Period")
        self.kind.add_class("period-kind")
        self.quarter = w.Text(value=last.label, description="Quarter", placeholder="2026Q3")
        self.quarter.add_class("period-quarter")
        self.month = w.Text(
            value=f"{last.last_day:%Y-%m}", description="Month", placeholder="2026-07"
        )
        self.month.add_class("period-month")
        self.start = w.DatePicker(value=last.start, description="From")
        self.start.add_class("period-from")
        self.end = w.DatePicker(value=last.last_day, description="To")
        self.end.add_class("period-to")
        self.service = w.Dropdown(options=[ALL, *options["services"]], description="Service")
        self.service.add_class("filter-service")
        self.team = w.Dropdown(options=[ALL, *options["teams"]], description="Team")
        self.team.add_class("filter-team")
        self.names = w.Checkbox(value=False, description="Show names (not codes)", indent=False)
        self.names.add_class("show-names")
        self.show = w.Button(description="Show report", button_style="primary")
        self.show.add_class("show-report")
        self.show.on_click(lambda _b: on_show())
        self.period_box = w.HBox([self.quarter])
        self.kind.observe(lambda _c: self._period_inputs(), names="value")
        for box in (self.quarter, self.month, self.service, self.team):
            box.layout.width = "320px"
        super().__init__(
            [
                self.kind,
                self.period_box,
                w.HBox([self.service, self.team], layout=w.Layout(flex_flow="row wrap")),
                w.HBox([self.names, self.show], layout=w.Layout(align_items="center")),
            ]
        )
        self.add_class("report-filters")

    def _period_inputs(self) -> None:
        self.period_box.children = {
            "Quarter": [self.quarter],
            "Month": [self.month],
            "From – to": [self.start, self.end],
        }[self.kind.value]

    def period_text(self) -> str:
        if self.kind.value == "Quarter":
            return self.quarter.value
        if self.kind.value == "Month":
            return self.month.value
        if not isinstance(self.start.value, dt.date) or not isinstance(self.end.value, dt.date):
            raise PeriodError("Choose both days of the period.")
        return f"{self.start.value:%Y-%m-%d}/{self.end.value:%Y-%m-%d}"

    def filters(self) -> Filters:
        return Filters(
            parse_period(self.period_text()),
            None if self.service.value == ALL else self.service.value,
            None if self.team.value == ALL else self.team.value,
        )


class ReportsApp(AppFrame):
    notebook = "reports.ipynb"

    def __init__(self, store: Store | None = None) -> None:
        super().__init__("Quality assurance reports", "reports-app", store or page_store())
        self.filters: ReportFilters | None = None
        self.output = w.VBox(layout=w.Layout(width="100%"))
        self.sheet = w.HTML(REPORT_CSS, layout=w.Layout(display="none"))
        self.output.add_class("report-output")
        self.begin()

    def start(self) -> None:
        try:
            check_report_reader(self.person)
        except NotAllowed as exc:
            self.messages.show(str(exc), "error")
            refusal = w.HTML(
                '<p class="report-refused">Reports across audits are for the quality assurance '
                "team. Open your own audits in the audit app.</p>"
            )
            refusal.add_class("report-refusal")
            self.body.children = [self.sheet, refusal]
            return
        self.messages.clear()
        self.filters = ReportFilters(self.store, self.guard(self.show_report))
        who_looked = AccessLogExport(self.store, self.person, self.guard, self.looking)
        self.body.children = [self.sheet, self.filters, self.output, who_looked]
        self.show_report()

    def show_report(self) -> None:
        assert self.filters is not None
        check_report_reader(self.person)
        try:
            filters = self.filters.filters()
        except PeriodError as exc:
            self.messages.show(str(exc), "error")
            return
        self.messages.show("Working out the report…", "info")
        register = {p.id: p.name for p in self.store.people()} if self.filters.names.value else {}
        viewer = viewer_for(self.person, names=self.filters.names.value, register=register)
        report = build_report(self.store, filters, viewer)
        tabs = w.Tab()
        tabs.children = [
            w.HTML(f'<div class="qa-report">{section_html(s)}</div>') for s in report.sections
        ]
        for i, section in enumerate(report.sections):
            tabs.set_title(i, section.title.rstrip("?"))
            tabs.children[i].add_class(f"tab-{section.key}")
        tabs.add_class("report-tabs")
        header = w.HTML(f'<div class="qa-report">{header_html(report)}</div>')
        header.add_class("report-header")
        self.output.children = [header, tabs]
        self.messages.show(f"Report for {report.subtitle} ready.", "ok")


def app(store: Store | None = None) -> None:
    """Build the reporting app and show it (the one line in ``notebooks/reports.ipynb``)."""
    from IPython.display import display

    display(ReportsApp(store))


__all__ = ["ReportFilters", "ReportsApp", "app"]
