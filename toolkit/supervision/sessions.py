"""What a session holds, worked out from its notes: pure functions the screens, the projector and
the exported record share.

Note keys, by kind of session:

* EARS: ``r<n>.question`` (``<script>.<number>``), ``r<n>.step``, ``r<n>.elicit.note``,
  ``r<n>.<amplify|reflect>.<i>.asked`` / ``.note``, then ``learning`` and ``actions``.
* Reflective tool: ``focus_stage`` and ``cell.<stage>.<principle>.note``.
* Group case mapping: ``participants``, ``genogram``, ``columns.<id>``, ``pairs`` (danger
  statement and safety goal), ``best_questions``, ``actions``, ``scale.question``, ``scale.zero``,
  ``scale.ten``; ratings are kept apart.
* Quality clinic: ``theme``, ``criteria.<i>.met``, ``points.<i>.note``, ``gibbs.<i>``,
  ``record.<i>``.
* Practice intensive and learning review: ``q.<question id>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from toolkit.supervision import content
from toolkit.supervision.scaling import spread
from toolkit.supervision.store import GROUP_ROLES, Rating

_ROUND = re.compile(r"^r(\d+)\.question$")
ROLE_LABELS = {
    "facilitator": "Facilitator",
    "advisor": "Advisor",
    "case_holder": "Case holder",
    "observer": "Observer",
}
assert set(ROLE_LABELS) == set(GROUP_ROLES)


@dataclass
class RecordSection:
    """A heading and (label, text) items: one block of a session's record."""

    heading: str
    items: list[tuple[str, str]] = field(default_factory=list)


# --- EARS ------------------------------------------------------------------------------------
def ears_rounds(notes: dict[str, Any]) -> list[int]:
    """The organising questions asked so far, by number (1, 2, …)."""
    return sorted(int(m[1]) for k, v in notes.items() if (m := _ROUND.match(k)) and v)


def ears_question(ref: str | None) -> tuple[content.EarsScript, int, content.Cited] | None:
    """``working_well.0`` → the script, the question's number and the question."""
    if not ref or "." not in ref:
        return None
    script_id, _, number = ref.rpartition(".")
    try:
        script = content.ears().script(script_id)
        return script, int(number), script.elicit[int(number)]
    except (KeyError, ValueError, IndexError):
        return None


def ears_done(notes: dict[str, Any], round_no: int) -> set[str]:
    """The steps of a round that have something in them (for the step indicator's ticks)."""
    prefix = f"r{round_no}."
    done = set()
    if notes.get(f"{prefix}question"):
        done.add("elicit")
    for step in ("amplify", "reflect"):
        if any(
            k.startswith(f"{prefix}{step}.") and v and (k.endswith(".asked") or k.endswith(".note"))
            for k, v in notes.items()
        ):
            done.add(step)
    if notes.get(f"r{round_no + 1}.question"):
        done.add("start_over")
    return done


def _ears_record(notes: dict[str, Any]) -> list[RecordSection]:
    sections = []
    for n in ears_rounds(notes):
        found = ears_question(notes.get(f"r{n}.question"))
        if found is None:
            continue
        script, _, question = found
        section = RecordSection(f"Organising question {n} ({script.title})")
        section.items.append(("Elicit", question.text))
        if notes.get(f"r{n}.elicit.note"):
            section.items.append(("Notes", notes[f"r{n}.elicit.note"]))
        for step in ("amplify", "reflect"):
            for i, prompt in enumerate(script.prompts(step)):
                asked = notes.get(f"r{n}.{step}.{i}.asked")
                note = notes.get(f"r{n}.{step}.{i}.note")
                if asked or note:
                    label = f"{step.title()}{' (asked)' if asked else ''}: {prompt.text}"
                    section.items.append((label, note or ""))
        sections.append(section)
    return sections + _closing(notes, "Learning and next steps")


def _closing(notes: dict[str, Any], heading: str) -> list[RecordSection]:
    section = RecordSection(heading)
    if notes.get("learning"):
        section.items.append(("Learning", notes["learning"]))
    for action in notes.get("actions") or []:
        when = f" — by {action['when']}" if action.get("when") else ""
        section.items.append((f"Action: {action.get('who') or 'someone'}{when}", action["what"]))
    return [section] if section.items else []


# --- reflective tool -------------------------------------------------------------------------
def cell_note_key(stage: str, principle: str) -> str:
    return f"cell.{stage}.{principle}.note"


def _reflective_record(notes: dict[str, Any]) -> list[RecordSection]:
    tool = content.reflective_tool()
    sections = []
    for stage in tool.stages:
        section = RecordSection(stage.title)
        for principle in tool.principles:
            note = notes.get(cell_note_key(stage.id, principle.id))
            if note:
                cell = tool.cell(stage.id, principle.id)
                section.items.append((f"{principle.title}: {cell.question.text}", note))
        if section.items:
            sections.append(section)
    return sections


# --- group case mapping ----------------------------------------------------------------------
def _group_record(notes: dict[str, Any], ratings: list[Rating]) -> list[RecordSection]:
    group = content.group_supervision()
    people = RecordSection(
        "Participants",
        [(ROLE_LABELS[p["role"]], p["name"]) for p in notes.get("participants") or []],
    )
    sections = [people]
    if notes.get("genogram"):
        sections.append(RecordSection("Genogram", [("Notes", notes["genogram"])]))
    columns = RecordSection(
        "Three columns",
        [(c.text, notes.get(f"columns.{c.id}") or "") for c in group.step("three_columns").columns],
    )
    sections.append(columns)
    pairs = RecordSection("Danger statements and safety goals")
    for i, pair in enumerate(notes.get("pairs") or [], start=1):
        pairs.items += [
            (f"Danger statement {i}", pair["danger"]),
            (f"Safety goal {i}", pair["goal"]),
        ]
    sections.append(pairs)
    if notes.get("best_questions"):
        sections.append(RecordSection("Best questions", [("", notes["best_questions"])]))
    sections += _closing(notes, "Next steps")
    scale = RecordSection("Safety scale")
    if notes.get("scale.question"):
        scale.items.append(("Question", notes["scale.question"]))
    scale.items += [
        ("0 means", notes.get("scale.zero") or ""),
        ("10 means", notes.get("scale.ten") or ""),
    ]
    for rating in ratings:
        scale.items.append((f"{rating.participant}: {rating.value}", rating.reason))
    found = spread([r.value for r in ratings])
    if found:
        scale.items.append(("Spread", spread_text(found)))
    sections.append(scale)
    return sections


def spread_text(found: Any) -> str:
    return (
        f"{found.count} ratings: lowest {found.minimum}, highest {found.maximum}, "
        f"median {found.median:g}, range {found.range}"
    )


# --- quality clinic, practice intensive, learning review -------------------------------------
def _clinic_record(notes: dict[str, Any]) -> list[RecordSection]:
    clinics = content.quality_clinics()
    theme_id = notes.get("theme")
    sections = []
    record = RecordSection(
        "Discussion and decision record",
        [
            (item.text, notes.get(f"record.{i}") or "")
            for i, item in enumerate(clinics.record_items)
        ],
    )
    if theme_id:
        theme = clinics.theme(theme_id)
        met = [c.text for i, c in enumerate(theme.criteria) if notes.get(f"criteria.{i}.met")]
        about = RecordSection(
            f"Theme: {theme.title}", [("Criteria met", "; ".join(met) or "none ticked")]
        )
        about.items += [
            (p.text, notes[f"points.{i}.note"])
            for i, p in enumerate(theme.points)
            if notes.get(f"points.{i}.note")
        ]
        sections.append(about)
    gibbs = RecordSection(
        "Reflection (Gibbs)",
        [
            (s.text, notes[f"gibbs.{i}"])
            for i, s in enumerate(clinics.gibbs_stages)
            if notes.get(f"gibbs.{i}")
        ],
    )
    return [*sections, gibbs, record]


def _questions_record(
    definition: content.QuestionSet, notes: dict[str, Any]
) -> list[RecordSection]:
    return [
        RecordSection(
            definition.title, [(q.text, notes.get(f"q.{q.id}") or "") for q in definition.questions]
        )
    ]


def record_sections(kind: str, notes: dict[str, Any], ratings: list[Rating]) -> list[RecordSection]:
    """Everything a session holds, in the order it was worked through."""
    if kind == "ears":
        return _ears_record(notes)
    if kind == "reflective_tool":
        return _reflective_record(notes)
    if kind == "group_mapping":
        return _group_record(notes, ratings)
    if kind == "quality_clinic":
        return _clinic_record(notes)
    if kind == "practice_intensive":
        return _questions_record(content.practice_intensive(), notes) + _closing(
            notes, "Next steps"
        )
    if kind == "learning_review":
        return _questions_record(content.learning_review(), notes) + _closing(notes, "Next steps")
    raise ValueError(f"no record for sessions of kind {kind!r}")
