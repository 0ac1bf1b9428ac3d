"""The few statistics the report uses, written out so they can be explained and checked by hand."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd


def cohen_kappa(first: Sequence[object], second: Sequence[object]) -> float | None:
    """Agreement between two raters beyond chance: (observed − expected) / (1 − expected).

    *observed* is the share of items both gave the same category; *expected* is the agreement
    two raters would reach by chance with these same habits: for each category, the share the
    first rater gave it times the share the second gave it, added up. 1 is perfect agreement,
    0 no better than chance. ``None`` when there is nothing to compare, and 1.0 when both used
    one and the same category throughout (chance agreement is then total).
    """
    pairs = [(a, b) for a, b in zip(first, second, strict=True) if _known(a) and _known(b)]
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    left = Counter(a for a, _ in pairs)
    right = Counter(b for _, b in pairs)
    expected = sum(left[c] / n * right.get(c, 0) / n for c in left)
    if expected == 1:
        return 1.0
    return (observed - expected) / (1 - expected)


def _known(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and value != value)


@dataclass(frozen=True)
class Spread:
    """Median and quartiles (linear interpolation between ranked values, pandas' default)."""

    n: int
    median: float
    q1: float
    q3: float

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1


def spread(values: pd.Series) -> Spread | None:
    values = values.dropna()
    if values.empty:
        return None
    q1, mid, q3 = values.quantile([0.25, 0.5, 0.75]).tolist()
    return Spread(len(values), mid, q1, q3)


def spreads(frame: pd.DataFrame) -> pd.DataFrame:
    """Median, quartiles and IQR of every column at once (NaN ignored), one row per column."""
    q = frame.quantile([0.25, 0.5, 0.75]).T
    q.columns = ["q1", "median", "q3"]
    q["iqr"] = q.q3 - q.q1
    q["n"] = frame.notna().sum()
    q["mean"] = frame.mean()
    return q


def month_of(moments: pd.Series) -> pd.Series:
    """'2026-07' for each moment (UTC)."""
    return moments.dt.strftime("%Y-%m")


def quarter_label(moments: pd.Series) -> pd.Series:
    """'2026Q3' for each moment (UTC)."""
    return moments.dt.year.astype(str) + "Q" + moments.dt.quarter.astype(str)


def shares_by(labels: pd.Series, groups: pd.Series, order: Sequence[str]) -> pd.DataFrame:
    """Counts of each label per group (rows: groups in time order; columns: ``order``)."""
    table = pd.crosstab(groups, labels).reindex(columns=list(order), fill_value=0)
    table.index.name = table.columns.name = None
    return table.sort_index()
