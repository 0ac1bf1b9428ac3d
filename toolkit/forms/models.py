"""Typed models of a form definition.

A form is sections → groups → fields. Every text a user sees carries a ``source``: the seed
document and lines it was transcribed from, so the fidelity test can check it word for word.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator
from pydantic import Field as PydField

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
Identifier = Annotated[str, PydField(pattern=ID_PATTERN)]


@dataclass(frozen=True)
class TextKind:
    """What a text in a definition is, checked when the file is loaded: how long it may be and
    whether it may be empty. Limits are three to six times the longest such text in ``forms/``
    (README, "Adapting the forms"): a runaway text (a pasted document in a label) would otherwise
    be sent to every browser with every audit.

    Put on a model's field as ``Annotated[..., LABEL]``: every text under that field (a
    ``Cited``'s text, a list's items) is of that kind unless a field below names another; a text
    under no kind is a long text."""

    name: str
    max_length: int
    may_be_empty: bool = False
    if_empty: str = "write it, or leave the item out"

    def fault(self, text: str) -> str | None:
        """What is wrong with ``text`` as a text of this kind, or None."""
        if len(text) > self.max_length:
            return (
                f"this {self.name} is {len(text):,} characters long; a {self.name} may be at "
                f"most {self.max_length:,} characters"
            )
        if not self.may_be_empty and not text.strip():
            return f"this {self.name} is empty: {self.if_empty}"
        return None


#: field labels, headings, titles and options (the longest, a suggested scaling question: 637)
LABEL = TextKind("label", 2_000)
#: a question or prompt put to the person (longest: 380)
PROMPT = TextKind("prompt", 1_500)
#: the words at one end of a scale (longest: 290)
ANCHOR = TextKind(
    "anchor", 1_000, if_empty="write what this end of the scale means, or leave the anchor out"
)
#: anything else: guidance, definitions, quotations, example case text, notes (longest: 859)
LONG_TEXT = TextKind("long text", 5_000, may_be_empty=True)

Label = Annotated[str, LABEL]

_SOURCE_RE = re.compile(r"^(?:(?P<seed>\d{3}):)?(?P<start>\d+)(?:-(?P<end>\d+))?$")


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a YAML key must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(Strict):
    """Where a text came from: seed number (e.g. ``002``), line ranges, and words to skip.

    ``skip`` lists text interleaved by the PDF extraction (a neighbouring table column) that
    sits inside the quoted lines but is not part of the quote.
    """

    seed: Annotated[str | None, LONG_TEXT] = None
    lines: list[tuple[int, int]]
    skip: Annotated[list[str], LONG_TEXT] = []

    @model_validator(mode="before")
    @classmethod
    def _parse_short_form(cls, data: Any) -> Any:
        # "4021-4025", "000:2030-2035" or a list of those; or the full mapping
        if isinstance(data, (str, int)):
            data = {"lines": [data]}
        if isinstance(data, dict) and "lines" in data:
            lines = data["lines"]
            if isinstance(lines, (str, int)):
                lines = [lines]
            if not isinstance(lines, (list, tuple)):  # null, 1.5, a mapping: pydantic refuses it
                return data
            parsed, seed = [], data.get("seed")
            for item in lines:
                if isinstance(item, (list, tuple)):
                    parsed.append(tuple(item))
                    continue
                match = _SOURCE_RE.match(str(item).strip())
                if not match:
                    raise ValueError(
                        f"source lines {item!r} are not like '4021-4025' or '000:12-15'"
                    )
                seed = match["seed"] or seed
                start = int(match["start"])
                parsed.append((start, int(match["end"] or start)))
            data = {**data, "lines": parsed, "seed": seed}
        return data

    @field_validator("lines")
    @classmethod
    def _ordered(cls, value: list[tuple[int, int]]) -> list[tuple[int, int]]:
        if not value:
            raise ValueError("at least one line range is needed")
        for start, end in value:
            if start < 1 or end < start:
                raise ValueError(f"line range {start}-{end} is not a forward range of lines")
        return value

    def label(self, default_seed: str | None = None) -> str:
        ranges = ", ".join(f"L{a}" if a == b else f"L{a}–{b}" for a, b in self.lines)
        return f"{self.seed or default_seed or ''} {ranges}".strip()


class Cited(Strict):
    """A piece of verbatim text with its source."""

    text: str
    source: SourceRef


class ToolkitDecision(Strict):
    """A rule the toolkit sets itself: no source document states it, so it is never cited to seed
    lines. It says so (``decided_by: toolkit``), why the toolkit decided it and the setting that
    changes it; the README lists every one ("Where the toolkit decides", by ``id``)."""

    decided_by: Literal["toolkit"]
    id: Identifier
    why: Annotated[str, LONG_TEXT]
    setting: Label

    @field_validator("why", "setting")
    @classmethod
    def _said(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(
                "a toolkit decision says why it was decided and what setting changes it"
            )
        return value


class DecidedRule(ToolkitDecision):
    """A rule of the toolkit's own that lives in no form: the words a screen shows for it, the
    number it uses (when it is one) and what the source does say nearby, quoted."""

    rule: Label
    value: int | None = None
    unit: Label | None = None
    source_says: list[Cited] = []


class ToolkitDecisions(Strict):
    """``forms/toolkit_decisions.yaml``: the toolkit's own rules that live in no form."""

    kind: Literal["toolkit_decisions"]
    version: int
    seed: str  # the default seed of the ``source_says`` quotations
    decisions: list[DecidedRule]

    @model_validator(mode="after")
    def _unique(self) -> ToolkitDecisions:
        ids = [d.id for d in self.decisions]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"toolkit decisions defined twice: {', '.join(twice)}")
        return self

    def get(self, decision_id: str) -> DecidedRule:
        for decision in self.decisions:
            if decision.id == decision_id:
                return decision
        raise KeyError(f"no toolkit decision '{decision_id}' in toolkit_decisions.yaml")

    def number(self, decision_id: str) -> int:
        """The number a decision sets (days, a percentage); KeyError when it sets none."""
        value = self.get(decision_id).value
        if value is None:
            raise KeyError(f"the toolkit decision '{decision_id}' sets no number")
        return value


class FieldKind(str, Enum):
    date = "date"
    text = "text"
    long_text = "long_text"
    choice = "choice"
    scale = "scale"
    statement = "statement"  # read-only text shown to the user, e.g. a suggested scaling question
    actions = "actions"


ScaleRole = Literal["area_scale", "self_assessment", "family_statement", "overall_rating"]


class Scale(Strict):
    """A 0–10 scale whose ends are described by anchors (either may be absent in the source)."""

    min: int = 0
    max: int = 10
    low_anchor: Annotated[Cited | None, ANCHOR] = None
    high_anchor: Annotated[Cited | None, ANCHOR] = None
    role: ScaleRole | None = None

    @model_validator(mode="after")
    def _range(self) -> Scale:
        if self.min >= self.max:
            raise ValueError(f"scale min {self.min} must be below max {self.max}")
        return self


class Field(Strict):
    """One answerable (or displayed) item of a form."""

    id: Identifier
    kind: FieldKind
    label: Label
    source: SourceRef | None = None
    help: Cited | None = None
    prompts: Annotated[list[Cited], PROMPT] = []
    options: Annotated[list[str], LABEL] = []
    scale: Scale | None = None
    max_length: int = 20000
    editable_by: Literal["auditor", "practitioner"] | None = None
    verbatim: bool = True  # False for toolkit labels that are not quotations (said in a note)
    # an actions field: the source's rule that actions below 'Good' include an immediate one
    # (completion refuses without one, toolkit/core/lifecycle.py), and the action it asks for
    # where the work is inadequate, with the toolkit's own words for that action (``what``)
    immediate_action: Cited | None = None
    inadequate_action: Cited | None = None
    inadequate_action_what: Label | None = None  # the toolkit's words, not a quotation

    @model_validator(mode="after")
    def _consistent(self) -> Field:
        if self.kind is FieldKind.scale and self.scale is None:
            raise ValueError("a scale field needs 'scale'")
        if self.kind is not FieldKind.scale and self.scale is not None:
            raise ValueError(f"'scale' given on a {self.kind.value} field")
        if self.kind is FieldKind.choice and len(self.options) < 2:
            raise ValueError("a choice field needs at least two options")
        if self.verbatim and self.source is None:
            raise ValueError("a verbatim field needs its 'source' lines (or verbatim: false)")
        rules = (self.immediate_action, self.inadequate_action, self.inadequate_action_what)
        if self.kind is not FieldKind.actions and any(r is not None for r in rules):
            raise ValueError(f"immediate or inadequate actions given on a {self.kind.value} field")
        if (self.inadequate_action is None) != (self.inadequate_action_what is None):
            raise ValueError("'inadequate_action' and 'inadequate_action_what' go together")
        return self


class Group(Strict):
    """A block of fields under one heading, such as one area of practice."""

    id: Identifier
    title: Label
    number: int | None = None
    source: SourceRef | None = None
    guidance: list[Cited] = []
    fields: list[Field]


class Section(Strict):
    id: Identifier
    number: int
    title: Label
    source: SourceRef
    editable_by: Literal["auditor", "practitioner"] = "auditor"
    guidance: list[Cited] = []
    groups: list[Group]


class Form(Strict):
    kind: Literal["form"] = "form"
    id: Identifier
    version: int = PydField(ge=1)
    title: Label
    seed: str
    source: SourceRef
    sections: list[Section]

    @model_validator(mode="after")
    def _unique_ids(self) -> Form:
        seen: set[str] = set()
        for section in self.sections:
            for group in section.groups:
                for field in group.fields:
                    key = f"{group.id}.{field.id}"
                    if key in seen:
                        raise ValueError(f"field '{key}' is defined twice")
                    seen.add(key)
        groups = [g.id for s in self.sections for g in s.groups]
        dupes = {g for g in groups if groups.count(g) > 1}
        if dupes:
            raise ValueError(f"group ids used twice: {', '.join(sorted(dupes))}")
        return self

    # --- look-ups -------------------------------------------------------------------------
    @functools.cached_property
    def _by_key(self) -> dict[str, tuple[Section, Group, Field]]:
        """Made once: a form is frozen, and every save of an answer looks its field up."""
        return {
            f"{group.id}.{field.id}": (section, group, field)
            for section in self.sections
            for group in section.groups
            for field in group.fields
        }

    def fields(self) -> dict[str, tuple[Section, Group, Field]]:
        """Every field by its key ``group.field``, with its section and group."""
        return dict(self._by_key)

    def field(self, key: str) -> tuple[Section, Group, Field]:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"form '{self.id}' v{self.version} has no field '{key}'") from None

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(f"form '{self.id}' has no section '{section_id}'")

    def editor_role(self, key: str) -> str:
        section, _, field = self.field(key)
        return field.editable_by or section.editable_by

    def scale_keys(self, role: str) -> list[str]:
        return [
            key
            for key, (_, _, field) in self.fields().items()
            if field.scale is not None and field.scale.role == role
        ]


class GradeBand(Strict):
    grade: Label
    min: int
    max: int
    source: SourceRef
    note: str | None = None
    decided: ToolkitDecision | None = None  # the band's points, where the toolkit reads them


class GradeBands(Strict):
    id: Identifier
    version: int
    seed: str
    bands: list[GradeBand]

    @model_validator(mode="after")
    def _cover(self) -> GradeBands:
        points = sorted(p for b in self.bands for p in range(b.min, b.max + 1))
        if points != list(range(0, 11)):
            faults = []
            missing = sorted(set(range(0, 11)) - set(points))
            if missing:
                faults.append(f"no band covers {', '.join(map(str, missing))}")
            twice = sorted({p for p in points if points.count(p) > 1})
            if twice:
                faults.append(f"more than one band covers {', '.join(map(str, twice))}")
            outside = sorted({p for p in points if not 0 <= p <= 10})
            if outside:
                faults.append(f"{', '.join(map(str, outside))} is outside the 0–10 scale")
            raise ValueError("grade bands must cover 0–10 exactly once each: " + "; ".join(faults))
        return self


class RubricDomain(Strict):
    id: Identifier
    title: Label
    source: SourceRef
    levels: dict[str, list[Cited]]  # grade → descriptors


class Rubric(Strict):
    id: Identifier
    version: int
    seed: str
    introduction: Cited | None = None
    domains: list[RubricDomain]
