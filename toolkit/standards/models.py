"""Typed models of an authority's practice standards, as transcribed in ``forms/standards_*.yaml``.

Each authority groups its expectations by service area (Bexley, Leicester), by standard
(Manchester) or by practice standard and expectation matrix (Durham). Every text a user sees
is a quotation with its seed lines, so the fidelity test can check it word for word.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from toolkit.forms.models import Cited, Identifier, Label, SourceRef, Strict

ItemKind = Literal["expectation", "bottom_line", "question", "focus"]
AreaKind = Literal["service_area", "participation_model", "practice_standard", "expectation_matrix"]

KIND_LABELS: dict[str, str] = {
    "expectation": "Practice expectation",
    "bottom_line": "Bottom line",
    "question": "Checking question",
    "focus": "Manager's focus",
}


class Heading(Strict):
    """A verbatim heading items refer to, such as an SoS principle band."""

    id: Identifier
    title: Label
    source: SourceRef


class StandardItem(Cited):
    """One expectation, bottom line or checking question: ``text`` is the quotation."""

    id: Identifier
    kind: ItemKind = "expectation"
    principle: Identifier | None = None  # a Heading id in Standards.principles
    subheading: str | None = (
        None  # the printed sub-heading above it, e.g. "Family Network Meetings"
    )
    where_to_look: list[Cited] = []  # Durham's "Where will we see this?" column
    note: str | None = None  # the toolkit's own note (not a quotation)

    @property
    def is_bottom_line(self) -> bool:
        return self.kind == "bottom_line"


class StandardsArea(Strict):
    """A service area (or standard, or participation element) with its items."""

    id: Identifier
    number: int | None = None
    kind: AreaKind = "service_area"
    title: Label
    source: SourceRef
    introduction: list[Cited] = []
    items: list[StandardItem]
    note: str | None = None

    def expectations(self) -> list[StandardItem]:
        return [i for i in self.items if not i.is_bottom_line]

    def bottom_lines(self) -> list[StandardItem]:
        return [i for i in self.items if i.is_bottom_line]


class Standards(Strict):
    kind: Literal["standards"] = "standards"
    id: Identifier
    authority: Identifier
    version: int = 1
    title: str
    seed: str
    source: SourceRef
    principles: list[Heading] = []
    areas: list[StandardsArea]

    @model_validator(mode="after")
    def _consistent(self) -> Standards:
        area_ids = [a.id for a in self.areas]
        twice = sorted({a for a in area_ids if area_ids.count(a) > 1})
        if twice:
            raise ValueError(f"area ids used twice: {', '.join(twice)}")
        item_ids = [i.id for a in self.areas for i in a.items]
        twice = sorted({i for i in item_ids if item_ids.count(i) > 1})
        if twice:
            raise ValueError(f"item ids used twice: {', '.join(twice)}")
        principles = {p.id for p in self.principles}
        unknown = sorted(
            {i.principle for a in self.areas for i in a.items if i.principle} - principles
        )
        if unknown:
            raise ValueError(f"items refer to principles not defined: {', '.join(unknown)}")
        return self

    def area(self, area_id: str) -> StandardsArea:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(f"{self.authority} has no service area '{area_id}'")

    def item(self, item_id: str) -> tuple[StandardsArea, StandardItem]:
        for area in self.areas:
            for item in area.items:
                if item.id == item_id:
                    return area, item
        raise KeyError(f"{self.authority} has no standard item '{item_id}'")

    def principle(self, principle_id: str | None) -> Heading | None:
        return next((p for p in self.principles if p.id == principle_id), None)
