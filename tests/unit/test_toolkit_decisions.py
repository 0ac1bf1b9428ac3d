"""The rules the toolkit sets itself are marked as the toolkit's in the data, refused by the
loader when the marker is incomplete, read by the code from there, and every one is listed in
the README's "Where the toolkit decides" with the setting that changes it."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from toolkit.forms.loader import FormError, forms_dir, load_model, toolkit_decisions
from toolkit.forms.models import ToolkitDecisions

README = Path(__file__).resolve().parents[2] / "README.md"


def _markers(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping in a definition's raw data that says who decided it."""
    if isinstance(node, dict):
        if "decided_by" in node:
            yield where, node
        for key, value in node.items():
            yield from _markers(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _markers(value, f"{where}[{index}]")


def every_marker() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(forms_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += [(f"{path.name}{w}", m) for w, m in _markers(data)]
    return found


def readme_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Where the toolkit decides\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def _rows() -> dict[str, str]:
    """The section's table rows by the decision they name."""
    rows = {}
    for line in readme_section().splitlines():
        found = re.match(r"\| `([a-z0-9_]+)` \|", line)
        if found:
            rows[found[1]] = line
    return rows


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\\|", "|")).strip()


# --- in the data --------------------------------------------------------------------------------


def test_the_six_rules_issue_17_names_are_marked_as_the_toolkits() -> None:
    ids = {m["id"] for _, m in every_marker()}
    assert {
        "moderation_sample",
        "recently_audited_child",
        "audit_overdue",
        "thematic_ratings",
        "practice_intensive_sixth_question",
        "outstanding_band",
    } <= ids


def test_every_marker_says_toolkit_why_and_the_setting_and_cites_no_lines() -> None:
    markers = every_marker()
    assert len(markers) >= 8
    for where, marker in markers:
        assert marker["decided_by"] == "toolkit", where
        assert str(marker.get("why", "")).strip(), where
        assert str(marker.get("setting", "")).strip(), where
        assert "source" not in marker, f"{where}: a toolkit decision cites no seed lines"
    ids = [m["id"] for _, m in markers]
    assert len(ids) == len(set(ids)), "a decision id is used twice"


def test_the_greenfield_case_says_it_follows_durhams_example() -> None:
    text = (forms_dir() / "example_cases.yaml").read_text(encoding="utf-8")
    assert "Child and Family Plan" not in text
    (line,) = [ln for ln in text.splitlines() if "fictional:" in ln and "Case Summary" in ln]
    assert "Durham" in line
    assert "001 L1472" in line


def test_the_practice_intensive_lists_five_key_questions_and_one_of_the_toolkits() -> None:
    from toolkit.supervision.content import practice_intensive

    questions = practice_intensive().questions
    assert [q.id for q in questions if q.decided is None] == [
        "behaviours",
        "harm",
        "worry",
        "strengths_safety",
        "other",
    ]
    (added,) = [q for q in questions if q.decided is not None]
    assert added.source.lines == [(3605, 3606)]
    assert "Outcomes-Based Accountability" in added.decided.why


# --- the loader refuses an incomplete marker ------------------------------------------------------

GOOD = {
    "kind": "toolkit_decisions",
    "version": 1,
    "seed": "002",
    "decisions": [
        {
            "id": "x",
            "decided_by": "toolkit",
            "rule": "A rule.",
            "why": "Because.",
            "setting": "a value",
        }
    ],
}


def _write(tmp_path: Path, change: dict[str, Any]) -> Path:
    data = {**GOOD, "decisions": [{**GOOD["decisions"][0], **change}]}
    data["decisions"][0] = {k: v for k, v in data["decisions"][0].items() if v is not None}
    path = tmp_path / "toolkit_decisions.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_complete_marker_loads(tmp_path: Path) -> None:
    loaded = load_model(ToolkitDecisions, _write(tmp_path, {}))
    assert loaded.get("x").setting == "a value"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"decided_by": "002"}, "decided_by"),
        ({"why": None}, "why"),
        ({"setting": None}, "setting"),
        ({"why": "   "}, "says why it was decided"),
        ({"source": "734-735"}, "unknown key 'source'"),
    ],
)
def test_an_incomplete_or_cited_marker_is_refused_naming_the_item(
    tmp_path: Path, change: dict[str, Any], words: str
) -> None:
    with pytest.raises(FormError) as caught:
        load_model(ToolkitDecisions, _write(tmp_path, change))
    assert "item 'x'" in str(caught.value)
    assert words in str(caught.value)


def test_a_marker_on_a_cited_item_is_checked_too(tmp_path: Path) -> None:
    from toolkit.forms.loader import load_grade_bands

    text = (forms_dir() / "grade_bands.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "grade_bands.yaml"
    broken.write_text(text.replace("decided_by: toolkit", "decided_by: bexley"), encoding="utf-8")
    with pytest.raises(FormError, match="decided_by"):
        load_grade_bands(broken)


# --- the code reads the numbers from the data --------------------------------------------------


def test_the_numbers_the_code_uses_are_the_datas() -> None:
    from toolkit.audit.allocation import recent_audit_months
    from toolkit.reports.compute import COMPLETE_WITHIN_DAYS

    decisions = toolkit_decisions()
    assert recent_audit_months() == decisions.number("recently_audited_child") == 12
    assert COMPLETE_WITHIN_DAYS == decisions.number("audit_overdue") == 28
    assert decisions.number("moderation_sample") == 10


def test_the_rules_kept_in_code_say_the_numbers_the_code_uses() -> None:
    from toolkit.reports.load import LOOK_BACK_MONTHS
    from toolkit.reports.privacy import MIN_GROUP, SUPPRESSION_RULE

    decisions = toolkit_decisions()
    assert (
        f"from 1 to {MIN_GROUP - 1} is shown as <{MIN_GROUP}"
        in decisions.get("report_small_numbers").rule
    )
    assert "The toolkit's rule" in SUPPRESSION_RULE
    assert f"look back {LOOK_BACK_MONTHS} months" in decisions.get("report_look_back").rule


def test_the_thematic_scale_is_the_one_the_decision_describes() -> None:
    from toolkit.standards.summary import RATINGS

    rule = toolkit_decisions().get("thematic_ratings").rule
    assert all(label in rule for label in RATINGS.values())


def test_an_authority_that_changes_the_12_months_gets_its_own_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.audit.allocation import recent_audit_months, template

    folder = tmp_path / "forms"
    shutil.copytree(forms_dir(), folder)
    path = folder / "toolkit_decisions.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    value: 12\n", "    value: 6\n"),
        encoding="utf-8",
    )
    monkeypatch.setenv("SOS_TOOLKIT_FORMS_DIR", str(folder))
    assert recent_audit_months() == 6
    assert "last 6 months" in _sheet_text(template())


def _sheet_text(workbook: bytes) -> str:
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(workbook))
    return " ".join(
        str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.value
    )


# --- the README lists every one -----------------------------------------------------------------


def test_every_toolkit_decision_is_in_the_readme_with_its_setting() -> None:
    rows = _rows()
    for where, marker in every_marker():
        assert marker["id"] in rows, f"{where}: '{marker['id']}' is not in the README's table"
        assert _squash(marker["setting"]) in _squash(rows[marker["id"]]), (
            f"the README's row for '{marker['id']}' does not give its setting"
        )


def test_the_readme_lists_no_decision_the_data_does_not_have() -> None:
    assert set(_rows()) == {m["id"] for _, m in every_marker()}
