"""Pure scoring functions: the band of a scale, and the profile of an audit's area scales."""

from __future__ import annotations

import numbers
import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from toolkit.forms.models import GradeBands

SCALE_MIN, SCALE_MAX = 0, 10
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class ScaleValueError(ValueError):
    """A scale answer that is not a whole number from 0 to 10."""


def check_scale_value(value: object, low: int = SCALE_MIN, high: int = SCALE_MAX) -> int:
    """Return ``value`` as an int, or raise with a message a user can act on.

    Booleans and floats with a fraction are refused: ``True`` is not 1 and 6.5 is not a point
    on the scale, even though Python would quietly accept both as numbers.
    """
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, float, str)):
        raise ScaleValueError(
            f"a scale answer must be a whole number from {low} to {high}, not {value!r}"
        )
    if isinstance(value, numbers.Integral):
        value = int(value)  # e.g. a numpy integer from a table
    if isinstance(value, str):
        # ASCII digits only: "--1" or "²" pass str.isdigit() checks but make int() fail
        if not _WHOLE_NUMBER.fullmatch(value.strip()):
            raise ScaleValueError(
                f"a scale answer must be a whole number from {low} to {high}, not {value!r}"
            )
        value = int(value.strip())
    if isinstance(value, float):
        if not value.is_integer():
            raise ScaleValueError(
                f"a scale answer must be a whole number from {low} to {high}, not {value}"
            )
        value = int(value)
    if not low <= value <= high:
        raise ScaleValueError(
            f"a scale answer must be from {low} to {high}; {value} is outside the scale"
        )
    return value


def grade_for(value: int, bands: GradeBands) -> str:
    """The grade (band) a 0–10 value falls in."""
    value = check_scale_value(value)
    for band in bands.bands:
        if band.min <= value <= band.max:
            return band.grade
    raise ScaleValueError(f"no grade band covers {value}")  # unreachable: bands cover 0–10


@dataclass(frozen=True)
class ScaleProfile:
    """What an audit's area scales say taken together: a guide beside the auditor's judgement."""

    answered: int
    total: int
    minimum: int | None
    median: float | None
    mean: float | None
    per_band: dict[str, int]
    pointed_band: str | None

    @property
    def unanswered(self) -> int:
        return self.total - self.answered


def area_profile(values: list[int | None], bands: GradeBands | None) -> ScaleProfile:
    """Profile of the area scales; ``None`` is unanswered (distinct from 0).

    The band they point to is the band of the median: the grade is the auditor's judgement, not
    an average, so this is offered as a guide only. Without bands (an authority that sets no
    grades) there are no bands to count or point to.
    """
    answered = [check_scale_value(v) for v in values if v is not None]
    counts = Counter(grade_for(v, bands) for v in answered) if bands else Counter()
    per_band = {band.grade: counts.get(band.grade, 0) for band in bands.bands} if bands else {}
    if not answered:
        return ScaleProfile(0, len(values), None, None, None, per_band, None)
    mid = float(median(answered))
    return ScaleProfile(
        answered=len(answered),
        total=len(values),
        minimum=min(answered),
        median=mid,
        mean=round(sum(answered) / len(answered), 2),
        per_band=per_band,
        pointed_band=grade_for(int(mid), bands) if bands else None,
    )
