"""The period a report covers: a month (``2026-07``), a quarter (``2026Q3``) or any from/to."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:/|\.\.|to)\s*(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    """A period the report cannot read; the message says what it accepts."""


@dataclass(frozen=True)
class Period:
    """From ``start`` (included) to ``end`` (excluded), with a label for titles."""

    start: dt.date
    end: dt.date
    label: str

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def quarter(year: int, number: int) -> Period:
    start = dt.date(year, 3 * number - 2, 1)
    return Period(start, _add_months(start, 3), f"{year}Q{number}")


def quarter_of(day: dt.date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


def previous_quarter(today: dt.date | None = None) -> Period:
    """The last whole quarter before ``today``: the default for the quarterly report."""
    current = quarter_of(today or dt.date.today())
    return quarter_of(current.start - dt.timedelta(days=1))


def parse_period(text: str) -> Period:
    """``2026Q3``, ``2026-07`` or ``2026-01-01/2026-06-30`` (both days included)."""
    raw = (text or "").strip()
    if m := _QUARTER.match(raw):
        return quarter(int(m[1]), int(m[2]))
    if m := _MONTH.match(raw):
        month = int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"{raw!r}: a month is 01 to 12.")
        start = dt.date(int(m[1]), month, 1)
        return Period(start, _add_months(start, 1), start.strftime("%B %Y"))
    if m := _RANGE.match(raw):
        try:
            first, last = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
        except ValueError as exc:
            raise PeriodError(f"{raw!r}: {exc}.") from None
        if last < first:
            raise PeriodError(f"{raw!r}: the period ends before it starts.")
        return Period(first, last + dt.timedelta(days=1), f"{first:%d %b %Y} to {last:%d %b %Y}")
    raise PeriodError(
        f"{raw!r} is not a period: give a quarter (2026Q3), a month (2026-07) or "
        "two days (2026-01-01/2026-06-30)."
    )


def look_back(period: Period, months: int) -> dt.date:
    """The first day of the months before ``period`` that trends and repeat audits look at."""
    return _add_months(dt.date(period.start.year, period.start.month, 1), -months)
