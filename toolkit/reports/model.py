"""What a report is made of: sections of titled tables, some with a chart of their figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from toolkit.reports.load import Filters
from toolkit.reports.privacy import MIN_GROUP, suppressed


@dataclass
class Chart:
    """Figures to draw: ``kind`` is "stacked" (shares per row), "lines" (a line per column),
    "boxes" (median and quartiles per row) or "bars" (one value per row).

    A chart draws only figures its table shows: a bar whose count is withheld is NaN in
    ``data`` and not drawn, and ``marks`` says what stands in its place ("<5")."""

    kind: str
    data: pd.DataFrame
    ylabel: str = ""
    scale: tuple[float, float] | None = None  # fixed axis range, e.g. (0, 10) for a 0–10 scale
    marks: dict[str, str] = field(default_factory=dict)  # row → the withheld count as shown


@dataclass
class Table:
    key: str  # stable: used as the sheet name and CSS class
    title: str
    frame: pd.DataFrame  # as shown: suppressed, pseudonymised, formatted
    note: str = ""
    chart: Chart | None = None


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)


@dataclass
class Report:
    filters: Filters
    as_of: dt.date
    audits_read: int
    sections: list[Section]
    names_shown: bool = False
    demonstration: bool = False  # made on the training store: the example cases only
    min_group: int = MIN_GROUP

    @property
    def audits_read_shown(self) -> object:
        """How many audits the report read, as the report shows it ("<5" for 1 to 4)."""
        return suppressed(self.audits_read, self.min_group)

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def charts(self) -> list[Table]:
        return [t for t in self.tables() if t.chart is not None]

    @property
    def subtitle(self) -> str:
        parts = [self.filters.period.label]
        if self.filters.service:
            parts.append(self.filters.service)
        if self.filters.team:
            parts.append(self.filters.team)
        return " · ".join(parts)
