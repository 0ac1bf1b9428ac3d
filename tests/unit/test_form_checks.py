"""Every definition file's texts are checked when loaded: an empty label, prompt or anchor and a
runaway text are refused with a message naming the file, the item, the field and the limit.
(Misspelt spreadsheet headings: ``tests/store/test_allocation.py``.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from toolkit.core.profiles import Profile
from toolkit.forms.loader import FormError, forms_dir, load_model
from toolkit.forms.models import (
    ANCHOR,
    LABEL,
    LONG_TEXT,
    PROMPT,
    Form,
    GradeBands,
    Rubric,
    ToolkitDecisions,
)
from toolkit.standards.models import Standards
from toolkit.standards.timescales import Timescales
from toolkit.supervision.content import (
    EarsScripts,
    GroupSupervision,
    PlainLanguage,
    QualityClinics,
    QuestionSet,
    ReflectiveTool,
)
from toolkit.training.cases import ExampleCases
from toolkit.training.flashcards import Glossary

#: the model of each definition file, by its ``kind:`` (or, for files without one, its name)
MODEL_BY_KIND: dict[str, type[BaseModel]] = {
    "form": Form,
    "ears_scripts": EarsScripts,
    "group_supervision": GroupSupervision,
    "plain_language": PlainLanguage,
    "quality_clinics": QualityClinics,
    "question_set": QuestionSet,
    "reflective_tool": ReflectiveTool,
    "profile": Profile,
    "standards": Standards,
    "timescales": Timescales,
    "toolkit_decisions": ToolkitDecisions,
}
MODEL_BY_NAME: dict[str, type[BaseModel]] = {
    "audit_rubric.yaml": Rubric,
    "grade_bands.yaml": GradeBands,
    "example_cases.yaml": ExampleCases,
    "glossary.yaml": Glossary,
}


def _model_of(path: Path) -> type[BaseModel]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    model = MODEL_BY_NAME.get(path.name) or MODEL_BY_KIND.get(data.get("kind"))
    assert model is not None, f"{path.name}: no model known for this definition file"
    return model


@pytest.mark.parametrize("path", sorted(forms_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_every_definition_file_passes_the_text_checks(path: Path) -> None:
    load_model(_model_of(path), path)


def _set(data: Any, where: str, value: str) -> None:
    *steps, last = [int(s) if s.isdigit() else s for s in where.split(".")]
    for step in steps:
        data = data[step]
    assert isinstance(data[last], str), f"{where} is not a text"
    data[last] = value


FAULTS = [
    # file, where (as the message names it), the new text, the item named (None: the file's
    # own key, no item), words of the fault
    (
        "collaborative_audit.yaml",
        "sections.1.groups.0.fields.0.scale.low_anchor.text",
        "",
        "scale",
        [f"this anchor is empty: {ANCHOR.if_empty}"],
    ),
    (
        "collaborative_audit.yaml",
        "sections.3.groups.0.fields.4.scale.high_anchor.text",
        "   ",
        "collaborative_scale",
        ["this anchor is empty"],
    ),
    (
        "collaborative_audit.yaml",
        "sections.3.groups.0.fields.0.label",
        "x" * 5_000_000,
        "signs_of_impact",
        ["this label is 5,000,000 characters long", f"at most {LABEL.max_length:,} characters"],
    ),
    (
        "ears_scripts.yaml",
        "scripts.0.elicit.0.text",
        "x" * (PROMPT.max_length + 1),
        "working_well",
        [f"this prompt is {PROMPT.max_length + 1:,}", f"at most {PROMPT.max_length:,}"],
    ),
    (
        "standards_bexley.yaml",
        "areas.0.items.0.text",
        "x" * (LONG_TEXT.max_length + 1),
        "fw_e01",
        [f"this long text is {LONG_TEXT.max_length + 1:,}", f"at most {LONG_TEXT.max_length:,}"],
    ),
    (
        "group_supervision.yaml",
        "steps.6.example_anchors.0.text",
        "",
        "scaling",
        ["this anchor is empty"],
    ),
    ("profile_bexley.yaml", "name", " ", None, ["this label is empty"]),  # a top-level key
]


@pytest.mark.parametrize(
    ("name", "where", "text", "item", "words"), FAULTS, ids=[f"{f[0]}:{f[1]}" for f in FAULTS]
)
def test_an_empty_or_runaway_text_is_refused_naming_file_item_field_and_limit(
    tmp_path: Path, name: str, where: str, text: str, item: str | None, words: list[str]
) -> None:
    real = forms_dir() / name
    data = yaml.safe_load(real.read_text(encoding="utf-8"))
    _set(data, where, text)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(FormError) as caught:
        load_model(_model_of(real), path)
    message = str(caught.value)
    assert str(path) in message
    assert f"{where}: " in message
    assert caught.value.item == item
    if item is not None:
        assert f"item '{item}'" in message
    for word in words:
        assert word in message
    assert len(message) < 1_000  # the runaway text itself is not repeated


def test_a_runaway_label_stops_the_whole_forms_folder(tmp_path: Path) -> None:
    """The app loads every form through the registry: a 5 MB label must not reach a screen."""
    from toolkit.forms.loader import FormRegistry

    data = yaml.safe_load((forms_dir() / "collaborative_audit.yaml").read_text(encoding="utf-8"))
    _set(data, "sections.0.groups.0.fields.0.label", "Referral " * 600_000)
    (tmp_path / "collaborative_audit.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(FormError, match=r"collaborative_audit\.yaml.*this label is 5,400,000"):
        FormRegistry(tmp_path)
