"""The quarterly report as a document: what ``notebooks/quarterly_report.ipynb`` calls.

It displays HTML with inline SVG charts only (no widgets), so nbconvert can export the executed
notebook as one self-contained file. Scheduled runs have no signed-in person: people are shown
as codes.
"""

from __future__ import annotations

import datetime as dt

from toolkit.reports import Filters, Report, build_report, parse_period
from toolkit.reports.privacy import viewer_for
from toolkit.store import Store


def make(
    period: str,
    service: str | None = None,
    team: str | None = None,
    store: Store | None = None,
    as_of: dt.date | None = None,
) -> Report:
    filters = Filters(parse_period(period), service or None, team or None)
    if store is not None:
        return build_report(store, filters, viewer_for(None), as_of)
    own = Store()  # opened for this report only: its connections are closed when it is built
    try:
        return build_report(own, filters, viewer_for(None), as_of)
    finally:
        own.close()
