"""Scale answers, grades and the profile of an audit's area scales."""

from __future__ import annotations

import re

import pytest

from toolkit.core.scoring import ScaleValueError, area_profile, check_scale_value, grade_for
from toolkit.forms.loader import load_grade_bands
from toolkit.forms.models import GradeBands

# Bexley's table (seeds/002 L658-661), written out by hand: 0-2 Inadequate, 3-5 Requires
# improvement, 6 Good, and Outstanding once Good is surpassed (7-10).
GRADE_BY_HAND = {
    0: "Inadequate",
    1: "Inadequate",
    2: "Inadequate",
    3: "Requires improvement",
    4: "Requires improvement",
    5: "Requires improvement",
    6: "Good",
    7: "Outstanding",
    8: "Outstanding",
    9: "Outstanding",
    10: "Outstanding",
}
BAND_ORDER = ["Inadequate", "Requires improvement", "Good", "Outstanding"]


@pytest.fixture(scope="module")
def bands() -> GradeBands:
    return load_grade_bands()


# --- check_scale_value ----------------------------------------------------------------------


@pytest.mark.parametrize("point", range(0, 11))
def test_every_whole_point_from_0_to_10_is_accepted(point: int) -> None:
    assert check_scale_value(point) == point
    assert type(check_scale_value(point)) is int


@pytest.mark.parametrize(
    ("given", "stored"), [("7", 7), (" 7 ", 7), ("0", 0), ("10", 10), (7.0, 7), (0.0, 0)]
)
def test_a_whole_number_written_as_text_or_float_is_accepted_as_an_int(
    given: object, stored: int
) -> None:
    value = check_scale_value(given)
    assert value == stored
    assert type(value) is int


@pytest.mark.parametrize("outside", [-1, 11, 100, "11", "-1", 11.0, -1.0])
def test_points_outside_the_scale_are_refused_saying_so(outside: object) -> None:
    with pytest.raises(ScaleValueError) as caught:
        check_scale_value(outside)
    assert "0 to 10" in str(caught.value)


@pytest.mark.parametrize(
    "garbage",
    [
        6.5,
        True,
        False,
        "seven",
        "",
        " ",
        "7.5",
        "--1",
        "²",
        "7 points",
        None,
        [],
        {},
        object(),
        float("nan"),
    ],
)
def test_anything_but_a_whole_number_is_refused_with_a_clear_message(garbage: object) -> None:
    with pytest.raises(ScaleValueError) as caught:
        check_scale_value(garbage)
    message = str(caught.value)
    assert "whole number from 0 to 10" in message
    assert "Traceback" not in message
    assert "int()" not in message


def test_the_message_repeats_what_was_typed() -> None:
    with pytest.raises(ScaleValueError, match="'seven'"):
        check_scale_value("seven")
    with pytest.raises(ScaleValueError, match=re.escape("6.5")):
        check_scale_value(6.5)


def test_true_is_not_taken_for_one() -> None:
    with pytest.raises(ScaleValueError):
        check_scale_value(True)


def test_a_scale_with_other_ends_uses_them() -> None:
    assert check_scale_value(1, low=1, high=5) == 1
    with pytest.raises(ScaleValueError, match="1 to 5"):
        check_scale_value(0, low=1, high=5)


# --- grade_for --------------------------------------------------------------------------------


@pytest.mark.parametrize(("point", "grade"), sorted(GRADE_BY_HAND.items()))
def test_each_point_gets_the_ofsted_grade_of_bexleys_table(
    bands: GradeBands, point: int, grade: str
) -> None:
    assert grade_for(point, bands) == grade


def test_grade_for_refuses_a_point_off_the_scale(bands: GradeBands) -> None:
    with pytest.raises(ScaleValueError):
        grade_for(11, bands)
    with pytest.raises(ScaleValueError):
        grade_for(5.5, bands)  # type: ignore[arg-type]


# --- area_profile -------------------------------------------------------------------------------


def _per_band(**counts: int) -> dict[str, int]:
    names = {
        "inadequate": "Inadequate",
        "requires": "Requires improvement",
        "good": "Good",
        "outstanding": "Outstanding",
    }
    result = dict.fromkeys(BAND_ORDER, 0)
    for short, count in counts.items():
        result[names[short]] = count
    return result


def test_profile_of_a_mixed_audit(bands: GradeBands) -> None:
    # 19 areas: 3 unanswered; answered, sorted: 0 2 3 4 5 5 6 6 6 7 7 8 8 9 9 10 (16 values)
    values = [6, None, 5, 7, 0, 8, 6, 9, None, 3, 10, 2, 6, 7, None, 4, 5, 8, 9]
    profile = area_profile(values, bands)
    assert profile.total == 19
    assert profile.answered == 16
    assert profile.unanswered == 3
    assert profile.minimum == 0
    assert profile.median == 6.0  # 8th and 9th of 16 are 6 and 6
    assert profile.mean == 5.94  # 95 / 16 = 5.9375
    assert profile.per_band == _per_band(inadequate=2, requires=4, good=3, outstanding=7)
    assert profile.pointed_band == "Good"


def test_unanswered_is_not_counted_as_zero(bands: GradeBands) -> None:
    with_gaps = area_profile([None, None, 8, 9], bands)
    with_zeros = area_profile([0, 0, 8, 9], bands)
    assert (with_gaps.answered, with_gaps.minimum, with_gaps.median, with_gaps.mean) == (
        2,
        8,
        8.5,
        8.5,
    )
    assert with_gaps.per_band == _per_band(outstanding=2)
    assert with_gaps.pointed_band == "Outstanding"
    assert (with_zeros.answered, with_zeros.minimum, with_zeros.median, with_zeros.mean) == (
        4,
        0,
        4.0,
        4.25,
    )
    assert with_zeros.per_band == _per_band(inadequate=2, outstanding=2)
    assert with_zeros.pointed_band == "Requires improvement"


def test_nothing_answered_gives_no_figures(bands: GradeBands) -> None:
    profile = area_profile([None] * 19, bands)
    assert profile.answered == 0
    assert profile.unanswered == 19
    assert (profile.minimum, profile.median, profile.mean, profile.pointed_band) == (
        None,
        None,
        None,
        None,
    )
    assert profile.per_band == _per_band()


def test_a_median_between_two_bands_points_to_the_lower(bands: GradeBands) -> None:
    # 5 and 6: median 5.5 has not reached Good (6), so it points to Requires improvement
    profile = area_profile([5, 6], bands)
    assert profile.median == 5.5
    assert profile.pointed_band == "Requires improvement"


def test_one_low_area_shows_in_the_minimum_not_the_median(bands: GradeBands) -> None:
    profile = area_profile([1, 8, 8, 8, 9], bands)
    assert profile.minimum == 1
    assert profile.median == 8.0
    assert profile.mean == 6.8
    assert profile.per_band == _per_band(inadequate=1, outstanding=4)


def test_profile_refuses_a_value_off_the_scale(bands: GradeBands) -> None:
    with pytest.raises(ScaleValueError):
        area_profile([5, 11], bands)
    with pytest.raises(ScaleValueError):
        area_profile([5, True], bands)  # type: ignore[list-item]
