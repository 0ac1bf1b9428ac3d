"""Themes in free text by counting phrases: a method anyone can repeat with a highlighter.

Each text is lower-cased and split into words; phrases are runs of two or three words that
neither start nor end with a common word ("the", "to", "with" …) and contain no number. A
phrase is counted once per text it appears in, so the count reads "mentioned in N audits'
notes". No model, no weighting: the most frequent phrases are the themes.

Example quotes are whole texts that contain the phrase, taken in audit order, leaving out any
text with a word that is a name in the people register or a child's recorded name. That check
cannot see a name nobody recorded (a sibling, a neighbour), so quotes are a few short samples
for the quality assurance team, not for publication outside it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from toolkit.reports.privacy import mentions_a_name

STOP_WORDS = frozenset(
    """a about above after again all also am an and any are as at be been before being below
    between both but by can could did do does doing don't down during each for from further
    had has have having he her here hers him his how i i'm if in into is it its itself just me
    more most my no nor not now of off on once only or other our out over own same she should
    so some such than that the their them then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would
    you your yet""".split()
)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def phrases(text: str, sizes: Iterable[int] = (2, 3)) -> set[str]:
    """The distinct 2- and 3-word phrases of ``text`` that do not start or end on a stop word."""
    words = _WORD.findall(text.lower())
    found: set[str] = set()
    for size in sizes:
        for i in range(len(words) - size + 1):
            gram = words[i : i + size]
            if gram[0] in STOP_WORDS or gram[-1] in STOP_WORDS:
                continue
            found.add(" ".join(gram))
    return found


def top_phrases(texts: pd.Series, top: int = 5) -> list[tuple[str, int]]:
    """The ``top`` phrases by the number of texts they appear in (ties: alphabetical).

    Identical texts are tokenised once and counted by how often they occur.
    """
    counts: Counter[str] = Counter()
    for text, times in texts.value_counts().items():
        for phrase in phrases(str(text)):
            counts[phrase] += int(times)
    # most texts first; among equals the longer phrase, then alphabetical
    ranked = sorted(counts.items(), key=lambda item: (-item[1], -len(item[0].split()), item[0]))
    return _without_overlaps(ranked, top)


def _without_overlaps(ranked: list[tuple[str, int]], top: int) -> list[tuple[str, int]]:
    """Skip a phrase that shares a word with one already chosen and is in as many texts:
    "safety plan" and "plan written" from the same notes are one theme, not two."""
    chosen: list[tuple[str, int]] = []
    for phrase, count in ranked:
        words = set(phrase.split())
        if any(count == c and words & set(p.split()) for p, c in chosen):
            continue
        chosen.append((phrase, count))
        if len(chosen) == top:
            break
    return chosen


def quotes(texts: pd.Series, phrase: str, names: frozenset[str], limit: int = 2) -> list[str]:
    """Up to ``limit`` distinct texts containing ``phrase`` that name nobody we know of."""
    found: list[str] = []
    pattern = re.compile(r"\b" + re.escape(phrase) + r"\b")
    for text in texts:
        if text in found or not pattern.search(text.lower()):
            continue
        if mentions_a_name(text, names):
            continue
        found.append(text)
        if len(found) == limit:
            break
    return found
