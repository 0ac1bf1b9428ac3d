"""Thematic audits in the quarterly report: what the audits completed in the period found.

Per authority and service area: how many thematic audits covered it, how its expectations and
bottom lines were rated (Met / Partly met / Not met / Not applicable), how many bottom lines
were not met; and the items most often Not met, in the standards' own words.

Which thematic audits count: those *completed* in the period. A thematic audit run as a section
of a collaborative audit takes that audit's service and team (and is left out when that audit is
a demonstration); one run on its own has neither, so a report for one service or team leaves it
out. Privacy as in the rest of the report: no child's ID is read; a service area audited fewer
than ``min_group`` times shows "<5" and no figures, and is left out of the items most often not
met; counts of audits from 1 to ``min_group - 1`` are shown as "<5". An item not met fewer
than ``min_group`` times is not listed at all: shown as "<5", it would be given away by its
area's Not met count less the items listed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from toolkit.core.profiles import load_profile
from toolkit.reports.load import Filters, demonstration
from toolkit.reports.model import Section, Table
from toolkit.reports.privacy import Viewer, suppress_small_rows, suppressed
from toolkit.standards.loader import AUTHORITIES, load_standards
from toolkit.standards.models import KIND_LABELS
from toolkit.standards.summary import RATINGS, summarise
from toolkit.store import Store
from toolkit.store.report_data import thematic_rows

#: how many items the "most often not met" table lists
MOST_OFTEN_ROWS = 10
AREA_COLUMNS = ["Authority", "Service area", "Audits", *RATINGS.values(), "Bottom lines not met"]
ITEM_COLUMNS = ["Authority", "Service area", "Standard", "Kind", "Times not met", "Audits of area"]


@dataclass(frozen=True)
class Completed:
    """The thematic audits completed in the period and their ratings (no child IDs)."""

    audits: pd.DataFrame  # id, authority, service_areas (JSON list)
    ratings: pd.DataFrame  # thematic_audit_id, item_id, rating


def load_completed(store: Store, filters: Filters) -> Completed:
    """One query for the audits, one for their ratings."""
    start, end = (
        dt.datetime.combine(day, dt.time(), dt.timezone.utc)
        for day in (filters.period.start, filters.period.end)
    )
    audits, ratings = thematic_rows(
        store.engine,
        start,
        end,
        filters.service,
        filters.team,
        live_only=not demonstration(store),
    )
    return Completed(audits, ratings)


def tallies(done: Completed) -> tuple[pd.DataFrame, Counter]:
    """Counts per (authority, area) before privacy, and Not met per (authority, area, item)."""
    by_audit = {
        k: dict(zip(g.item_id, g.rating, strict=True))
        for k, g in done.ratings.groupby("thematic_audit_id")
    }
    rows: dict[tuple[str, str], Counter] = {}
    not_met: Counter = Counter()
    for audit in done.audits.itertuples(index=False):
        standards = load_standards(audit.authority)
        ratings = by_audit.get(audit.id, {})
        for area in summarise(standards, json.loads(audit.service_areas), ratings).areas:
            row = rows.setdefault((audit.authority, area.area_id), Counter())
            row["audits"] += 1
            row.update({k: area.counts[k] for k in RATINGS})
            row["bottom_lines_not_met"] += len(area.bottom_lines_not_met)
        for item_id, rating in ratings.items():
            if rating == "not_met":
                area, _ = standards.item(item_id)
                not_met[(audit.authority, area.id, item_id)] += 1
    frame = pd.DataFrame(
        [
            {"authority": authority, "area_id": area_id, **counts}
            for (authority, area_id), counts in rows.items()
        ],
        columns=["authority", "area_id", "audits", *RATINGS, "bottom_lines_not_met"],
    ).fillna(0)
    return frame, not_met


def _order(authority: str, area_id: str) -> tuple[int, int]:
    areas = [a.id for a in load_standards(authority).areas]
    return AUTHORITIES.index(authority), areas.index(area_id)


def by_area(counts: pd.DataFrame, v: Viewer) -> pd.DataFrame:
    """The table per authority and service area, small groups withheld."""
    counts = counts.iloc[sorted(range(len(counts)), key=lambda i: _order(*counts.iloc[i, :2]))]
    frame = pd.DataFrame(
        {
            "Authority": [load_profile(a).name for a in counts.authority],
            "Service area": [
                load_standards(a).area(area).title
                for a, area in zip(counts.authority, counts.area_id, strict=True)
            ],
            "Audits": counts.audits.astype(int).values,
            **{label: counts[k].astype(int).values for k, label in RATINGS.items()},
            "Bottom lines not met": counts.bottom_lines_not_met.astype(int).values,
        },
        columns=AREA_COLUMNS,
    )
    return suppress_small_rows(frame, "Audits", AREA_COLUMNS[3:], v.min_group)


def most_often_not_met(counts: pd.DataFrame, not_met: Counter, v: Viewer) -> pd.DataFrame:
    """The items rated Not met most often, verbatim, from areas audited often enough to show."""
    audited = {
        (r.authority, r.area_id): int(r.audits)
        for r in counts.itertuples(index=False)
        if r.audits >= v.min_group
    }
    ranked = sorted(
        ((n, key) for key, n in not_met.items() if key[:2] in audited and n >= v.min_group),
        key=lambda pair: (-pair[0], *_order(*pair[1][:2]), pair[1][2]),
    )[:MOST_OFTEN_ROWS]
    rows = []
    for n, (authority, area_id, item_id) in ranked:
        area, item = load_standards(authority).item(item_id)
        rows.append(
            [
                load_profile(authority).name,
                area.title,
                item.text,
                KIND_LABELS[item.kind],
                n,
                audited[(authority, area_id)],
            ]
        )
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def thematic_section(store: Store, filters: Filters, v: Viewer) -> Section:
    """The report's section on thematic audits completed in the period."""
    done = load_completed(store, filters)
    counts, not_met = tallies(done)
    n = len(done.audits)
    scope = (
        " Thematic audits run on their own have no service or team, so a report for one "
        "service or team counts only those run as a section of a collaborative audit."
        if filters.service or filters.team
        else ""
    )
    return Section(
        "thematic",
        "Thematic audits",
        [
            Table(
                "thematic_by_area",
                "Ratings per service area",
                by_area(counts, v),
                f"{suppressed(n, v.min_group)} thematic audits completed in the period. Each "
                "expectation and bottom line of an area audited is counted once per audit. An "
                f"area audited fewer than {v.min_group} times shows <{v.min_group} and no "
                f"figures.{scope}",
            ),
            Table(
                "thematic_not_met",
                "Standards most often not met",
                most_often_not_met(counts, not_met, v),
                f"Up to {MOST_OFTEN_ROWS} expectations and bottom lines rated Not met most "
                "often, in the words of the authority's standards, from the areas audited "
                f"{v.min_group} or more times; an item not met fewer than {v.min_group} times "
                "is not listed.",
            ),
        ],
    )


__all__ = ["MOST_OFTEN_ROWS", "load_completed", "tallies", "thematic_section"]
