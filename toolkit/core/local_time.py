"""Times as people in an English authority read them: Europe/London, summer and winter.

The store keeps UTC; everything shown or printed goes through :func:`local_time`.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TIME = ZoneInfo("Europe/London")


def local_time(at: dt.datetime) -> dt.datetime:
    """``at`` in London time; a naive time is the store's UTC."""
    at = at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)
    return at.astimezone(LOCAL_TIME)


def when_text(at: dt.datetime) -> str:
    """``2 Dec 2026 14:05 GMT``: local time, with the zone so summer and winter read right."""
    moment = local_time(at)
    return f"{moment.day} {moment:%b %Y %H:%M} {moment.tzname()}"
