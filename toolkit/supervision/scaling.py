"""The spread of a group's ratings on a 0–10 scale.

Where people agree and how far apart they are."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    count: int
    minimum: int
    maximum: int
    median: float
    range: int


def spread(values: list[int]) -> Spread | None:
    """Minimum, maximum, median and range of the ratings given (None before anyone rates).

    The range, not an average, is what a group talks about: a wide one means people see the
    same case differently, which is the conversation to have.
    """
    if not values:
        return None
    return Spread(
        count=len(values),
        minimum=min(values),
        maximum=max(values),
        median=statistics.median(values),
        range=max(values) - min(values),
    )
