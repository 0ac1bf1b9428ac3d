"""Quality assurance reporting across audits (pandas; never imported by the audit app).

``build_report(store, filters, viewer)`` loads a period's audits (:mod:`.load`) and computes
every section (:mod:`.compute`; thematic audits: :mod:`.thematic`); :mod:`.html`,
:mod:`.charts`, :mod:`.excel` and :mod:`.document` show it; :mod:`.export` writes the quarterly
report files.
"""

from __future__ import annotations

import datetime as dt

from toolkit.reports.compute import build
from toolkit.reports.load import Filters, demonstration, load
from toolkit.reports.model import Report
from toolkit.reports.period import parse_period
from toolkit.reports.privacy import Viewer
from toolkit.reports.thematic import thematic_section
from toolkit.store import Store


def build_report(
    store: Store, filters: Filters, viewer: Viewer, as_of: dt.date | None = None
) -> Report:
    report = build(load(store, filters, as_of), viewer)
    report.sections.append(thematic_section(store, filters, viewer))
    report.demonstration = demonstration(store)
    return report


__all__ = ["Filters", "Report", "Viewer", "build_report", "parse_period"]
