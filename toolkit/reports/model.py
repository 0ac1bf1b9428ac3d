"""What a report is made of: sections of titled tables, some with a chart of their figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from toolkit.reports.load import Filters
from toolkit.reports.privacy import MIN_GROUP, suppressed

#: what a report made on each kind of store says about demonstration audits
DEMONSTRATION_NOTES = {
    "": "Demonstration audits are left out.",
    "training": (
        "Demonstration data: only the fictional example cases of the training store are counted."
    ),
    "demo": (
        "Demonstration data: every figure here is made from the fictional audits the run "
        "command puts in a new store. No real audit is counted. Once a real audit is recorded "
        "in this store, the demonstration audits are left out of every report."
    ),
}


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
    #: "" (demonstration audits left out), "training" or "demo": see ``load.demonstration``
    demonstration: str = ""
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
    def demonstration_note(self) -> str:
        """What the report says about demonstration audits (each export states it)."""
        return DEMONSTRATION_NOTES[self.demonstration]

    @property
    def subtitle(self) -> str:
        parts = [self.filters.period.label]
        if self.filters.service:
            parts.append(self.filters.service)
        if self.filters.team:
            parts.append(self.filters.team)
        return " · ".join(parts)
