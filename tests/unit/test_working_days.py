"""The follow-up is due on the 5th working day after completion, England and Wales bank holidays
excluded. Every expected date is worked out by hand in the comment beside it."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.core.working_days import (
    add_working_days,
    follow_up_due,
    is_working_day,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("completed", "due"),
    [
        # An ordinary week: Mon 9 Nov 2026 → Tue 10 (1), Wed 11 (2), Thu 12 (3), Fri 13 (4),
        # weekend, Mon 16 (5).
        (D(2026, 11, 9), D(2026, 11, 16)),
        # Completed on a Saturday: Mon 16 (1) … Fri 20 Nov 2026 (5).
        (D(2026, 11, 14), D(2026, 11, 20)),
        # Christmas 2026: Mon 21 Dec → Tue 22 (1), Wed 23 (2), Thu 24 (3); Fri 25 Christmas Day,
        # Sat 26 Boxing Day, Sun 27, Mon 28 Boxing Day (substitute day) do not count;
        # Tue 29 (4), Wed 30 Dec (5).
        (D(2026, 12, 21), D(2026, 12, 30)),
        # Christmas into New Year 2025–26: Wed 24 Dec 2025 → Thu 25 and Fri 26 bank holidays,
        # weekend; Mon 29 (1), Tue 30 (2), Wed 31 (3); Thu 1 Jan 2026 New Year's Day;
        # Fri 2 (4); weekend; Mon 5 Jan 2026 (5).
        (D(2025, 12, 24), D(2026, 1, 5)),
        # New Year 2027: Wed 30 Dec 2026 → Thu 31 (1); Fri 1 Jan 2027 New Year's Day; weekend;
        # Mon 4 (2), Tue 5 (3), Wed 6 (4), Thu 7 Jan 2027 (5).
        (D(2026, 12, 30), D(2027, 1, 7)),
        # Christmas 2027 falls on a weekend: Fri 24 Dec 2027 → Sat 25, Sun 26; Mon 27 and Tue 28
        # substitute days; Wed 29 (1), Thu 30 (2), Fri 31 (3); weekend; Mon 3 Jan 2028 is the
        # substitute for New Year's Day (a Saturday); Tue 4 (4), Wed 5 Jan 2028 (5).
        (D(2027, 12, 24), D(2028, 1, 5)),
        # Easter 2026: Thu 2 Apr → Fri 3 Good Friday, weekend, Mon 6 Easter Monday;
        # Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4), weekend, Mon 13 Apr 2026 (5).
        (D(2026, 4, 2), D(2026, 4, 13)),
        # Easter 2027: Wed 24 Mar → Thu 25 (1); Fri 26 Good Friday; weekend; Mon 29 Easter
        # Monday; Tue 30 (2), Wed 31 (3), Thu 1 Apr (4), Fri 2 Apr 2027 (5).
        (D(2027, 3, 24), D(2027, 4, 2)),
        # Completed on Good Friday 2026 itself (3 Apr): Tue 7 (1) … Mon 13 Apr (5).
        (D(2026, 4, 3), D(2026, 4, 13)),
    ],
)
def test_follow_up_is_due_on_the_fifth_working_day(completed: dt.date, due: dt.date) -> None:
    assert follow_up_due(completed) == due
    assert working_days_between(completed, due) == 5
    assert is_working_day(due)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 12, 25), False),  # Christmas Day
        (D(2026, 12, 28), False),  # Boxing Day moved to Monday
        (D(2027, 1, 1), False),  # New Year's Day
        (D(2026, 4, 3), False),  # Good Friday
        (D(2026, 4, 6), False),  # Easter Monday
        (D(2026, 8, 31), False),  # Late Summer Bank Holiday (England and Wales, not Scotland)
        (D(2026, 8, 3), True),  # Scotland's summer holiday is not England's
        (D(2026, 1, 2), True),  # 2 January is a holiday in Scotland only
        (D(2026, 11, 21), False),  # a Saturday
        (D(2026, 11, 23), True),  # a Monday
    ],
)
def test_working_days_are_england_and_wales(day: dt.date, working: bool) -> None:
    assert is_working_day(day) is working


def test_add_and_count_agree() -> None:
    start = D(2026, 12, 18)
    for n in range(0, 30):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert add_working_days(start, 0) == start
    assert working_days_between(D(2026, 12, 30), D(2026, 12, 21)) == -5
    with pytest.raises(ValueError, match="count must be zero or more"):
        add_working_days(start, -1)
