"""Fictional example cases for training: what an auditor reads before an audit, and a model audit.

The families in ``forms/example_cases.yaml`` are invented. Text quoted from a seed carries its
``source`` and is checked word for word by the fidelity tests; text changed to keep one family's
names consistent is marked ``adapted`` with the lines it was adapted from.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field as PydField
from pydantic import model_validator

from toolkit.core.scoring import check_scale_value, grade_for
from toolkit.forms.loader import forms_dir, load_grade_bands, load_model, registry
from toolkit.forms.models import FieldKind, Form, Identifier, SourceRef, Strict

AUDIT_FORM = "collaborative_case_audit"
Grade = Literal["Inadequate", "Requires improvement", "Good", "Outstanding"]


class Passage(Strict):
    """A piece of the case file. ``source`` set and ``adapted`` false: quoted verbatim."""

    heading: str = ""
    text: str
    source: SourceRef | None = None
    adapted: bool = False  # taken from ``source`` but changed (names made consistent)


class Dated(Strict):
    date: str
    text: str
    source: SourceRef | None = None
    adapted: bool = False


class Plan(Strict):
    danger_statements: list[Passage]
    safety_goals: list[Passage]
    bottom_lines: list[Passage] = []


class AreaModel(Strict):
    """The model answer for one area of the audit: the scale and why."""

    scale: int
    rationale: str

    @model_validator(mode="after")
    def _on_the_scale(self) -> AreaModel:
        check_scale_value(self.scale)
        return self


class ModelAction(Strict):
    what: str
    who: str
    due: str


class ModelAudit(Strict):
    areas: dict[Identifier, AreaModel]
    overall_rating: int
    overall_rationale: str
    actions: list[ModelAction]


class CaseMapping(Strict):
    """A model group case mapping: the three columns, statements, and a scale.

    Danger statements and safety goals default to the plan's; a case whose plan is the teaching
    point (written badly on purpose) gives the model's own here."""

    worried: list[str]
    working_well: list[str]
    needs_to_happen: list[str]
    danger_statements: list[str] = []
    safety_goals: list[str] = []
    scale: int
    scale_question: str

    @model_validator(mode="after")
    def _on_the_scale(self) -> CaseMapping:
        check_scale_value(self.scale)
        return self


class ExampleCase(Strict):
    id: Identifier
    family: str
    service_area: str
    grade: Grade
    fictional: str  # said on every screen the case is shown
    summary: list[Passage]
    chronology: list[Dated]
    assessment: list[Passage]
    plan: Plan
    visit_notes: list[Dated]
    feedback: list[Passage]
    model_audit: ModelAudit
    case_mapping: CaseMapping


class ExampleCases(Strict):
    id: Identifier
    version: int
    seed: str
    note: str
    cases: list[ExampleCase] = PydField(min_length=3)

    def case(self, case_id: str) -> ExampleCase:
        for found in self.cases:
            if found.id == case_id:
                return found
        raise KeyError(f"there is no example case {case_id!r}")


@lru_cache(maxsize=8)
def _load(path: str) -> ExampleCases:
    return load_model(ExampleCases, Path(path))


def example_cases() -> ExampleCases:
    """The example cases in ``forms/example_cases.yaml`` (loaded once)."""
    return _load(str(forms_dir() / "example_cases.yaml"))


def audit_form() -> Form:
    return registry().latest(AUDIT_FORM)


def scaled_areas(form: Form | None = None) -> list[tuple[str, str, str]]:
    """(area id, heading, field key) of every area the audit scales, in form order."""
    form = form or audit_form()
    found = []
    for section in form.sections:
        for group in section.groups:
            if not group.id.startswith("area_"):
                continue
            for field in group.fields:
                if field.kind == FieldKind.scale:
                    found.append((group.id, group.title, f"{group.id}.{field.id}"))
    return found


def model_answers(case: ExampleCase, form: Form | None = None) -> dict[str, object]:
    """The model audit as answers to the audit form's keys ("group.field")."""
    answers: dict[str, object] = {}
    for area_id, _title, key in scaled_areas(form):
        model = case.model_audit.areas[area_id]
        answers[key] = model.scale
        group = key.split(".")[0]
        rationale_key = (
            f"{group}.auditor_rationale"
            if key.endswith("collaborative_scale")
            else f"{group}.strengths"
        )
        answers[rationale_key] = model.rationale
    answers["overall.overall_rating"] = case.model_audit.overall_rating
    answers["overall.signs_of_impact"] = case.model_audit.overall_rationale
    answers["actions.actions"] = [a.model_dump() for a in case.model_audit.actions]
    return answers


def model_grade(case: ExampleCase) -> str:
    """The grade the model overall rating falls in (checked against the case's stated grade)."""
    return grade_for(case.model_audit.overall_rating, load_grade_bands())
