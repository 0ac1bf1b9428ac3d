"""How often group supervision meets under the active authority profile, and whether each
group's next session is due: from the date of its last group case mapping session.

A frequency applies to a group whose name is the frequency's team (any case), or to every group
when the profile says so ("each team holds group supervision monthly"). Where the source's
words give no clear interval (Leicester's "bi-monthly"), nothing is judged due.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from toolkit.core.profiles import Profile, SupervisionFrequency
from toolkit.supervision.store import SessionRecord

#: the session kinds that are group supervision
GROUP_SUPERVISION_KINDS = ("group_mapping",)
#: the next session counts as due this many days before the date it falls on
DUE_WITHIN_DAYS = 7

State = Literal["overdue", "due", "not_due", "unknown"]
STATE_LABELS: dict[State, str] = {
    "overdue": "Overdue",
    "due": "Due",
    "not_due": "Not yet due",
    "unknown": "No interval to judge by",
}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(last: dt.date, frequency: SupervisionFrequency) -> dt.date | None:
    """When the next session falls by the frequency, or None when its words give no interval."""
    if frequency.every_weeks:
        return last + dt.timedelta(weeks=frequency.every_weeks)
    if frequency.every_months:
        return add_months(last, frequency.every_months)
    return None


def frequency_for(profile: Profile, group: str) -> SupervisionFrequency | None:
    """The profile's group supervision frequency for a group, by its team's name or for all."""
    groups = [f for f in profile.supervision if f.kind == "group"]
    wanted = group.strip().casefold()
    named = next((f for f in groups if f.team.strip().casefold() == wanted), None)
    return named or next((f for f in groups if f.every_team), None)


@dataclass(frozen=True)
class GroupCycle:
    """A group's last group supervision and when the next one falls."""

    group: str
    last: dt.date
    frequency: SupervisionFrequency | None
    next_due: dt.date | None
    state: State

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def judge(next_on: dt.date | None, today: dt.date) -> State:
    if next_on is None:
        return "unknown"
    if today > next_on:
        return "overdue"
    return "due" if (next_on - today).days <= DUE_WITHIN_DAYS else "not_due"


def group_cycles(
    sessions: Iterable[SessionRecord], profile: Profile, today: dt.date
) -> list[GroupCycle]:
    """Per group (by name, any case), its last group supervision and whether the next is due."""
    last: dict[str, tuple[str, dt.date]] = {}
    for s in sessions:
        if s.kind not in GROUP_SUPERVISION_KINDS or not (s.group_name or "").strip():
            continue
        key, day = s.group_name.strip().casefold(), s.started_at.date()
        if key not in last or day > last[key][1]:
            last[key] = (s.group_name.strip(), day)
    cycles = []
    for name, day in sorted(last.values(), key=lambda x: x[0].casefold()):
        frequency = frequency_for(profile, name)
        due = next_due(day, frequency) if frequency else None
        cycles.append(GroupCycle(name, day, frequency, due, judge(due, today)))
    return cycles
