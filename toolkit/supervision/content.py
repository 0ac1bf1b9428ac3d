"""What supervision sessions ask, as typed models of the definitions in ``forms/``.

Like the audit form, every text shown as a quotation is a :class:`Cited` with its seed lines, so
the fidelity test can check it word for word.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import model_validator

from toolkit.forms.loader import forms_dir, load_model
from toolkit.forms.models import (
    ANCHOR,
    LABEL,
    PROMPT,
    Cited,
    Identifier,
    Label,
    SourceRef,
    Strict,
    ToolkitDecision,
)

M = TypeVar("M")

EARS_STEPS = ("elicit", "amplify", "reflect", "start_over")
EarsStepId = Literal["elicit", "amplify", "reflect", "start_over"]


class Titled(Strict):
    """Something with an id and a heading quoted from a seed."""

    id: Identifier
    title: Label
    source: SourceRef


class Definition(Strict):
    """What every definition file starts with; ``seed`` is the default for its sources."""

    id: Identifier
    version: int
    title: str = ""
    seed: str


class Question(Cited):
    """A cited question or heading that a session keeps notes against (``id`` is its note key).
    ``decided`` marks a question the toolkit added to the source's list."""

    id: Identifier
    decided: ToolkitDecision | None = None


# --- EARS --------------------------------------------------------------------------------------
class EarsStep(Titled):
    id: EarsStepId
    description: Cited


class EarsScript(Titled):
    """One appreciative inquiry script: organising questions and the prompts that follow them."""

    elicit: Annotated[list[Cited], PROMPT]
    amplify: Annotated[list[Cited], PROMPT]
    reflect: Annotated[list[Cited], PROMPT]
    start_over: Annotated[list[Cited], PROMPT]

    def prompts(self, step: str) -> list[Cited]:
        return list(getattr(self, step))


class EarsScripts(Definition):
    kind: Literal["ears_scripts"]
    source: SourceRef
    introduction: Cited
    attribution: Cited
    steps: list[EarsStep]
    scripts: list[EarsScript]

    @model_validator(mode="after")
    def _four_steps(self) -> EarsScripts:
        if tuple(s.id for s in self.steps) != EARS_STEPS:
            raise ValueError(f"the steps must be {', '.join(EARS_STEPS)} in that order")
        return self

    def script(self, script_id: str) -> EarsScript:
        for script in self.scripts:
            if script.id == script_id:
                return script
        raise KeyError(f"there is no EARS script '{script_id}'")

    def organising_questions(self) -> list[tuple[EarsScript, int, Cited]]:
        """Every organising (Elicit) question of every script, with its script and number."""
        return [(s, i, q) for s in self.scripts for i, q in enumerate(s.elicit)]


# --- the practice framework reflective tool ----------------------------------------------------
class ToolPage(Strict):
    """One detailed page: the principles it covers and its tools in printed order."""

    source: SourceRef
    heading: Label
    principles: list[Identifier]
    tools: list[Cited]


class Stage(Titled):
    pages: list[ToolPage] = []


class Cell(Strict):
    principle: Identifier
    stage: Identifier
    question: Annotated[Cited, PROMPT]
    confidence: Literal["high", "medium"] | None = None
    confidence_note: str | None = None
    prompts: Annotated[list[Cited], PROMPT] = []

    @property
    def key(self) -> str:
        return f"{self.stage}.{self.principle}"


class ReflectiveTool(Definition):
    kind: Literal["reflective_tool"]
    source: SourceRef
    introduction: list[Cited]
    principles: list[Titled]
    stages: list[Stage]
    cells: list[Cell]

    @model_validator(mode="after")
    def _a_full_grid(self) -> ReflectiveTool:
        principles = [p.id for p in self.principles]
        stages = [s.id for s in self.stages]
        wanted = {(s, p) for s in stages for p in principles}
        found = [(c.stage, c.principle) for c in self.cells]
        missing = wanted - set(found)
        extra = [f for f in found if f not in wanted or found.count(f) > 1]
        if missing or extra:
            raise ValueError(
                "the grid needs one cell per stage and principle: "
                f"missing {sorted(missing)}, unknown or repeated {sorted(set(extra))}"
            )
        for stage in self.stages:
            on_pages = [p for page in stage.pages for p in page.principles]
            if stage.pages and sorted(on_pages) != sorted(principles):
                raise ValueError(f"the pages of '{stage.id}' must cover each principle once")
            if not stage.pages and any(c.prompts for c in self.cells if c.stage == stage.id):
                raise ValueError(f"'{stage.id}' has no detailed page, so its cells have no prompts")
        return self

    def cell(self, stage: str, principle: str) -> Cell:
        for cell in self.cells:
            if cell.stage == stage and cell.principle == principle:
                return cell
        raise KeyError(f"no cell for stage '{stage}' and principle '{principle}'")

    def stage(self, stage_id: str) -> Stage:
        return next(s for s in self.stages if s.id == stage_id)

    def principle(self, principle_id: str) -> Titled:
        return next(p for p in self.principles if p.id == principle_id)

    def tools(self, stage: str, principle: str) -> list[Cited]:
        """The tools on the detailed page that holds this cell, each named once."""
        seen: set[str] = set()
        found = []
        for page in self.stage(stage).pages:
            if principle in page.principles:
                for tool in page.tools:
                    if tool.text not in seen:
                        seen.add(tool.text)
                        found.append(tool)
        return found


# --- quality clinics ---------------------------------------------------------------------------
class ClinicTheme(Titled):
    purpose: list[Cited]
    criteria_heading: Cited
    criteria: list[Cited]
    points_heading: Cited
    points: list[Cited]


class QualityClinics(Definition):
    kind: Literal["quality_clinics"]
    source: SourceRef
    introduction: list[Cited]
    gibbs_introduction: Cited
    gibbs_stages: list[Cited]
    gibbs_guidance: Cited
    preparation: list[Cited]
    record_introduction: Cited
    record_items: list[Cited]
    record_guidance: list[Cited]
    themes: list[ClinicTheme]

    def theme(self, theme_id: str) -> ClinicTheme:
        return next(t for t in self.themes if t.id == theme_id)


# --- practice intensive, learning review -------------------------------------------------------
class QuestionSet(Definition):
    """A record kept as notes against a short list of cited questions."""

    kind: Literal["question_set"]
    guidance: list[Cited]
    heading: Annotated[Cited, LABEL]
    questions: Annotated[list[Question], PROMPT]


# --- group supervision -------------------------------------------------------------------------
class GroupStep(Strict):
    id: Identifier
    title: Label
    verbatim: bool = True
    guidance: list[Cited] = []
    columns: Annotated[list[Question], LABEL] = []
    example_anchors: Annotated[list[Cited], ANCHOR] = []


class GroupSupervision(Definition):
    kind: Literal["group_supervision"]
    definition: Cited
    also: Cited
    roles: list[Titled]
    steps: list[GroupStep]

    def step(self, step_id: str) -> GroupStep:
        return next(s for s in self.steps if s.id == step_id)


# --- plain language ----------------------------------------------------------------------------
class JargonTerm(Strict):
    term: Label
    source: SourceRef | None = None
    verbatim: bool = True
    suggestion: str | None = None

    @model_validator(mode="after")
    def _cited(self) -> JargonTerm:
        if self.verbatim and self.source is None:
            raise ValueError(f"the term '{self.term}' needs its 'source' (or verbatim: false)")
        return self


class PlainLanguage(Definition):
    kind: Literal["plain_language"]
    jargon_source: Cited
    terms: list[JargonTerm]
    danger_statement_parts: list[Question]
    plain_guidance: list[Cited]


# --- loading -----------------------------------------------------------------------------------
@lru_cache(maxsize=32)
def _load(model: type[M], path: str) -> M:
    return load_model(model, Path(path))


def _loader(model: type[M], name: str) -> Callable[[], M]:
    """A function returning the definition in ``forms/<name>`` (loaded once per folder)."""

    def load() -> M:
        return _load(model, str(forms_dir() / name))

    load.__name__ = load.__qualname__ = name.removesuffix(".yaml")
    load.__doc__ = f"The {model.__name__} defined in forms/{name}."
    return load


ears = _loader(EarsScripts, "ears_scripts.yaml")
reflective_tool = _loader(ReflectiveTool, "reflective_tool.yaml")
quality_clinics = _loader(QualityClinics, "quality_clinics.yaml")
practice_intensive = _loader(QuestionSet, "practice_intensive.yaml")
learning_review = _loader(QuestionSet, "learning_review.yaml")
group_supervision = _loader(GroupSupervision, "group_supervision.yaml")
plain_language = _loader(PlainLanguage, "plain_language.yaml")

ALL = {
    "ears_scripts.yaml": ears,
    "reflective_tool.yaml": reflective_tool,
    "quality_clinics.yaml": quality_clinics,
    "practice_intensive.yaml": practice_intensive,
    "learning_review.yaml": learning_review,
    "group_supervision.yaml": group_supervision,
    "plain_language.yaml": plain_language,
}
