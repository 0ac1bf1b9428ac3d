"""Fictional audits in bulk, so the quality assurance report means something (and can be timed).

Everything is invented and reproducible from a seed: people, teams, children, case notes. The
numbers hang together the way a reader would expect: a practitioner has a steady level of
practice that improves a little over two years, each area of practice is harder or easier than
the others, the overall rating follows the areas, practitioners scale themselves a little more
kindly than auditors do, families and children answer in line with the practice they had, a few
auditors grade more generously than moderators, and Inadequate audits are escalated.

Rows are written in bulk (:mod:`toolkit.store.bulk_rows`: one ``executemany`` per table and
batch), not through :class:`Store.save_answer`: 100,000 audits take about a minute rather than
hours.
Generated audits are ordinary audits (``demo=False``) unless ``demo=True`` is asked for, so they
belong in a store of their own (``--data-dir``), never in a live one.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from toolkit.core.scoring import grade_for
from toolkit.forms.loader import load_grade_bands, registry
from toolkit.store import Store
from toolkit.store.bulk_rows import add_batch, add_people, next_audit_id

FORM_ID = "collaborative_case_audit"
START = dt.datetime(2024, 10, 1, tzinfo=dt.timezone.utc)
END = dt.datetime(2026, 10, 1, tzinfo=dt.timezone.utc)  # two years: 2024Q4 to 2026Q3
BATCH = 5000  # audits per transaction

SERVICES: dict[str, tuple[str, ...]] = {
    "Assessment and Intervention": ("Assessment Team 1", "Assessment Team 2", "Assessment Team 3"),
    "Child Protection and Child in Need": (
        "Child in Need Team 1",
        "Child in Need Team 2",
        "Child Protection Team",
    ),
    "Children Looked After and Care Leavers": (
        "Children Looked After Team",
        "Care Leavers Team",
    ),
    "Staying Together": ("Staying Together Team",),
}
FIRST = (
    "Amara Ben Carys Dev Elif Femi Gwen Hana Idris Jun Kofi Lena Mateo Nia Owen Pia Quinn Rosa "
    "Sami Tara Uma Vik Wren Yusuf Zara Ade Bryn Cleo Dara Esme"
).split()
LAST = (
    "Achebe Brightwell Castellan Dunmore Eskew Fairlie Gorrell Hallam Inchbald Jessop Kettering "
    "Lorimer Mapplebeck Norbury Oakhanger Pellow Quarrie Rennard Stainthorpe Tollemache Upward "
    "Vexley Wardlaw Yeardley"
).split()
CHILD_NAMES = (
    "Alfie Bella Callum Daisy Ellis Freya George Holly Isaac Jade Kai Lily Mason Nina Oscar "
    "Poppy Reuben Sienna Theo Violet Will Zoe"
).split()
FAMILY_ROLES = ("Mother", "Father", "Grandmother", "Stepfather", "Aunt", "Foster carer")
NETWORK_ROLES = ("Family friend", "Neighbour", "Uncle", "Godmother", "Youth worker")

STRENGTHS = (
    "safety plan written in words the child understands",
    "direct work with the child recorded on file",
    "network meeting held with family and friends",
    "danger statement and safety goal are clear",
    "mum's views quoted in the assessment",
    "regular visits and the child seen alone",
    "good working relationship with the family",
    "chronology up to date",
    "case summary gives a clear picture",
    "words and pictures explanation shared with the child",
    "family network identified including father's side",
    "plan is specific about who does what by when",
    "scaling questions used with the network",
    "three houses completed with the child",
)
DEVELOP = (
    "safety plan needs to be updated after the review",
    "network meeting to be arranged with father's family",
    "chronology not updated since the conference",
    "case notes describe tasks rather than the child's day",
    "danger statement uses jargon",
    "child's voice not recorded in the plan",
    "words and pictures explanation still to be completed",
    "family do not have a copy of the plan",
    "scaling questions not recorded on file",
    "case summary needs updating",
    "management oversight not evident on file",
    "extended family not yet asked to help",
)
Q8_BY_LEVEL = (
    ("I don't feel safe", "Not safer, things are worse at home", "Not really, nothing changed"),
    ("About the same", "No different really", "The same as before"),
    ("A bit better", "Safer, I know who to call", "Better supported, 7 out of 10"),
    ("A lot safer now", "Much better, mum and me talk now", "Safer and happier, 9/10"),
)
Q8_UNCLEAR = ("Don't know", "Didn't want to answer")
FAMILY_GOING_WELL = (
    "The worker listens to us",
    "We have a plan we understand",
    "Visits are regular",
    "The children like the worker",
)


@dataclass
class People:
    practitioners: list[tuple[int, str, str, str]] = field(default_factory=list)  # id,name,team,svc
    auditors: list[int] = field(default_factory=list)
    moderators: list[int] = field(default_factory=list)
    managers: dict[str, int] = field(default_factory=dict)  # team → manager id
    names: dict[int, str] = field(default_factory=dict)


def _name(rng: np.random.Generator) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _add_people(store: Store, rng: np.random.Generator, audits: int) -> People:
    """A register large enough for the audits: each practitioner is audited a few times a year."""
    teams = [(team, service) for service, names in SERVICES.items() for team in names]
    n_practitioners = max(24, audits // 6)
    n_auditors = max(8, min(400, audits // 50))
    rows: list[dict[str, Any]] = []
    for team, service in teams:
        rows.append(_person_row(rng, "manager,auditor", team, service))
    for i in range(n_practitioners):
        team, service = teams[i % len(teams)]
        rows.append(_person_row(rng, "practitioner", team, service))
    for i in range(n_auditors):
        team, service = teams[i % len(teams)]
        rows.append(_person_row(rng, "auditor", team, service))
    for _ in range(6):
        rows.append(
            _person_row(rng, "moderator,auditor", "Quality Assurance Team", "Quality Assurance")
        )
    rows.append(
        _person_row(rng, "quality_assurance", "Quality Assurance Team", "Quality Assurance")
    )
    with store.unit_of_work() as work:
        first = add_people(work, rows)
    people = People()
    for offset, row in enumerate(rows):
        pid = first + offset
        people.names[pid] = row["name"]
        roles = row["roles"].split(",")
        if "manager" in roles:
            people.managers[row["team"]] = pid
        if roles == ["practitioner"]:
            people.practitioners.append((pid, row["name"], row["team"], row["service"]))
        if "auditor" in roles and "moderator" not in roles:
            people.auditors.append(pid)
        if "moderator" in roles:
            people.moderators.append(pid)
    return people


def _person_row(rng: np.random.Generator, roles: str, team: str, service: str) -> dict[str, Any]:
    return {"name": _name(rng), "roles": roles, "team": team, "service": service}


def _clip(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values), 0, 10).astype(int)


def _band_lookup() -> list[str]:
    bands = load_grade_bands()
    return [grade_for(v, bands) for v in range(11)]


def generate(
    store: Store,
    audits: int,
    seed: int = 1,
    demo: bool = False,
    people: People | None = None,
    until: dt.datetime = END,
) -> dict[str, int]:
    """Add ``audits`` fictional audits (with actions, follow-ups, moderations and escalations)
    to ``store``, allocated over the two years before ``until`` (which is the generated
    world's today); returns how many rows of each kind were written.

    ``people``: who the audits are of and by (practitioners, auditors, managers of every
    practitioner's team, moderators), already in the register; by default a register large
    enough for the audits is added.
    """
    if audits < 1:
        raise ValueError("Generate at least one audit.")
    rng = np.random.default_rng(seed)
    form = registry().latest(FORM_ID)
    area_keys = form.scale_keys("area_scale")
    statement_keys = form.scale_keys("family_statement")
    grades = _band_lookup()
    people = people or _add_people(store, rng, audits)
    since = until - (END - START)

    n_p = len(people.practitioners)
    skill = rng.normal(0, 1.1, n_p)  # each practitioner's steady level of practice
    generosity = {a: rng.normal(0, 0.6) for a in people.auditors + list(people.managers.values())}
    for a in rng.choice(people.auditors, size=max(1, len(people.auditors) // 10), replace=False):
        generosity[int(a)] += 1.5  # a few auditors grade more kindly than moderators would
    area_effect = rng.normal(0, 0.8, len(area_keys))
    span = (until - since).total_seconds()
    children = max(1, int(audits * 0.8))  # about one audit in five is of a child seen before

    counts = dict.fromkeys(
        ("audits", "answers", "actions", "follow_ups", "moderations", "escalations"), 0
    )
    first_id = next_audit_id(store.engine)
    auditor_pool = np.array(people.auditors + list(people.managers.values()))
    for start in range(0, audits, BATCH):
        n = min(BATCH, audits - start)
        ids = np.arange(first_id + start, first_id + start + n)
        created = np.sort(rng.uniform(0, span, n))
        p_idx = rng.integers(0, n_p, n)
        auditor = rng.choice(auditor_pool, n)
        child = rng.integers(0, children, n)
        progress = created / span  # practice improves a little over the two years
        level = 4.6 + skill[p_idx] + 1.2 * progress + rng.normal(0, 0.7, n)
        areas = _clip(
            level[:, None] + area_effect[None, :] + rng.normal(0, 1.3, (n, len(area_keys)))
        )
        overall = _clip(np.median(areas, axis=1) + rng.normal(0, 0.6, n))
        days_to_complete = rng.gamma(3.0, 7.0, n)
        completed = created + days_to_complete * 86400
        stalled = rng.random(n) < 0.03
        is_complete = (completed < span) & ~stalled
        batch = _Batch(
            ids=ids,
            created=[since + dt.timedelta(seconds=float(s)) for s in created],
            completed=[since + dt.timedelta(seconds=float(s)) for s in completed],
            is_complete=is_complete,
            p_idx=p_idx,
            auditor=auditor,
            child=child,
            areas=areas,
            overall=overall,
            level=level,
        )
        rows = _rows(
            batch,
            rng,
            people,
            form.id,
            form.version,
            area_keys,
            statement_keys,
            grades,
            generosity,
            demo,
            until,
        )
        with store.unit_of_work() as work:
            for name, written in add_batch(work, rows).items():
                counts[name] += written
    return counts


@dataclass
class _Batch:
    ids: np.ndarray
    created: list[dt.datetime]
    completed: list[dt.datetime]
    is_complete: np.ndarray
    p_idx: np.ndarray
    auditor: np.ndarray
    child: np.ndarray
    areas: np.ndarray
    overall: np.ndarray
    level: np.ndarray


def _working_days_after(day: dt.date, working_days: int) -> dt.date:
    while working_days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            working_days -= 1
    return day


def _rows(
    b: _Batch,
    rng: np.random.Generator,
    people: People,
    form_id: str,
    form_version: int,
    area_keys: list[str],
    statement_keys: list[str],
    grades: list[str],
    generosity: dict[int, float],
    demo: bool,
    until: dt.datetime,
) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("audits", "answers", "actions", "follow_ups", "escalations", "moderations")
    }
    n = len(b.ids)
    # random draws for the whole batch at once (reproducible and fast)
    u = rng.random((n, 8))
    self_bias = rng.normal(0.8, 1.0, (n, 2))
    family_noise = rng.normal(0, 1.2, (n, len(statement_keys)))
    text_areas = rng.integers(0, len(area_keys), (n, 3))
    phrase = rng.integers(0, 1_000_000, (n, 12))
    for i in range(n):
        audit_id = int(b.ids[i])
        pid, pname, team, service = people.practitioners[int(b.p_idx[i])]
        auditor = int(b.auditor[i])
        manager = people.managers[team]
        created = b.created[i]
        complete = bool(b.is_complete[i])
        state = (
            "complete"
            if complete
            else ("allocated", "practitioner_preparation", "collaborative_audit")[int(u[i, 0] * 3)]
        )
        child_id = f"LL{100000 + int(b.child[i])}"
        child_name = CHILD_NAMES[int(b.child[i]) % len(CHILD_NAMES)]
        done = b.completed[i] if complete else None
        stamp = done or created
        out["audits"].append(
            {
                "id": audit_id,
                "form_id": form_id,
                "form_version": form_version,
                "child_id": child_id,
                "auditor_id": auditor,
                "practitioner_id": pid,
                "manager_id": manager,
                "state": state,
                "team": team,
                "service": service,
                "demo": demo,
                "created_at": created,
                "updated_at": stamp,
                "completed_at": done,
            }
        )
        answers: dict[str, Any] = {
            "people.auditor_name": people.names[auditor],
            "people.practitioner_name": pname,
            "people.manager_name": people.names[manager],
            "personal_details.liquidlogic_id": child_id,
            "audit_dates.audit_commenced": created.date().isoformat(),
        }
        if state != "allocated":
            for key, value in zip(
                ("self_assessment_difference.scale", "self_assessment_use_of_sos.scale"),
                _clip(b.overall[i] + self_bias[i]),
                strict=True,
            ):
                answers[key] = int(value)
            answers["self_assessment_difference.what_worked_well"] = STRENGTHS[
                phrase[i, 0] % len(STRENGTHS)
            ]
        if complete:
            answers["audit_dates.audit_completed"] = done.date().isoformat()
            answers.update({k: int(v) for k, v in zip(area_keys, b.areas[i], strict=True)})
            answers["overall.overall_rating"] = int(b.overall[i])
            answers["overall.signs_of_impact"] = "Evidence seen on file and in the meeting."
            for j, area in enumerate(set(int(a) for a in text_areas[i])):
                group = area_keys[area].split(".")[0]
                answers[f"{group}.strengths"] = _text(
                    STRENGTHS, phrase[i, 1 + j], child_name, u[i, 7]
                )
                answers[f"{group}.areas_to_develop"] = _text(
                    DEVELOP, phrase[i, 4 + j], pname, u[i, 6]
                )
            _feedback(answers, b, i, u, family_noise, statement_keys, phrase, child_name, done)
            _after_meeting(
                out,
                audit_id,
                auditor,
                manager,
                done,
                grades[int(b.overall[i])],
                u[i],
                phrase[i],
                generosity,
                people,
                b.overall[i],
                grades,
                until,
            )
        out["answers"].extend(
            {
                "audit_id": audit_id,
                "field_key": key,
                "value": str(value) if isinstance(value, int) else json.dumps(value),
                "revision": 1,
                "updated_by": auditor,
                "updated_at": stamp,
            }
            for key, value in answers.items()
        )
    return out


def _text(bank: tuple[str, ...], pick: int, name: str, u: float) -> str:
    """One or two phrases from the bank; now and then a name, as real notes have (the report
    must keep those out of its quotes)."""
    first = bank[pick % len(bank)]
    second = bank[(pick // len(bank)) % len(bank)]
    text = first[0].upper() + first[1:] + "."
    if second != first and u < 0.5:
        text += " " + second[0].upper() + second[1:] + "."
    if u < 0.08:
        text += f" Discussed with {name}."
    return text


def _feedback(
    answers: dict[str, Any],
    b: _Batch,
    i: int,
    u: np.ndarray,
    noise: np.ndarray,
    statement_keys: list[str],
    phrase: np.ndarray,
    child_name: str,
    done: dt.datetime,
) -> None:
    """Family, child and network feedback, obtained for some audits, in line with the practice."""
    contact = (done - dt.timedelta(days=3)).date().isoformat()
    level = b.level[i]
    if u[i, 1] < 0.55:
        answers["family_feedback.date_of_contact"] = contact
        answers["family_feedback.family_member_role"] = FAMILY_ROLES[
            phrase[i, 7] % len(FAMILY_ROLES)
        ]
        for key, value in zip(statement_keys, _clip(level + 1.0 + noise[i]), strict=True):
            answers[key] = int(value)
        answers["family_feedback.going_well"] = FAMILY_GOING_WELL[
            phrase[i, 8] % len(FAMILY_GOING_WELL)
        ]
    if u[i, 2] < 0.4:
        answers["child_feedback.date_of_contact"] = contact
        answers["child_feedback.child_name"] = child_name
        if u[i, 3] < 0.1:
            q8 = Q8_UNCLEAR[phrase[i, 9] % len(Q8_UNCLEAR)]
        else:
            tier = int(np.clip((level + noise[i, 0] - 1.5) / 2.2, 0, 3))
            q8 = Q8_BY_LEVEL[tier][phrase[i, 9] % 3]
        answers["child_feedback.q8_better_supported_or_safer"] = q8
    if u[i, 4] < 0.3:
        answers["network_feedback.date_of_contact"] = contact
        answers["network_feedback.name_and_role"] = NETWORK_ROLES[
            phrase[i, 10] % len(NETWORK_ROLES)
        ]
        answers["network_feedback.going_well"] = FAMILY_GOING_WELL[
            phrase[i, 11] % len(FAMILY_GOING_WELL)
        ]


def _after_meeting(
    out: dict[str, list[dict[str, Any]]],
    audit_id: int,
    auditor: int,
    manager: int,
    done: dt.datetime,
    grade: str,
    u: np.ndarray,
    phrase: np.ndarray,
    generosity: dict[int, float],
    people: People,
    overall: int,
    grades: list[str],
    until: dt.datetime,
) -> None:
    """Actions, the follow-up, an escalation for Inadequate and (for some) a moderation."""
    today = until.date()  # the generated world's today: nothing due after it is done yet
    for k in range(1 + int(u[5] * 3)):
        due = (done + dt.timedelta(days=14 + 14 * k)).date()
        status = "open" if (due >= today or u[6] < 0.1) else "done"
        out["actions"].append(
            {
                "audit_id": audit_id,
                "what": DEVELOP[(phrase[k] + k) % len(DEVELOP)].capitalize(),
                "who": "Practitioner and manager",
                "due": due,
                "status": status,
                "created_by": auditor,
                "created_at": done,
                "updated_at": done,
            }
        )
    follow_due = _working_days_after(done.date(), 5)
    followed = follow_due < today and u[7] > 0.12
    out["follow_ups"].append(
        {
            "audit_id": audit_id,
            "due_date": follow_due,
            "done_at": dt.datetime.combine(follow_due, dt.time(12), dt.timezone.utc)
            if followed
            else None,
            "done_by": manager if followed else None,
            "note": "Actions discussed in supervision." if followed else None,
        }
    )
    if grade == "Inadequate":
        open_ = (until - done).days < 3 or u[6] < 0.05
        out["escalations"].append(
            {
                "audit_id": audit_id,
                "reason": "inadequate_audit",
                "created_at": done,
                "created_by": auditor,
                "tasks_due_at": done + dt.timedelta(hours=24),
                "state": "open" if open_ else "closed",
                "closed_at": None if open_ else done + dt.timedelta(days=2),
            }
        )
    if grade == "Inadequate" or u[3] < 0.12:
        moderator = people.moderators[int(phrase[6]) % len(people.moderators)]
        # the moderator's view: the practice as it was, without this auditor's generosity
        seen = int(
            np.clip(round(overall - generosity.get(auditor, 0.0) + (u[4] - 0.5) * 2.0), 0, 10)
        )
        mod_grade = grades[seen]
        out["moderations"].append(
            {
                "audit_id": audit_id,
                "moderator_id": moderator,
                "selected_at": done + dt.timedelta(days=7),
                "selection": "inadequate" if grade == "Inadequate" else "random",
                "state": "complete",
                "agrees": mod_grade == grade,
                "moderator_grade": mod_grade,
                "agreed_grade": grade
                if mod_grade == grade
                else (mod_grade if u[2] < 0.7 else grade),
                "actions_completed": ("yes", "partly", "no")[int(u[1] * 3)],
                "completed_at": done + dt.timedelta(days=14),
                "_rating": seen,
            }
        )
