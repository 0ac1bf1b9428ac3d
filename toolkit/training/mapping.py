"""The model group case mapping of an example case, part by part, for the case file and for the
trainer to reveal one part at a time beside the group case mapping screen."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.core.html import esc
from toolkit.supervision import content
from toolkit.training.cases import ExampleCase


@dataclass(frozen=True)
class MappingPart:
    step_id: str  # the group case mapping step it answers (forms/group_supervision.yaml)
    title: str
    markup: str  # escaped HTML


def _items(texts: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(t)}</li>" for t in texts) + "</ul>"


def _numbered(texts: list[str]) -> str:
    """Numbered, so each safety goal lines up with its danger statement."""
    return "<ol>" + "".join(f"<li>{esc(t)}</li>" for t in texts) + "</ol>"


def model_mapping(case: ExampleCase) -> list[MappingPart]:
    """Every part of the model mapping, in the order of the group case mapping's steps."""
    mapping, plan = case.case_mapping, case.plan
    dangers = mapping.danger_statements or [p.text for p in plan.danger_statements]
    goals = mapping.safety_goals or [p.text for p in plan.safety_goals]
    group = content.group_supervision()
    parts = [
        MappingPart("three_columns", column.text, _items(getattr(mapping, column.id)))
        for column in group.step("three_columns").columns
    ]
    parts += [
        MappingPart("danger_statements", "Danger statements", _numbered(dangers)),
        MappingPart("safety_goals", "Safety goals", _numbered(goals)),
        MappingPart(
            "scaling",
            "Safety scale",
            f"<p>{esc(mapping.scale_question)}</p><p>Model scale <b>{mapping.scale}</b></p>",
        ),
    ]
    return parts


def parts_for_step(case: ExampleCase, step_id: str) -> list[MappingPart]:
    return [part for part in model_mapping(case) if part.step_id == step_id]


def mapping_html(case: ExampleCase) -> str:
    """The whole model mapping as one piece of HTML (the case file's last section)."""
    return "".join(f"<h4>{esc(p.title)}</h4>{p.markup}" for p in model_mapping(case))
