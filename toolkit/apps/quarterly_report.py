"""The quarterly report notebook's one cell: the report for a period, shown as HTML."""

from __future__ import annotations

import datetime as dt

from IPython.display import HTML, display

from toolkit.reports.document import make
from toolkit.reports.html import report_html
from toolkit.reports.model import Report
from toolkit.reports.period import previous_quarter
from toolkit.store import Store


def render(
    period: str | None,
    service: str | None = None,
    team: str | None = None,
    store: Store | None = None,
    as_of: dt.date | None = None,
) -> Report:
    """Show the report for ``period`` (e.g. "2026Q3"; None: the last whole quarter) as HTML;
    returns it for the workbook."""
    report = make(period or previous_quarter().label, service, team, store, as_of)
    display(HTML(report_html(report)))
    return report
