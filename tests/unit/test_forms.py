"""Every definition in ``forms/`` loads, the audit form has the shape Bexley's form has, and a
broken definition is refused with a message that names the file, the item and the fault."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from toolkit.forms.loader import (
    FormError,
    FormRegistry,
    forms_dir,
    load_form,
    load_grade_bands,
    load_rubric,
)
from toolkit.forms.models import FieldKind, Form

BROKEN = Path(__file__).parents[1] / "support" / "fixtures" / "forms"
AUDIT_FORM = "collaborative_case_audit"


def _yaml_files_of_kind(kind: str) -> list[Path]:
    files = []
    for path in sorted(forms_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("kind") == kind:
            files.append(path)
    return files


@pytest.fixture(scope="module")
def audit_form() -> Form:
    return FormRegistry(forms_dir()).get(AUDIT_FORM, 1)


# --- every file loads ----------------------------------------------------------------------


def test_forms_folder_holds_the_audit_form() -> None:
    names = [p.name for p in _yaml_files_of_kind("form")]
    assert "collaborative_audit.yaml" in names


@pytest.mark.parametrize("path", _yaml_files_of_kind("form"), ids=lambda p: p.name)
def test_each_form_file_loads_and_is_in_the_registry(path: Path) -> None:
    form = load_form(path)
    registry = FormRegistry(forms_dir())
    assert registry.get(form.id, form.version) == form
    assert form.sections, f"{path.name} has no sections"
    assert all(group.fields for section in form.sections for group in section.groups)


def test_grade_bands_load_and_follow_the_ofsted_scale() -> None:
    bands = load_grade_bands()
    assert [(b.grade, b.min, b.max) for b in bands.bands] == [
        ("Inadequate", 0, 2),
        ("Requires improvement", 3, 5),
        ("Good", 6, 6),
        ("Outstanding", 7, 10),
    ]


def test_rubric_loads_with_three_grades_for_each_of_six_domains() -> None:
    rubric = load_rubric()
    assert len(rubric.domains) == 6
    for domain in rubric.domains:
        assert set(domain.levels) == {"Good", "Requires improvement", "Inadequate"}, domain.id
        for grade, descriptors in domain.levels.items():
            assert descriptors, f"{domain.id} has no descriptor for {grade}"
            assert all(d.text.strip() for d in descriptors)


def test_an_unknown_form_version_is_refused_by_name() -> None:
    registry = FormRegistry(forms_dir())
    with pytest.raises(FormError, match="version 99"):
        registry.get(AUDIT_FORM, 99)
    with pytest.raises(FormError, match="no such form"):
        registry.get("no_such_form")


# --- the shape of the collaborative case audit ------------------------------------------------


def test_sections_are_numbered_one_to_six_in_order(audit_form: Form) -> None:
    assert [(s.number, s.id) for s in audit_form.sections] == [
        (1, "case_demographics"),
        (2, "practitioner_preparation"),
        (3, "case_file_health_check"),
        (4, "areas_of_practice"),
        (5, "feedback"),
        (6, "audit_outcome"),
    ]


def test_there_are_nineteen_areas_numbered_in_order(audit_form: Form) -> None:
    areas = [g for s in audit_form.sections for g in s.groups if g.id.startswith("area_")]
    assert [g.id for g in areas] == [f"area_{n}" for n in range(1, 20)]
    assert [g.number for g in areas] == list(range(1, 20))


def _field_ids(form: Form, group_id: str) -> list[str]:
    for section in form.sections:
        for group in section.groups:
            if group.id == group_id:
                return [f.id for f in group.fields]
    raise AssertionError(f"no group {group_id}")


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_health_check_areas_have_auditor_rating_strengths_and_areas_to_develop(
    audit_form: Form, number: int
) -> None:
    key = f"area_{number}"
    assert _field_ids(audit_form, key) == ["auditor_rating", "strengths", "areas_to_develop"]
    section, _, rating = audit_form.field(f"{key}.auditor_rating")
    assert section.id == "case_file_health_check"
    assert rating.kind is FieldKind.scale
    assert rating.scale is not None
    assert (rating.scale.min, rating.scale.max) == (0, 10)


def test_area_19_management_oversight_also_records_signs_of_impact(audit_form: Form) -> None:
    assert set(_field_ids(audit_form, "area_19")) == {
        "auditor_rating",
        "strengths",
        "areas_to_develop",
        "signs_of_impact",
    }
    assert audit_form.field("area_19.auditor_rating")[2].kind is FieldKind.scale


@pytest.mark.parametrize("number", range(6, 19))
def test_collaborative_areas_have_every_part_of_the_discussion(
    audit_form: Form, number: int
) -> None:
    key = f"area_{number}"
    assert set(_field_ids(audit_form, key)) == {
        "signs_of_impact",
        "suggested_scaling_question",
        "strengths",
        "areas_to_develop",
        "collaborative_scale",
        "auditor_rationale",
    }
    section, _, question = audit_form.field(f"{key}.suggested_scaling_question")
    assert section.id == "areas_of_practice"
    assert question.kind is FieldKind.statement  # read out, not answered
    scale = audit_form.field(f"{key}.collaborative_scale")[2].scale
    assert scale is not None
    assert scale.role == "area_scale"
    assert scale.low_anchor is not None
    assert scale.low_anchor.text.strip()
    assert scale.high_anchor is not None
    assert scale.high_anchor.text.strip()
    assert scale.low_anchor.text != scale.high_anchor.text


def test_only_practitioner_preparation_is_answered_by_the_practitioner(audit_form: Form) -> None:
    by_practitioner = {s.id for s in audit_form.sections if s.editable_by == "practitioner"}
    assert by_practitioner == {"practitioner_preparation"}
    for key in audit_form.fields():
        expected = "practitioner" if key.startswith("self_assessment") else "auditor"
        assert audit_form.editor_role(key) == expected, key


def test_practitioner_preparation_has_two_self_assessment_scales(audit_form: Form) -> None:
    keys = audit_form.scale_keys("self_assessment")
    assert len(keys) == 2
    for key in keys:
        assert audit_form.field(key)[0].id == "practitioner_preparation"


def test_child_feedback_asks_eight_questions(audit_form: Form) -> None:
    questions = [f for f in _field_ids(audit_form, "child_feedback") if f.startswith("q")]
    assert questions == [
        "q1_worker_name",
        "q2_how_often",
        "q3_why_helping",
        "q4_difference_made",
        "q5_like_about_worker",
        "q6_could_do_better",
        "q7_how_helpful",
        "q8_better_supported_or_safer",
    ]


def test_family_feedback_has_nine_agree_disagree_statements(audit_form: Form) -> None:
    keys = audit_form.scale_keys("family_statement")
    assert keys == [f"family_feedback.statement_{n}" for n in range(1, 10)]
    for key in keys:
        scale = audit_form.field(key)[2].scale
        assert scale is not None
        assert scale.low_anchor is not None
        assert scale.low_anchor.text == "Strongly disagree"
        assert scale.high_anchor is not None
        assert scale.high_anchor.text == "Strongly agree"


def test_overall_rating_and_actions_exist(audit_form: Form) -> None:
    section, _, rating = audit_form.field("overall.overall_rating")
    assert section.id == "audit_outcome"
    assert rating.scale is not None
    assert rating.scale.role == "overall_rating"
    assert audit_form.scale_keys("overall_rating") == ["overall.overall_rating"]
    assert audit_form.field("actions.actions")[2].kind is FieldKind.actions
    assert audit_form.field("overall.signs_of_impact")[2].kind is FieldKind.long_text


def test_prefilled_fields_exist_on_the_form(audit_form: Form) -> None:
    # the store fills these in when an audit is created; renaming them would silently stop it
    for key in (
        "people.auditor_name",
        "people.practitioner_name",
        "people.manager_name",
        "people.staying_together_name",
        "personal_details.liquidlogic_id",
    ):
        assert key in audit_form.fields()


# --- broken definitions ----------------------------------------------------------------------

BROKEN_CASES = [
    # file, loader, item the message names (or None), words that say what is wrong
    ("invalid_yaml.yaml", load_form, None, ["not valid YAML", "line"]),
    ("unknown_key.yaml", load_form, "referral_received", ["unknown key 'lable'"]),
    ("scale_without_scale.yaml", load_form, "overall_rating", ["a scale field needs 'scale'"]),
    (
        "duplicate_field_id.yaml",
        load_form,
        "duplicate_field_form",
        ["area_1.strengths", "defined twice"],
    ),
    ("bad_source.yaml", load_form, "referral_received", ["'abc'", "source lines"]),
    ("not_a_mapping.yaml", load_form, None, ["must hold a mapping"]),
    ("grade_bands_gap.yaml", load_grade_bands, "gap_grade_bands", ["no band covers 6"]),
]


@pytest.mark.parametrize(
    ("name", "loader", "item", "problem_words"), BROKEN_CASES, ids=[c[0] for c in BROKEN_CASES]
)
def test_broken_definition_is_refused_naming_file_item_and_problem(
    name: str, loader, item: str | None, problem_words: list[str]
) -> None:
    path = BROKEN / name
    assert path.exists()
    with pytest.raises(FormError) as caught:
        loader(path)
    message = str(caught.value)
    assert name in message
    if item is not None:
        assert caught.value.item == item
        assert f"'{item}'" in message
    for words in problem_words:
        assert words in message


def test_a_folder_with_a_broken_form_is_refused_as_a_whole(tmp_path: Path) -> None:
    (tmp_path / "scale_without_scale.yaml").write_text(
        (BROKEN / "scale_without_scale.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(FormError, match=re.escape("scale_without_scale.yaml")):
        FormRegistry(tmp_path)


def test_overlapping_grade_bands_are_refused(tmp_path: Path) -> None:
    text = (forms_dir() / "grade_bands.yaml").read_text(encoding="utf-8")
    overlapping = text.replace("  - grade: Good\n    min: 6", "  - grade: Good\n    min: 5")
    assert overlapping != text
    path = tmp_path / "bands.yaml"
    path.write_text(overlapping, encoding="utf-8")
    with pytest.raises(FormError, match="more than one band covers 5"):
        load_grade_bands(path)


@pytest.mark.parametrize("lines", ["null", "1.5", "{start: 1}", "true"])
def test_source_lines_that_are_not_a_list_are_a_form_error(tmp_path: Path, lines: str) -> None:
    """Found by test_properties' mutations: ``lines: null`` crashed the loader with TypeError
    (iterating None) instead of refusing the file."""
    text = (forms_dir() / "audit_rubric.yaml").read_text(encoding="utf-8")
    broken = text.replace('lines: ["1319-1363", "1556-1575", "1786-1807"]', f"lines: {lines}")
    assert broken != text
    path = tmp_path / "rubric.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(FormError, match=r"rubric\.yaml"):
        load_rubric(path)
