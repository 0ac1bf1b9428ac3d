"""What a thematic audit found, as counts a report can print: pure, no store, no widgets.

``summarise`` takes the standards, the areas audited and each item's rating, and returns the
Met / Partly met / Not met / Not applicable counts per area and the bottom lines not met (the
items the auditor must act on). The quarterly report calls it with ratings it has read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from toolkit.standards.models import StandardItem, Standards, StandardsArea

#: stored value → what users read, in the order they are offered: the toolkit's own scale (no
#: authority's standards give one), ``thematic_ratings`` in ``forms/toolkit_decisions.yaml``
RATINGS: dict[str, str] = {
    "met": "Met",
    "partly_met": "Partly met",
    "not_met": "Not met",
    "not_applicable": "Not applicable",
}
NOT_RATED = "not_rated"


def rating_value(label_or_value: str | None) -> str | None:
    """The stored rating for a label ("Partly met") or a stored value; None for no rating."""
    if label_or_value is None or label_or_value == "":
        return None
    if label_or_value in RATINGS:
        return label_or_value
    for value, label in RATINGS.items():
        if label == label_or_value:
            return value
    raise ValueError(f"{label_or_value!r} is not a rating: choose {', '.join(RATINGS.values())}.")


@dataclass(frozen=True)
class AreaSummary:
    area_id: str
    title: str
    counts: dict[str, int]  # met, partly_met, not_met, not_applicable, not_rated
    bottom_lines_not_met: list[str] = field(default_factory=list)  # item ids

    @property
    def rated(self) -> int:
        return sum(n for k, n in self.counts.items() if k != NOT_RATED)


@dataclass(frozen=True)
class ThematicSummary:
    authority: str
    areas: list[AreaSummary]
    bottom_lines_not_met: list[tuple[StandardsArea, StandardItem]]

    def totals(self) -> dict[str, int]:
        keys = [*RATINGS, NOT_RATED]
        return {k: sum(a.counts[k] for a in self.areas) for k in keys}

    @property
    def needs_action(self) -> bool:
        return bool(self.bottom_lines_not_met)


def summarise(
    standards: Standards, area_ids: Iterable[str], ratings: Mapping[str, str | None]
) -> ThematicSummary:
    """Counts per area and the bottom lines rated Not met, in the order of the standards."""
    areas, flagged = [], []
    for area_id in area_ids:
        area = standards.area(area_id)
        counts = dict.fromkeys([*RATINGS, NOT_RATED], 0)
        not_met = []
        for item in area.items:
            rating = ratings.get(item.id) or NOT_RATED
            counts[rating] += 1
            if item.is_bottom_line and rating == "not_met":
                not_met.append(item.id)
                flagged.append((area, item))
        areas.append(AreaSummary(area.id, area.title, counts, not_met))
    return ThematicSummary(standards.authority, areas, flagged)


def unrated(
    standards: Standards, area_ids: Iterable[str], ratings: Mapping[str, str | None]
) -> list[tuple[StandardsArea, StandardItem]]:
    """The items of the audited areas with no rating yet: a thematic audit completes without
    any (Not applicable is a rating)."""
    return [
        (area, item)
        for area in map(standards.area, area_ids)
        for item in area.items
        if not ratings.get(item.id)
    ]


def missing_message(missing: list[tuple[StandardsArea, StandardItem]], shown: int = 3) -> str:
    """What is still to rate, per area, naming the first few items by their opening words."""
    by_area: dict[str, list[StandardItem]] = {}
    for area, item in missing:
        by_area.setdefault(area.title, []).append(item)
    parts = []
    for title, items in by_area.items():
        named = "; ".join(f"“{_opening(i.text)}”" for i in items[:shown])
        more = f" and {len(items) - shown} more" if len(items) > shown else ""
        parts.append(f"{title}: {len(items)} not rated ({named}{more})")
    return "Every expectation and bottom line needs a rating first. " + ". ".join(parts) + "."


def _opening(text: str, words: int = 8) -> str:
    split = " ".join(text.split()).split(" ")
    return " ".join(split[:words]) + ("…" if len(split) > words else "")
