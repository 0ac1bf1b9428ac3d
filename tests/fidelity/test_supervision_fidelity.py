"""Every text the supervision screens quote stands, word for word, in the seed it cites: the EARS
scripts, the reflective tool's poster and detailed questions, the quality clinics, the practice
intensive and learning review questions, group supervision and the jargon list.

Counts are asserted too, so a prompt dropped from a YAML file fails here rather than passing
vacuously. Skipped when the seeds are not beside the clone.
"""

from __future__ import annotations

import pytest

from tests.support import fidelity
from toolkit.supervision import content

pytestmark = pytest.mark.skipif(
    not fidelity.SEEDS_DIR.is_dir(),
    reason=f"the seed documents are not at {fidelity.SEEDS_DIR}: nothing to compare with",
)

NAMES = sorted(content.ALL)


def _cited(definition: object) -> list[tuple[str, str, object]]:
    found = list(fidelity.cited_texts(definition))
    if isinstance(definition, content.PlainLanguage):
        found += [(f"terms[{t.term}]", t.term, t.source) for t in definition.terms if t.verbatim]
    return found


@pytest.mark.parametrize("name", NAMES)
def test_every_cited_text_stands_in_its_seed(name: str) -> None:
    definition = content.ALL[name]()
    cited = _cited(definition)
    assert cited, f"{name} cites nothing"
    problems = [
        f"{where}: {fault}"
        for where, text, source in cited
        if (fault := fidelity.problem(text, source, definition.seed)) is not None
    ]
    assert problems == [], f"{len(problems)} of {len(cited)} texts in {name} differ:\n" + "\n".join(
        problems
    )


def test_every_ears_prompt_is_there_with_its_lines() -> None:
    ears = content.ears()
    counts = {
        s.id: tuple(len(s.prompts(step)) for step in content.EARS_STEPS) for s in ears.scripts
    }
    # (elicit, amplify, reflect, start over) as printed in seed 002 L3069–3228
    assert counts == {
        "working_well": (4, 24, 7, 2),
        "quality_assurance": (1, 9, 1, 2),
        "biggest_difference": (1, 10, 2, 2),
    }
    checked = {where for where, _, _ in fidelity.cited_texts(ears)}
    prompts = [w for w in checked if ".elicit[" in w or ".amplify[" in w or ".reflect[" in w]
    assert len(prompts) == 59
    assert [s.title for s in ears.steps] == ["Elicit", "Amplify", "Reflect", "Start Over"]
    first = ears.script("working_well").elicit[0]
    assert first.source.lines == [(3070, 3073)]


def test_all_thirty_poster_questions_and_every_detailed_question() -> None:
    tool = content.reflective_tool()
    assert len(tool.principles) == 6
    assert len(tool.stages) == 5
    questions = [c.question for c in tool.cells]
    assert len(questions) == 30
    assert len({q.text for q in questions}) == 30
    per_stage = {
        s.id: sum(len(c.prompts) for c in tool.cells if c.stage == s.id) for s in tool.stages
    }
    # seed-notes/000.md §5.3.9
    assert per_stage == {
        "engagement_and_assessment": 35,
        "seeking_solutions": 34,
        "securing_safety_and_belonging": 32,
        "becoming_an_adult": 25,
        "looking_after_myself": 0,
    }
    checked = [w for w, _, _ in fidelity.cited_texts(tool)]
    assert sum(".question" in w for w in checked) == 30
    assert sum(".prompts[" in w for w in checked) == 126
    assert tool.cell("looking_after_myself", "risk_sensible").question.text == (
        "Am I taking steps to maintain a healthy work/life balance?"
    )
    assert tool.tools("looking_after_myself", "risk_sensible") == []
    assert "Harm matrix" in [
        t.text for t in tool.tools("securing_safety_and_belonging", "risk_sensible")
    ]


def test_every_clinic_prompt_is_there() -> None:
    clinics = content.quality_clinics()
    assert [len(t.criteria) for t in clinics.themes] == [2, 7, 3]
    assert [len(t.points) for t in clinics.themes] == [12, 12, 10]
    assert len(clinics.gibbs_stages) == 5
    assert len(clinics.record_items) == 5
    checked = [w for w, _, _ in fidelity.cited_texts(clinics)]
    assert sum(".points[" in w for w in checked) == 34
    assert sum(".criteria[" in w for w in checked) == 12


def test_practice_intensive_learning_review_and_group_supervision() -> None:
    assert len(content.practice_intensive().questions) == 6
    assert next(q.text for q in content.learning_review().questions) == "What is going well?"
    assert len(content.learning_review().questions) == 4
    group = content.group_supervision()
    assert [r.id for r in group.roles] == ["facilitator", "advisor", "case_holder", "observer"]
    assert [s.id for s in group.steps] == [
        "genogram",
        "three_columns",
        "danger_statements",
        "safety_goals",
        "best_questions",
        "next_steps",
        "scaling",
    ]
    assert len(group.step("three_columns").columns) == 3


def test_the_seven_jargon_terms_named_by_the_audit_form_are_cited() -> None:
    terms = [t for t in content.plain_language().terms if t.verbatim]
    assert [t.term for t in terms] == [
        "violent incidents",
        "neglect",
        "poor attachment",
        "mentally ill",
        "loving",
        "good contact",
        "comes to appointments",
    ]
