"""One setting picks the authority: Bexley by default, the others as shipped profiles."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.apps.timescales import TimescaleApp
from toolkit.core.profiles import active_authority, load_profile
from toolkit.forms.loader import FormError
from toolkit.standards.loader import available_authorities
from toolkit.store import Store


def test_bexley_is_the_default(monkeypatch):
    monkeypatch.delenv("SOS_TOOLKIT_AUTHORITY", raising=False)
    profile = load_profile()
    assert (active_authority(), profile.authority) == ("bexley", "bexley")
    assert profile.audit_form == "collaborative_case_audit"
    assert profile.bands() is not None
    assert profile.bands().id == "bexley_grade_bands"
    assert profile.term_for("Family wellbeing") == "Signs of Wellbeing"
    assert profile.term_for("child protection") == "Signs of Safety"
    assert profile.term_for("Fostering") == "Signs of Stability"


@pytest.mark.parametrize("authority", ["leicester", "manchester", "durham"])
def test_each_other_authority_ships_as_a_profile(monkeypatch, authority):
    monkeypatch.setenv("SOS_TOOLKIT_AUTHORITY", authority.upper())
    profile = load_profile()
    assert profile.authority == authority
    assert profile.vocabulary
    assert profile.bands() is None
    assert profile.grade_bands_note
    assert authority in available_authorities()


def test_leicester_speaks_of_stability_and_success_and_meets_bi_monthly():
    profile = load_profile("leicester")
    assert [v.term.text for v in profile.vocabulary] == [
        "Signs of Safety",
        "Signs of Wellbeing",
        "Signs of Stability",
        "Signs of Success",
    ]
    assert profile.supervision[0].frequency == "bi-monthly"


def test_an_unknown_authority_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("SOS_TOOLKIT_AUTHORITY", "narnia")
    with pytest.raises(FormError, match="no such authority profile; the profiles are bexley"):
        load_profile()


def test_the_timescale_screen_opens_on_the_active_profile_and_judges_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("SOS_TOOLKIT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOS_TOOLKIT_AUTHORITY", "manchester")
    app = TimescaleApp(Store(f"sqlite:///{tmp_path}/t.sqlite"))
    screen = app.screen
    assert screen.authority.value == "manchester"
    screen.pickers["icpc"].value = dt.date(2024, 12, 20)
    screen.pickers["first_core_group"].value = dt.date(2025, 1, 3)
    html = screen.results.value
    assert "both are shown" in html
    assert "Wed 08 Jan 2025" in html
    assert "Mon 30 Dec 2024" in html
    screen.authority.value = "durham"
    assert "first_taf" in screen.pickers
    assert "icpc" not in screen.pickers
