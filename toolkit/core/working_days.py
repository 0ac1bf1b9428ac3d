"""Working days in England and Wales: weekends and bank holidays do not count.

Bank holidays come from the maintained ``holidays`` library (``GB``, subdivision ``ENG``: the
England and Wales list, substitute days included), never from a hand-kept list.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

#: The auditor follows up this many working days after the audit is completed (seed 002 L521–524).
FOLLOW_UP_WORKING_DAYS = 5


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def shift_working_days(start: dt.date, amount: int) -> dt.date:
    """The ``amount``-th working day after ``start`` (before it, for a negative amount);
    ``start`` itself never counts."""
    step = 1 if amount >= 0 else -1
    day, left = start, abs(amount)
    while left:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``start`` (``start`` itself never counts)."""
    if count < 0:
        raise ValueError("count must be zero or more")
    return shift_working_days(start, count)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``.

    Negative when ``end`` is earlier."""
    if end < start:
        return -working_days_between(end, start)
    return sum(
        is_working_day(start + dt.timedelta(days=n)) for n in range(1, (end - start).days + 1)
    )


def follow_up_due(completed: dt.date) -> dt.date:
    """The day the auditor's follow-up is due: the 5th working day after completion."""
    return add_working_days(completed, FOLLOW_UP_WORKING_DAYS)
