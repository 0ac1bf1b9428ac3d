"""Authority profiles: one setting chooses whose forms, words, grades and meeting cycles apply.

``SOS_TOOLKIT_AUTHORITY`` (default ``bexley``) names a profile in
``forms/profile_<authority>.yaml``: the practice standards and timescales to check against, the
"Signs of…" vocabulary by case status, the grade bands (if the authority grades) and how often
supervision meets. Every quoted text
carries its seed lines, checked like the forms.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator

from toolkit.core.scoring import grade_for
from toolkit.forms.loader import FormError, forms_dir, load_grade_bands, load_model
from toolkit.forms.models import Cited, GradeBands, Identifier, Label, Strict

DEFAULT_AUTHORITY = "bexley"


class Vocabulary(Strict):
    """The "Signs of…" a case of this status is worked under, as the source says it."""

    status: Label  # the toolkit's short label for the case status
    term: Cited  # e.g. "Signs of Wellbeing", where the source says it
    used_when: Cited | None = None  # the source's words on when it is used, if any


class SupervisionFrequency(Strict):
    team: Label  # the toolkit's short label
    kind: Literal["group", "individual"] = "group"
    frequency: str  # the words of the source, e.g. "monthly"; they stand in the quote
    quote: Cited
    # the longest gap the words allow between sessions, when they clearly mean one
    every_weeks: int | None = None
    every_months: int | None = None
    every_team: bool = False  # the frequency applies to every group, whatever it is called
    interval_note: str | None = None  # why no interval is read from the words, when none is


class Profile(Strict):
    kind: Literal["profile"] = "profile"
    authority: Identifier
    name: Label  # the authority's name
    seed: str
    audit_form: Identifier | None = None  # a form in forms/ for the collaborative audit
    grade_bands: str | None = None  # a grade bands file in forms/, when the authority grades
    grade_bands_note: str | None = None  # why there are none, when there are none
    vocabulary: list[Vocabulary]
    supervision: list[SupervisionFrequency] = []
    supervision_note: str | None = None
    vocabulary_note: str | None = None
    # the authority's teams and services (as people are recorded) -> a vocabulary status
    case_statuses: dict[str, str] = {}

    @model_validator(mode="after")
    def _statuses_are_in_the_vocabulary(self) -> Profile:
        known = {v.status.lower() for v in self.vocabulary}
        unknown = sorted(s for s in self.case_statuses.values() if s.lower() not in known)
        if unknown:
            raise ValueError(f"case_statuses name statuses not in the vocabulary: {unknown}")
        return self

    def status_of(self, team: str | None, service: str | None) -> str | None:
        """The case status of a team's (else its service's) cases, when the profile maps it."""
        by_name = {name.strip().lower(): status for name, status in self.case_statuses.items()}
        for name in (team, service):
            if name and name.strip().lower() in by_name:
                return by_name[name.strip().lower()]
        return None

    def term_for_case(self, team: str | None, service: str | None) -> str | None:
        """The "Signs of…" a case of this team or service is worked under, when stated."""
        status = self.status_of(team, service)
        return self.term_for(status) if status else None

    def term_for(self, status: str) -> str | None:
        """The "Signs of…" for a case status (case-insensitive), or None when not stated."""
        wanted = status.strip().lower()
        return next((v.term.text for v in self.vocabulary if v.status.lower() == wanted), None)

    def bands(self) -> GradeBands | None:
        if self.grade_bands is None:
            return None
        return load_grade_bands(forms_dir() / f"{self.grade_bands}.yaml")


def active_authority() -> str:
    return (os.environ.get("SOS_TOOLKIT_AUTHORITY") or DEFAULT_AUTHORITY).strip().lower()


@lru_cache(maxsize=8)
def _load(path: str) -> Profile:
    return load_model(Profile, path)


def load_profile(authority: str | None = None, folder: Path | None = None) -> Profile:
    """The profile of ``authority`` (default: the one ``SOS_TOOLKIT_AUTHORITY`` names)."""
    authority = authority or active_authority()
    path = (folder or forms_dir()) / f"profile_{authority}.yaml"
    if not path.is_file():
        known = sorted(p.stem.removeprefix("profile_") for p in path.parent.glob("profile_*.yaml"))
        raise FormError(
            path, authority, f"no such authority profile; the profiles are {', '.join(known)}"
        )
    profile = _load(str(path))
    if profile.authority != authority:
        raise FormError(path, profile.authority, f"the file is for '{profile.authority}'")
    return profile


# --- what the collaborative audit uses of the active profile ----------------------------------


@lru_cache(maxsize=8)
def _bands_of(folder: str, authority: str) -> GradeBands | None:
    return load_profile(authority, Path(folder)).bands()


def audit_grade_bands() -> GradeBands | None:
    """The grade bands the audit grades by: the active profile's, or None when it sets none."""
    return _bands_of(str(forms_dir()), active_authority())


def audit_grade(rating: int | None) -> str | None:
    """The grade of an overall rating under the active profile (None: no rating, or no grades)."""
    bands = audit_grade_bands()
    return None if rating is None or bands is None else grade_for(rating, bands)


def no_grade_note() -> str:
    """What the audit shows where a grade would be, under a profile that sets no grades."""
    profile = load_profile()
    return profile.grade_bands_note or f"{profile.name} sets no audit grades."


def case_term(team: str | None, service: str | None) -> str | None:
    """The active profile's "Signs of…" for a case of this team or service, when it states one."""
    return load_profile().term_for_case(team, service)
