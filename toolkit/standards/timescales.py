"""Which of a case's timescales were met, from its key dates: pure functions, no store.

Timescales are data (``forms/timescales_<authority>.yaml``): from one key date to another,
within (or at least, before) an amount of working days, days, weeks, months or hours, each
quoted with its seed lines. Where the source says two things (the seed notes list these), a
timescale has two *readings* and the check reports both instead of choosing one.

Working days skip Saturdays, Sundays and England's bank holidays
(``holidays.country_holidays("GB", subdiv="ENG")``). "Within N working days of X" is read as:
the Nth working day after X is the last day that counts (X itself is day 0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from dateutil.relativedelta import relativedelta
from pydantic import model_validator

# one calendar of England's bank holidays for the whole toolkit; due dates can fall before a date
from toolkit.core.working_days import is_working_day  # noqa: F401 (part of this module's API)
from toolkit.core.working_days import shift_working_days as add_working_days
from toolkit.forms.models import Cited, Identifier, Label, Strict

Unit = Literal["working_days", "days", "weeks", "months", "hours"]
UNIT_WORDS = {
    "working_days": "working days",
    "days": "calendar days",
    "weeks": "weeks",
    "months": "months",
    "hours": "hours",
}


class KeyDate(Strict):
    """A date the user enters for the case (the label is the toolkit's own words)."""

    id: Identifier
    label: Label


class Reading(Strict):
    """One way the source states a timescale, with the words that say it."""

    amount: int
    unit: Unit
    quote: Cited
    note: str | None = None  # the toolkit's remark, e.g. "the source does not say working days"

    def describe(self, direction: str) -> str:
        unit = UNIT_WORDS[self.unit]
        words = f"{self.amount} {unit.removesuffix('s') if self.amount == 1 else unit}"
        return f"within {words}" if direction == "after" else f"at least {words} before"


class Timescale(Strict):
    """``to`` must fall within the readings' limit after ``start`` (or, with ``direction:
    before``, at least that long before ``start``: a report shared before a conference)."""

    id: Identifier
    title: Label  # the toolkit's short name for it
    start: Identifier
    end: Identifier
    direction: Literal["after", "before"] = "after"
    readings: list[Reading]

    @model_validator(mode="after")
    def _some(self) -> Timescale:
        if not self.readings:
            raise ValueError("a timescale needs at least one reading")
        return self

    @property
    def contradictory(self) -> bool:
        return len(self.readings) > 1


class Timescales(Strict):
    kind: Literal["timescales"] = "timescales"
    authority: Identifier
    version: int = 1
    seed: str
    key_dates: list[KeyDate]
    timescales: list[Timescale]

    @model_validator(mode="after")
    def _known_dates(self) -> Timescales:
        known = {d.id for d in self.key_dates}
        for t in self.timescales:
            for event in (t.start, t.end):
                if event not in known:
                    raise ValueError(f"timescale '{t.id}' uses key date '{event}', not defined")
        return self

    def label(self, date_id: str) -> str:
        return next(d.label for d in self.key_dates if d.id == date_id)


# --- counting -------------------------------------------------------------------------------


def shift(start: dt.date, amount: int, unit: Unit) -> dt.date:
    """``start`` moved by ``amount`` units (negative: earlier). Hours count as whole days,
    rounded up: key dates carry no time of day, so 48 hours is 2 days."""
    if unit == "working_days":
        return add_working_days(start, amount)
    if unit == "days":
        return start + dt.timedelta(days=amount)
    if unit == "weeks":
        return start + dt.timedelta(weeks=amount)
    if unit == "months":
        return start + relativedelta(months=amount)
    days = -(-abs(amount) // 24)
    return start + dt.timedelta(days=days if amount >= 0 else -days)


# --- checking -------------------------------------------------------------------------------

Outcome = Literal["met", "not_met", "not_yet_due", "overdue", "no_dates"]
OUTCOME_WORDS = {
    "met": "Met",
    "not_met": "Not met",
    "not_yet_due": "No date yet, not due",
    "overdue": "No date, time passed",
    "no_dates": "Dates missing",
}


@dataclass(frozen=True)
class ReadingResult:
    reading: Reading
    limit: dt.date | None  # the last day that counts (the latest day, for "before")
    outcome: Outcome


@dataclass(frozen=True)
class TimescaleResult:
    timescale: Timescale
    start: dt.date | None
    end: dt.date | None
    readings: list[ReadingResult]

    @property
    def both_readings_needed(self) -> bool:
        """The readings disagree about this case: the source must be read, not the toolkit."""
        return len({r.outcome for r in self.readings}) > 1

    @property
    def outcome(self) -> Outcome | Literal["depends"]:
        return "depends" if self.both_readings_needed else self.readings[0].outcome


def _judge(
    t: Timescale, reading: Reading, start: dt.date | None, end: dt.date | None, today: dt.date
) -> ReadingResult:
    if start is None:
        return ReadingResult(reading, None, "no_dates")
    if t.direction == "after":
        limit = shift(start, reading.amount, reading.unit)
        if end is not None:
            return ReadingResult(reading, limit, "met" if start <= end <= limit else "not_met")
        return ReadingResult(reading, limit, "not_yet_due" if today <= limit else "overdue")
    limit = shift(start, -reading.amount, reading.unit)
    if end is None:
        return ReadingResult(reading, limit, "not_yet_due" if today <= limit else "overdue")
    return ReadingResult(reading, limit, "met" if end <= limit else "not_met")


def check_timescales(
    timescales: Timescales | Iterable[Timescale],
    dates: Mapping[str, dt.date | None],
    today: dt.date | None = None,
) -> list[TimescaleResult]:
    """Every timescale judged on the case's key dates (missing end date: not yet due / overdue)."""
    today = today or dt.date.today()
    items = timescales.timescales if isinstance(timescales, Timescales) else list(timescales)
    results = []
    for t in items:
        start, end = dates.get(t.start), dates.get(t.end)
        results.append(
            TimescaleResult(t, start, end, [_judge(t, r, start, end, today) for r in t.readings])
        )
    return results
