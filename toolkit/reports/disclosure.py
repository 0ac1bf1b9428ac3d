"""Which counts a report withholds, so that no count from 1 to 4 can be worked out from the rest.

Showing "<5" for a small count is not enough when the report also shows the total it is part
of: the total minus the other parts gives it back ("complementary disclosure"). So every count
a table shows is registered here with the totals it adds up to (:meth:`Withholding.adds_up`:
the teams' counts add up to the period's, the grades of a month to the month's audits, the
months of a quarter to the quarter's), and :meth:`Withholding.settle` decides:

1. every count from 1 to ``min_group - 1`` is withheld and shown as "<5";
2. then, for each breakdown whose total is shown, the withheld parts must stay uncertain: a
   lone withheld part, or withheld parts whose sum leaves any of them one possible value, is
   not enough, so the smallest part shown of ``min_group`` or more is withheld too (shown
   "–"), or the total itself when there is none; a withheld total whose parts are all shown
   gets one of them withheld the same way;
3. until no breakdown changes (every line of every table is checked against every other).

A share is shown only when its part and its whole are both shown (:meth:`Withholding.share`).
Counts the report never shows (audits with no team) are ``unseen``: treated as known to the
reader, never withheld. This is the usual cell-suppression rule (as statistical offices apply
it), checked one breakdown at a time: it is not a proof against every combination of tables.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

Key = Hashable
WITHHELD = "–"  # a count withheld so that a small one beside it cannot be worked out


@dataclass
class Withholding:
    min_group: int
    values: dict[Key, int] = field(default_factory=dict)
    lines: list[tuple[tuple[Key, ...], Key]] = field(default_factory=list)
    hidden: set[Key] = field(default_factory=set)
    unseen: set[Key] = field(default_factory=set)
    _settled: bool = False

    # --- what the report holds -------------------------------------------------------------
    def count(self, key: Key, value: float, unseen: bool = False) -> Key:
        """Register a count the report shows (``unseen``: one it never shows)."""
        self.values[key] = 0 if value is None or math.isnan(float(value)) else int(value)
        if unseen:
            self.unseen.add(key)
        self._settled = False
        return key

    def adds_up(self, parts: Iterable[Key], total: Key) -> None:
        """The counts ``parts`` add up to the count ``total``."""
        parts = tuple(parts)
        missing = [k for k in (*parts, total) if k not in self.values]
        if missing:
            raise KeyError(f"register these counts first: {missing}")
        self.lines.append((parts, total))
        self._settled = False

    # --- deciding ---------------------------------------------------------------------------
    def settle(self) -> Withholding:
        """Withhold the small counts, then whatever would let one be worked out."""
        m = self.min_group
        self.hidden = {k for k, v in self.values.items() if 0 < v < m and k not in self.unseen}
        changed = True
        while changed:
            changed = False
            for parts, total in self.lines:
                if self._exposed(parts, total):
                    changed |= self._withhold_more(parts, total)
        self._settled = True
        return self

    def _exposed(self, parts: tuple[Key, ...], total: Key) -> bool:
        """Whether this breakdown lets a withheld count (or a withheld total) be worked out."""
        hidden = [k for k in parts if k in self.hidden]
        if total in self.hidden:
            return not hidden and self.values[total] > 0  # the parts add up to it
        if not hidden:
            return False
        rest = self.values[total] - sum(self.values[k] for k in parts if k not in self.hidden)
        bounds = [self._bounds(k) for k in hidden]
        for i, (low, high) in enumerate(bounds):
            others_low = sum(b[0] for j, b in enumerate(bounds) if j != i)
            others_high = sum(b[1] for j, b in enumerate(bounds) if j != i)
            could_be_low = max(low, rest - others_high)
            could_be_high = min(high, rest - others_low)
            if high > low and could_be_high <= could_be_low:
                return True  # one value left where its mark allowed more: it is worked out
        return False

    def _bounds(self, key: Key) -> tuple[float, float]:
        """What a reader knows of a withheld count: 1 to min_group - 1 ("<5"), or at least
        min_group ("–")."""
        if self.values[key] < self.min_group:
            return 1, self.min_group - 1
        return self.min_group, math.inf

    def _withhold_more(self, parts: tuple[Key, ...], total: Key) -> bool:
        shown = [
            k
            for k in parts
            if k not in self.hidden and k not in self.unseen and self.values[k] >= self.min_group
        ]
        if shown:
            self.hidden.add(min(shown, key=lambda k: self.values[k]))
            return True
        if total not in self.hidden and total not in self.unseen:
            self.hidden.add(total)
            return True
        return False  # nothing left to withhold here (only unseen counts): see the note above

    # --- showing ----------------------------------------------------------------------------
    def is_shown(self, key: Key) -> bool:
        self._check()
        return key not in self.hidden

    def shown(self, key: Key) -> object:
        """The count as the report shows it: the number, "<5" or "–"."""
        self._check()
        value = self.values[key]
        if key not in self.hidden:
            return value
        return f"<{self.min_group}" if value < self.min_group else WITHHELD

    def share(self, part: Key, whole: Key) -> str:
        """``part`` as a percentage of ``whole``, only when both are shown."""
        self._check()
        if not (self.is_shown(part) and self.is_shown(whole)):
            return WITHHELD
        return _percent(self.values[part], self.values[whole])

    def _check(self) -> None:
        if not self._settled:
            raise RuntimeError("settle() the withholding before showing its counts")


def share_of(part: float, whole: float, min_group: int) -> str:
    """``part`` as a percentage of ``whole``, only when neither is a count from 1 to
    ``min_group - 1`` (a share of a hidden count, or of a hidden total, would give it away)."""
    if any(0 < n < min_group for n in (part, whole)):
        return WITHHELD
    return _percent(part, whole)


def _percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else WITHHELD


def withheld_breakdown(counts: dict[Key, float], min_group: int) -> Withholding:
    """One breakdown on its own (its parts and their sum, under the key ``"total"``)."""
    held = Withholding(min_group)
    for key, value in counts.items():
        held.count(key, value)
    held.count("total", sum(held.values.values()))
    held.adds_up(counts, "total")
    return held.settle()


__all__ = ["WITHHELD", "Withholding", "share_of", "withheld_breakdown"]
