"""Every text the toolkit shows as a quotation stands, word for word, in the seed document it
cites: the form, the rubric and the grade bands.

The seeds live beside the clone (``../shared/seeds``); without them this module is skipped.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.support import fidelity
from toolkit.forms.loader import FormRegistry, forms_dir, load_grade_bands, load_rubric
from toolkit.forms.models import SourceRef

pytestmark = pytest.mark.skipif(
    not fidelity.SEEDS_DIR.is_dir(),
    reason=f"the seed documents are not at {fidelity.SEEDS_DIR}: nothing to compare the forms with",
)


def _definitions() -> list[tuple[str, object, str]]:
    """(name, loaded definition, default seed) for every file in forms/."""
    found: list[tuple[str, object, str]] = []
    registry = FormRegistry(forms_dir())
    for (form_id, version), form in sorted(registry._forms.items()):
        found.append((f"{form_id} v{version}", form, form.seed))
    rubric = load_rubric()
    found.append((rubric.id, rubric, rubric.seed))
    bands = load_grade_bands()
    found.append((bands.id, bands, bands.seed))
    return found


DEFINITIONS = _definitions()


@pytest.fixture(scope="module")
def audit_texts() -> dict[str, str]:
    form = FormRegistry(forms_dir()).latest("collaborative_case_audit")
    return {where: text for where, text, _ in fidelity.cited_texts(form)}


def _matching(texts: dict[str, str], pattern: str) -> list[str]:
    return [where for where in texts if re.fullmatch(pattern, where)]


# --- every cited text matches ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "definition", "seed"), DEFINITIONS, ids=[d[0] for d in DEFINITIONS]
)
def test_every_cited_text_stands_in_its_seed(name: str, definition: object, seed: str) -> None:
    cited = list(fidelity.cited_texts(definition))
    assert cited, f"{name} cites nothing: the fidelity check would pass vacuously"
    problems = [
        f"{where}: {fault}"
        for where, text, source in cited
        if (fault := fidelity.problem(text, source, seed)) is not None
    ]
    assert problems == [], (
        f"{len(problems)} of {len(cited)} texts in {name} differ from the seed:\n"
        + "\n".join(problems)
    )


# --- everything that must be checked is checked -------------------------------------------


def test_all_nineteen_area_titles_are_checked(audit_texts: dict[str, str]) -> None:
    assert len(_matching(audit_texts, r"sections\[\w+\]\.groups\[area_\d+\]\.title")) == 19


def test_both_practitioner_preparation_questions_are_checked(audit_texts: dict[str, str]) -> None:
    questions = _matching(
        audit_texts, r"sections\[practitioner_preparation\]\.groups\[\w+\]\.title"
    )
    assert len(questions) == 2


def test_all_eight_child_questions_are_checked(audit_texts: dict[str, str]) -> None:
    assert len(_matching(audit_texts, r".*groups\[child_feedback\]\.fields\[q\d_\w+\]\.label")) == 8


def test_all_nine_family_statements_are_checked(audit_texts: dict[str, str]) -> None:
    assert (
        len(_matching(audit_texts, r".*groups\[family_feedback\]\.fields\[statement_\d\]\.label"))
        == 9
    )


def test_open_feedback_questions_are_checked(audit_texts: dict[str, str]) -> None:
    three = ("going_well", "done_differently", "made_a_difference")
    for group in ("family_feedback", "network_feedback"):
        found = [
            q
            for q in three
            if any(w.endswith(f"groups[{group}].fields[{q}].label") for w in audit_texts)
        ]
        assert len(found) == 3, group
    closing = [
        q
        for q in ("change_one_thing", "anything_else")
        if any(w.endswith(f"groups[family_feedback].fields[{q}].label") for w in audit_texts)
    ]
    assert len(closing) == 2


def test_all_thirteen_suggested_scaling_questions_are_checked(audit_texts: dict[str, str]) -> None:
    questions = _matching(audit_texts, r".*fields\[suggested_scaling_question\]\.label")
    assert len(questions) == 13
    assert all(audit_texts[q].startswith("Suggested Scaling Question") for q in questions)


# --- the check can fail ----------------------------------------------------------------------


def test_a_label_with_one_word_changed_is_reported(audit_texts: dict[str, str]) -> None:
    form = FormRegistry(forms_dir()).latest("collaborative_case_audit")
    _, _, field = form.field("family_feedback.statement_2")
    assert field.label == "My worker does what they say they will do."
    assert field.source is not None
    assert fidelity.problem(field.label, field.source, form.seed) is None
    changed = field.label.replace("does", "did")
    fault = fidelity.problem(changed, field.source, form.seed)
    assert fault is not None
    assert "did what they say" in fault


def test_a_text_cited_from_the_wrong_lines_is_reported() -> None:
    form = FormRegistry(forms_dir()).latest("collaborative_case_audit")
    _, _, field = form.field("family_feedback.statement_2")
    elsewhere = SourceRef(lines=[(5145, 5147)])  # the lines of statement 1
    assert fidelity.problem(field.label, elsewhere, form.seed) is not None


def test_empty_text_is_reported() -> None:
    assert fidelity.problem("  ", SourceRef(lines=[(659, 659)]), "002") == "empty text"


# --- words split by a hyphen at a line end ------------------------------------------------------

# seeds/002 L1868-1869: "No evidence of diver-" / "sity or disability issues ..."
DIVERSITY = SourceRef(lines=[(1868, 1870)])
# seeds/002 L1920: "decision-making" inside one line: a real compound
DECISION_MAKING = SourceRef(lines=[(1913, 1920)])


def test_the_seed_really_splits_diversity_at_a_line_end() -> None:
    lines = fidelity.seed_lines("002")
    assert lines[1867].rstrip().endswith("diver-")
    assert lines[1868].lstrip().startswith("sity")


def test_a_word_split_at_a_line_end_matches_whole_or_with_its_hyphen() -> None:
    assert (
        fidelity.problem("No evidence of diversity or disability issues", DIVERSITY, "002") is None
    )
    assert (
        fidelity.problem("No evidence of diver-sity or disability issues", DIVERSITY, "002") is None
    )
    assert (
        fidelity.problem("No evidence of diversity or ability issues", DIVERSITY, "002") is not None
    )


def test_a_hyphen_inside_a_line_is_never_dropped() -> None:
    text = "being involved in planning and/or decision-making"
    assert fidelity.problem(text, DECISION_MAKING, "002") is None
    assert (
        fidelity.problem(text.replace("decision-making", "decisionmaking"), DECISION_MAKING, "002")
        is not None
    )


def test_join_line_end_hyphens_only_joins_a_lower_case_continuation() -> None:
    assert fidelity.join_line_end_hyphens("diver-\nsity") == "diversity"
    assert fidelity.join_line_end_hyphens("iden- \n  tify") == "identify"
    assert fidelity.join_line_end_hyphens("Staying-\nTogether") == "Staying-\nTogether"
    assert fidelity.join_line_end_hyphens("multi-agency") == "multi-agency"


def test_the_rubric_reads_split_words_as_words() -> None:
    text = (forms_dir() / "audit_rubric.yaml").read_text(encoding="utf-8")
    body = text[text.index("\nid: audit_rubric") :]  # past the explanatory comment
    for split in (
        "diver-sity",
        "iden-tify",
        "pre-vious",
        "appro-priate",
        "under-standing",
        "evi-dence",
    ):
        assert split not in body
    for word in (
        "diversity",
        "identify",
        "previous",
        "appropriate",
        "understanding",
        "multi-agency",
    ):
        assert word in body


# --- the grade bands say what the seed's table says ------------------------------------------


def test_grade_band_ranges_are_the_seeds_scaling_table() -> None:
    bands = load_grade_bands()
    lines = fidelity.seed_lines(bands.seed)
    checked = 0
    for band in bands.bands:
        ((start, end),) = band.source.lines
        row = fidelity.squash(" ".join(lines[start - 1 : end]))
        if not row[:1].isdigit():
            continue  # Outstanding: given in prose, not in the table
        points = f"{band.min}" if band.min == band.max else f"{band.min}–{band.max}"
        assert row == fidelity.squash(f"{points} {band.grade}"), band.grade
        checked += 1
    assert checked == 3


def test_the_seeds_folder_is_the_one_beside_the_clone_unless_the_setting_names_another() -> None:
    assert Path(__file__).resolve().parents[3] / "shared" / "seeds" == fidelity.BESIDE_THE_CLONE
    named = os.environ.get("SOS_TOOLKIT_SEEDS_DIR")
    assert (Path(named) if named else fidelity.BESIDE_THE_CLONE) == fidelity.SEEDS_DIR


def test_the_completion_rules_quoted_on_the_actions_field_are_checked(
    audit_texts: dict[str, str],
) -> None:
    """Below Good an immediate action (002 L683–684); where inadequate a practice observation
    (002 L705–709): both are shown to the auditor who completes, so both are checked."""
    assert _matching(audit_texts, r".*\.fields\[actions\]\.immediate_action")
    assert _matching(audit_texts, r".*\.fields\[actions\]\.inadequate_action")
