"""Timescales counted as a social worker would by hand: weekends and England's bank holidays
are not working days. Every expected date below is worked out in the comment beside it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.chosen import choose
from toolkit.standards.loader import load_timescales
from toolkit.standards.timescales import (
    add_working_days,
    check_timescales,
    is_working_day,
    shift,
)

D = dt.date


def by_id(results):
    return {r.timescale.id: r for r in results}


# --- working days around weekends and bank holidays -------------------------------------------


def test_a_friday_plus_one_working_day_is_the_monday() -> None:
    # Fri 6 Jun 2025 → Sat 7, Sun 8 skipped → Mon 9 Jun
    assert add_working_days(D(2025, 6, 6), 1) == D(2025, 6, 9)


def test_christmas_and_boxing_day_are_not_working_days() -> None:
    # Fri 20 Dec 2024: Mon 23 (1), Tue 24 (2), Wed 25 and Thu 26 bank holidays, Fri 27 (3)
    assert add_working_days(D(2024, 12, 20), 3) == D(2024, 12, 27)
    # … Mon 30 (4), Tue 31 (5), Wed 1 Jan 2025 New Year's Day, Thu 2 Jan (6)
    assert add_working_days(D(2024, 12, 20), 6) == D(2025, 1, 2)
    assert not is_working_day(D(2024, 12, 25))
    assert not is_working_day(D(2025, 1, 1))


def test_new_year_on_a_sunday_is_observed_on_the_monday() -> None:
    # 1 Jan 2023 was a Sunday: the bank holiday was Mon 2 Jan. Fri 30 Dec 2022 + 1 → Tue 3 Jan
    assert not is_working_day(D(2023, 1, 2))
    assert add_working_days(D(2022, 12, 30), 1) == D(2023, 1, 3)


def test_easter_good_friday_and_easter_monday_are_skipped() -> None:
    # Easter 2024: Good Friday 29 Mar, Easter Monday 1 Apr. Thu 28 Mar + 1 → Tue 2 Apr
    assert add_working_days(D(2024, 3, 28), 1) == D(2024, 4, 2)


def test_counting_back_skips_the_same_days() -> None:
    # 5 working days before Mon 8 Apr 2024: Fri 5 (1), Thu 4 (2), Wed 3 (3), Tue 2 (4),
    # Mon 1 Apr Easter Monday and Fri 29 Mar Good Friday skipped, Thu 28 Mar (5)
    assert add_working_days(D(2024, 4, 8), -5) == D(2024, 3, 28)


def test_months_end_on_the_last_day_of_a_shorter_month() -> None:
    # 30 Nov 2024 + 3 months → 28 Feb 2025 (there is no 30 Feb)
    assert shift(D(2024, 11, 30), 3, "months") == D(2025, 2, 28)


def test_hours_count_as_whole_days_because_key_dates_have_no_time() -> None:
    assert shift(D(2024, 6, 10), -48, "hours") == D(2024, 6, 8)


# --- Bexley: initial conference within 15 working days of the strategy discussion ------------


def test_icpc_over_christmas_gets_the_three_bank_holidays_added() -> None:
    # Strategy discussion Mon 16 Dec 2024. Working days: Tue 17 (1), Wed 18 (2), Thu 19 (3),
    # Fri 20 (4), Mon 23 (5), Tue 24 (6), [25, 26 Dec], Fri 27 (7), Mon 30 (8), Tue 31 (9),
    # [1 Jan], Thu 2 (10), Fri 3 (11), Mon 6 (12), Tue 7 (13), Wed 8 (14), Thu 9 Jan 2025 (15).
    # Without the bank holidays it would have been Mon 6 Jan.
    bexley = load_timescales("bexley")
    dates = {"strategy_discussion": D(2024, 12, 16), "icpc": D(2025, 1, 9)}
    result = by_id(check_timescales(bexley, dates))["icpc"]
    assert result.readings[0].limit == D(2025, 1, 9)
    assert result.outcome == "met"
    late = by_id(check_timescales(bexley, {**dates, "icpc": D(2025, 1, 10)}))["icpc"]
    assert late.outcome == "not_met"


def test_first_core_group_over_easter() -> None:
    # ICPC Thu 21 Mar 2024, core group within 10 working days: Fri 22 (1), Mon 25 (2),
    # Tue 26 (3), Wed 27 (4), Thu 28 (5), [Good Friday, weekend, Easter Monday], Tue 2 Apr (6),
    # Wed 3 (7), Thu 4 (8), Fri 5 (9), Mon 8 Apr (10)
    bexley = load_timescales("bexley")
    dates = {"icpc": D(2024, 3, 21), "first_core_group": D(2024, 4, 8)}
    result = by_id(check_timescales(bexley, dates))["first_core_group"]
    assert (result.readings[0].limit, result.outcome) == (D(2024, 4, 8), "met")


def test_a_referral_decided_on_the_saturday_after_a_friday_referral_is_in_time() -> None:
    bexley = load_timescales("bexley")
    dates = {"referral": D(2025, 6, 6), "referral_decision": D(2025, 6, 7)}
    assert by_id(check_timescales(bexley, dates))["referral_decision"].outcome == "met"
    dates["referral_decision"] = D(2025, 6, 10)  # Tue: the limit was Mon 9 Jun
    assert by_id(check_timescales(bexley, dates))["referral_decision"].outcome == "not_met"


# --- where the source reads two ways, both readings are shown -------------------------------------


def test_bexley_report_five_days_before_conference_reads_both_ways() -> None:
    # Conference Mon 8 Apr 2024; report shared Tue 2 Apr.
    # Calendar days: latest Wed 3 Apr → met. Working days: latest Thu 28 Mar (see above) → not met.
    bexley = load_timescales("bexley")
    dates = {"icpc": D(2024, 4, 8), "report_shared": D(2024, 4, 2)}
    result = by_id(check_timescales(bexley, dates))["report_before_conference"]
    assert [(r.limit, r.outcome) for r in result.readings] == [
        (D(2024, 4, 3), "met"),
        (D(2024, 3, 28), "not_met"),
    ]
    assert result.both_readings_needed
    assert result.outcome == "depends"


def test_manchester_first_core_group_ten_days_or_ten_working_days() -> None:
    # ICPC Fri 20 Dec 2024. "10 days": Mon 30 Dec. "10 working days": Mon 23 (1), Tue 24 (2),
    # Fri 27 (3), Mon 30 (4), Tue 31 (5), Thu 2 Jan (6), Fri 3 (7), Mon 6 (8), Tue 7 (9),
    # Wed 8 (10).
    # A core group on Fri 3 Jan 2025 is late on the first reading and in time on the second.
    manchester = load_timescales("manchester")
    dates = {"icpc": D(2024, 12, 20), "first_core_group": D(2025, 1, 3)}
    result = by_id(check_timescales(manchester, dates))["first_core_group"]
    assert [(r.limit, r.outcome) for r in result.readings] == [
        (D(2024, 12, 30), "not_met"),
        (D(2025, 1, 8), "met"),
    ]
    assert result.outcome == "depends"


def test_readings_that_agree_give_one_outcome() -> None:
    manchester = load_timescales("manchester")
    dates = {"icpc": D(2024, 12, 20), "first_core_group": D(2024, 12, 23)}
    result = by_id(check_timescales(manchester, dates))["first_core_group"]
    assert result.outcome == "met"
    assert not result.both_readings_needed


# --- missing dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"), [(D(2025, 1, 9), "not_yet_due"), (D(2025, 1, 10), "overdue")]
)
def test_no_end_date_is_not_yet_due_until_the_limit_passes(today: dt.date, expected: str) -> None:
    bexley = load_timescales("bexley")
    results = check_timescales(bexley, {"strategy_discussion": D(2024, 12, 16)}, today=today)
    assert by_id(results)["icpc"].outcome == expected


def test_no_start_date_says_the_dates_are_missing() -> None:
    results = check_timescales(load_timescales("bexley"), {})
    assert {r.outcome for r in results} == {"no_dates"}


def test_an_end_before_its_start_is_not_met() -> None:
    bexley = load_timescales("bexley")
    dates = {"strategy_discussion": D(2024, 12, 16), "icpc": D(2024, 12, 10)}
    assert by_id(check_timescales(bexley, dates))["icpc"].outcome == "not_met"


def test_leicester_report_48_hours_before_the_meeting() -> None:
    # Meeting Mon 10 Jun 2024: 48 hours before is Sat 8 Jun. Shared Fri 7 → met; Sun 9 → not met.
    leicester = load_timescales("leicester")
    ok = check_timescales(leicester, {"meeting": D(2024, 6, 10), "report_shared": D(2024, 6, 7)})
    late = check_timescales(leicester, {"meeting": D(2024, 6, 10), "report_shared": D(2024, 6, 9)})
    assert by_id(ok)["report_before_meeting"].outcome == "met"
    assert by_id(late)["report_before_meeting"].outcome == "not_met"


# --- the screen's header: the person signed in on this page ---------------------------------------


@pytest.mark.parametrize("demo", [False, True])
def test_the_header_names_whoever_is_signed_in_live_or_in_the_demonstration(
    tmp_path, monkeypatch, demo: bool
) -> None:
    """In demonstration mode the remembered person belongs to the training store; looked up in
    the live register they were nobody (or, worse, someone else with the same number)."""
    from toolkit.apps.timescales import TimescaleApp
    from toolkit.store import Store
    from toolkit.training.demo_store import open_training_store

    monkeypatch.setenv("SOS_TOOLKIT_DATA_DIR", str(tmp_path))
    for name in ("SOS_TOOLKIT_DATABASE_URL", "JUPYTERHUB_USER", "QUERY_STRING"):
        monkeypatch.delenv(name, raising=False)
    live = Store()
    live.add_person("Live Auditor", ["auditor"])
    if demo:
        monkeypatch.setenv("QUERY_STRING", "mode=demo")
        signed_in = open_training_store().people()[-1]  # not the live person's number
    else:
        signed_in = live.people()[0]
    choose(signed_in)
    header = TimescaleApp()._header.value
    assert f"Signed in as <b>{signed_in.name}</b>" in header
    assert "Nobody signed in" not in header
