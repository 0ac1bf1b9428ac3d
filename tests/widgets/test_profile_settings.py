"""The one authority setting drives the audit's grade and vocabulary and the supervision home."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.audits import new_audit
from tests.support.chosen import choose
from toolkit.apps.audit.app import AuditApp
from toolkit.apps.audit.profile import bands_legend_html, case_term_text, rating_grade_html
from toolkit.apps.supervision.app import SupervisionApp
from toolkit.audit.completion import is_inadequate
from toolkit.core.profiles import (
    audit_grade,
    audit_grade_bands,
    case_term,
    load_profile,
    no_grade_note,
)
from toolkit.core.scoring import area_profile
from toolkit.store import Store
from toolkit.store.moderations import Moderations
from toolkit.supervision.frequency import (
    add_months,
    frequency_for,
    group_cycles,
    judge,
    next_due,
)
from toolkit.supervision.store import SessionRecord, SupervisionStore

DURHAM_NOTE = "The Families First Operating Procedures set no audit grades"


@pytest.fixture
def authority(monkeypatch):
    """Set the one setting (profiles are cached by file, bands by authority: nothing to clear)."""

    def choose(name: str) -> None:
        monkeypatch.setenv("SOS_TOOLKIT_AUTHORITY", name)

    return choose


# --- grade bands ------------------------------------------------------------------------------


def test_bexley_grades_the_overall_rating_by_its_bands(authority):
    authority("bexley")
    assert audit_grade_bands() is not None
    assert [audit_grade(r) for r in (0, 3, 6, 10)] == [
        "Inadequate",
        "Requires improvement",
        "Good",
        "Outstanding",
    ]
    assert audit_grade(None) is None
    assert is_inadequate({"overall.overall_rating": 2})


@pytest.mark.parametrize("name", ["durham", "leicester", "manchester"])
def test_an_authority_without_grades_gives_no_grade_and_its_note(authority, name):
    authority(name)
    assert audit_grade_bands() is None
    assert audit_grade(2) is None
    assert no_grade_note() == load_profile(name).grade_bands_note
    assert not is_inadequate({"overall.overall_rating": 0})  # no grade, so no escalation


def test_switching_the_setting_switches_the_bands_without_a_restart(authority):
    authority("durham")
    assert audit_grade(2) is None
    authority("bexley")
    assert audit_grade(2) == "Inadequate"


def test_area_profile_without_bands_still_summarises_the_scales():
    profile = area_profile([2, 4, None, 8], None)
    assert (profile.answered, profile.minimum, profile.median) == (3, 2, 4.0)
    assert profile.per_band == {}
    assert profile.pointed_band is None


def test_rating_grade_html_shows_the_grade_or_the_note(authority):
    authority("bexley")
    assert 'grade-name">Good<' in rating_grade_html(6)
    assert "Grade bands: 0–2 Inadequate" in bands_legend_html(audit_grade_bands())
    authority("durham")
    shown = rating_grade_html(7)
    assert "grade-name" not in shown
    assert DURHAM_NOTE in shown
    assert "<b>7</b>" in shown
    assert DURHAM_NOTE in bands_legend_html(None)
    assert "No overall rating yet" in rating_grade_html(None)


# --- vocabulary by case status ----------------------------------------------------------------


def test_bexley_vocabulary_by_team_then_service(authority):
    authority("bexley")
    assert case_term("Care Leavers Team", "Children Looked After and Care Leavers") == (
        "Signs of Successful Independence"
    )
    assert case_term("Children Looked After Team", None) == "Signs of Success"
    assert case_term(None, "child protection and child in need") == "Signs of Safety"
    assert case_term("Assessment Team 1", "Assessment and Intervention") is None  # not stated
    assert case_term(None, None) is None


def test_other_authorities_use_their_own_words_or_none(authority):
    authority("durham")
    assert case_term(None, "Children Looked After and Care Leavers") == "SIGNS OF SUCCESS"
    authority("leicester")
    assert case_term(None, "Children Looked After and Care Leavers") is None  # Stability or Success
    assert case_term(None, "Child Protection and Child in Need") == "Signs of Safety"


def test_every_mapped_status_is_in_its_profiles_vocabulary():
    for name in ("bexley", "durham", "leicester", "manchester"):
        profile = load_profile(name)
        for status in profile.case_statuses.values():
            assert profile.term_for(status), (name, status)


def test_a_mapping_to_an_unknown_status_is_refused(tmp_path):
    from toolkit.forms.loader import FormError, forms_dir

    source = (forms_dir() / "profile_durham.yaml").read_text(encoding="utf-8")
    (tmp_path / "profile_durham.yaml").write_text(
        source + "  Staying Together: Fostering\n", encoding="utf-8"
    )
    with pytest.raises(FormError, match="not in the vocabulary"):
        load_profile("durham", tmp_path)


# --- supervision frequencies ------------------------------------------------------------------


def _session(sid: int, group: str | None, day: dt.date, kind: str = "group_mapping"):
    stamp = dt.datetime.combine(day, dt.time(10), tzinfo=dt.timezone.utc)
    return SessionRecord(sid, kind, "", 1, None, group, None, None, False, stamp, stamp)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 12, 15), 1) == dt.date(2026, 1, 15)


def test_next_due_by_the_words_of_each_frequency():
    bexley, leicester = load_profile("bexley"), load_profile("leicester")
    monthly = frequency_for(bexley, "family support and child protection")
    fortnightly = frequency_for(bexley, "Fostering assessment team")
    assert monthly.frequency == "at a minimum of monthly"
    assert next_due(dt.date(2025, 3, 10), monthly) == dt.date(2025, 4, 10)
    assert next_due(dt.date(2025, 3, 10), fortnightly) == dt.date(2025, 3, 24)
    bi_monthly = frequency_for(leicester, "Fostering assessment, fostering support and adoption")
    assert next_due(dt.date(2025, 3, 10), bi_monthly) is None  # twice a month or every two?
    assert frequency_for(bexley, "Some other group") is None
    assert frequency_for(load_profile("manchester"), "Any team at all").frequency == "monthly"
    assert frequency_for(load_profile("durham"), "Any team") is None


def test_judging_the_next_session_around_its_date():
    due = dt.date(2025, 4, 10)
    assert judge(due, dt.date(2025, 4, 1)) == "not_due"
    assert judge(due, dt.date(2025, 4, 3)) == "due"  # within a week
    assert judge(due, dt.date(2025, 4, 10)) == "due"
    assert judge(due, dt.date(2025, 4, 11)) == "overdue"
    assert judge(None, dt.date(2025, 4, 11)) == "unknown"


def test_group_cycles_take_each_groups_last_group_session():
    sessions = [
        _session(1, "Fostering assessment team", dt.date(2025, 3, 1)),
        _session(2, "fostering assessment team ", dt.date(2025, 3, 20)),
        _session(3, "Family Support and Child Protection", dt.date(2025, 2, 1)),
        _session(4, "Family Support and Child Protection", dt.date(2025, 3, 25), "quality_clinic"),
        _session(5, None, dt.date(2025, 3, 30), "ears"),
        _session(6, "Book club", dt.date(2025, 3, 30)),
    ]
    cycles = group_cycles(sessions, load_profile("bexley"), dt.date(2025, 4, 1))
    by_group = {c.group.casefold(): c for c in cycles}
    assert len(cycles) == 3
    fostering = by_group["fostering assessment team"]
    assert (fostering.last, fostering.next_due, fostering.state) == (
        dt.date(2025, 3, 20),
        dt.date(2025, 4, 3),
        "due",
    )
    family = by_group["family support and child protection"]  # the clinic does not count
    assert (family.last, family.next_due, family.state) == (
        dt.date(2025, 2, 1),
        dt.date(2025, 3, 1),
        "overdue",
    )
    assert by_group["book club"].state == "unknown"
    assert by_group["book club"].frequency is None
    manchester = group_cycles(sessions, load_profile("manchester"), dt.date(2025, 4, 1))
    assert {c.group.casefold(): c.state for c in manchester}["book club"] == "not_due"


# --- the screens ------------------------------------------------------------------------------


@pytest.fixture
def audit_env(tmp_path, monkeypatch):
    monkeypatch.setenv("SOS_TOOLKIT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    store = Store(f"sqlite:///{tmp_path}/w.sqlite")
    auditor = store.add_person("Ada Auditor", ["auditor", "manager"], team="North")
    practitioner = store.add_person(
        "Priya Practitioner",
        ["practitioner"],
        team="Care Leavers Team",
        service="Children Looked After and Care Leavers",
    )
    audit = new_audit(store, auditor, practitioner, "LL-555")
    choose(auditor)
    monkeypatch.setenv("QUERY_STRING", f"audit={audit.id}")
    return store, audit


def _html(root) -> str:
    parts, stack = [], [root]
    while stack:
        node = stack.pop()
        if hasattr(node, "value") and isinstance(node.value, str) and "<" in node.value:
            parts.append(node.value)
        stack.extend(getattr(node, "children", ()))
    return " ".join(parts)


def _rate(authority, store, name: str, rating: int):
    authority(name)
    screen = AuditApp(store).screen
    screen.show_section("audit_outcome")
    screen.views["overall.overall_rating"].input._buttons[rating].click()
    screen.show_section("audit_outcome")
    return screen


def test_bexley_audit_outcome_shows_the_grade_and_the_vocabulary(audit_env, authority):
    store, _audit = audit_env
    screen = _rate(authority, store, "bexley", 2)
    shown = _html(screen)
    assert 'grade-name">Inadequate<' in shown
    assert "Grade bands: 0–2 Inadequate" in shown
    assert "Auditor’s grade: Inadequate" in screen._summary.value
    assert "worked under <b" in screen._summary.value
    assert "Signs of Successful Independence" in screen._summary.value


def test_a_non_grading_authority_shows_the_rating_and_its_note_not_a_grade(audit_env, authority):
    store, audit = audit_env
    screen = _rate(authority, store, "durham", 2)
    shown = _html(screen)
    assert "grade-name" not in shown
    assert "Inadequate" not in shown
    assert "Grade bands" not in shown
    assert "pointed-band" not in shown
    assert DURHAM_NOTE in shown
    assert store.answer_values(audit.id)["overall.overall_rating"] == 2  # still recorded
    assert "Overall rating 2 of 10" in screen._summary.value
    assert DURHAM_NOTE in screen._summary.value
    assert "Auditor’s grade" not in screen._summary.value
    assert 'worked under <b class="case-term">SIGNS OF SUCCESS' in screen._summary.value
    assert Moderations(store).grades(audit.id).auditor is None


def test_the_summary_shows_no_vocabulary_when_the_profile_states_none(audit_env, authority):
    store, audit = audit_env
    authority("leicester")
    assert case_term_text(store.audit(audit.id)) == ""


def test_supervision_home_lists_the_profiles_frequencies_and_groups(app_store, monkeypatch):
    store = app_store
    manager = store.add_person("Maya Manager", ["manager"], team="North")
    SupervisionStore(store).create_session(
        "group_mapping", manager, group_name="Fostering assessment team"
    )
    choose(manager)
    monkeypatch.setenv("SOS_TOOLKIT_AUTHORITY", "bexley")
    shown = _html(SupervisionApp(store).screen)
    assert "How often supervision meets" in shown
    assert "Group supervision takes place fortnightly" in shown
    assert "source line 1747" in shown
    assert "Bottom lines of the service areas." in shown  # the supervision note
    assert "Fostering assessment team" in shown
    assert "Not yet due" in shown
    monkeypatch.setenv("SOS_TOOLKIT_AUTHORITY", "leicester")
    shown = _html(SupervisionApp(store).screen)
    assert "bi-monthly group supervision" in shown
    assert "twice a month or every two" in shown
    assert "No interval to judge by" in shown  # no Leicester frequency for this group
