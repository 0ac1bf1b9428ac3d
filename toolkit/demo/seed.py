"""A small, wholly fictional people register and six audits, one for each stage of the work.

Everything here is invented: names, teams, children and case notes. It lets a trainer show the
audit app, and a new install open something other than an empty screen. Every answer is saved
through :meth:`Store.save_answer` as the person whose part it is (the practitioner for section 2,
the auditor for the rest), so the demo obeys the same permissions as real use.

Seeding is idempotent: when the people register already has anyone in it, nothing is added.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from toolkit.core.permissions import Person

if TYPE_CHECKING:
    from toolkit.store import Store

FORM_ID = "collaborative_case_audit"
EMAIL_DOMAIN = "example.org"  # reserved for examples: no real mailbox

#: key → (name, roles, team, service). All invented.
PEOPLE: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "priya": (
        "Priya Okafor-Lund",
        ("auditor", "manager"),
        "Assessment Team 1",
        "Assessment and Intervention",
    ),
    "dominic": (
        "Dominic Vashti",
        ("auditor", "manager"),
        "Child in Need Team 2",
        "Child Protection and Child in Need",
    ),
    "harriet": (
        "Harriet Quenby",
        ("auditor", "manager", "moderator"),
        "Children Looked After Team",
        "Children Looked After and Care Leavers",
    ),
    "sam": (
        "Sam Achterberg",
        ("practitioner",),
        "Assessment Team 1",
        "Assessment and Intervention",
    ),
    "grace": (
        "Grace Mbeki-Thorne",
        ("practitioner",),
        "Child in Need Team 2",
        "Child Protection and Child in Need",
    ),
    "tomasz": (
        "Tomasz Ferreira-Wild",
        ("practitioner",),
        "Children Looked After Team",
        "Children Looked After and Care Leavers",
    ),
    "leah": ("Leah Coulthwaite", ("practitioner",), "Staying Together Team", "Staying Together"),
    "nadia": (  # quality assurance runs the training too, so calibration can be tried
        "Nadia Ishaq-Brennan",
        ("quality_assurance", "trainer"),
        "Quality Assurance Team",
        "Quality Assurance and Practice Improvement",
    ),
    "colin": (
        "Colin Pettifer",
        ("business_support",),
        "Business Support",
        "Business Support",
    ),
    # the senior managers an Inadequate audit goes to (service manager and head of service of
    # the practitioner's service; the deputy director)
    "ruth": (
        "Ruth Alderney-Cole",
        ("service_manager",),
        "Service Management",
        "Child Protection and Child in Need",
    ),
    "malcolm": (
        "Malcolm Oyelaran",
        ("head_of_service",),
        "Service Management",
        "Child Protection and Child in Need",
    ),
    "imogen": (
        "Imogen Strand-Fairweather",
        ("deputy_director",),
        "Directorate",
        "Children's Services",
    ),
}

# --- case notes (fictional) ---------------------------------------------------------------------

PREPARATION_FULL = {
    "self_assessment_difference.scale": 6,
    "self_assessment_difference.what_worked_well": (
        "Visiting every two weeks and seeing M on her own at school. She now tells me when "
        "things are hard at home, and her attendance is up from 71% to 88%."
    ),
    "self_assessment_difference.what_needs_to_happen": (
        "Dad to come to a network meeting, and the safety plan written in words M chose."
    ),
    "self_assessment_use_of_sos.scale": 5,
    "self_assessment_use_of_sos.what_worked_well": (
        "Three houses with M and her brother; mapping with mum before the review conference."
    ),
    "self_assessment_use_of_sos.what_needs_to_happen": (
        "Scaling questions with the network at each meeting, recorded on the file."
    ),
}

HEALTH_CHECK_GOOD = {
    1: (
        8,
        "Demographics and professionals up to date; GP and school recorded.",
        "Add the school nurse.",
    ),
    2: (7, "Case summary gives a clear picture of K's week.", "Update after the last review."),
    3: (
        7,
        "Chronology shows key events since 2023.",
        "Two missing-from-care episodes not entered.",
    ),
    4: (8, "Case notes are clear and written to K.", "Some visit notes entered late."),
    5: (9, "Carers and mum have the plan; copy seen on file 14/10.", "None."),
}

HEALTH_CHECK_POOR = {
    1: (3, "Address and school recorded.", "Dad's details and health visitor missing."),
    2: (2, "A summary exists.", "Summary dates from the strategy meeting; not updated."),
    3: (2, "Referral and conference dates present.", "No chronology since March."),
    4: (3, "Visit notes are recorded.", "Notes describe tasks, not the children's day."),
    5: (1, "", "No evidence the family has a copy of the plan."),
}

#: area → (collaborative scale, signs of impact with where on the file, auditor's rationale)
AREAS_GOOD: dict[int, tuple[int, str, str]] = {
    6: (
        8,
        "Purpose set out in the CLA review of 02/09 (Documents tab).",
        "K could tell us why Tomasz visits and what the plan is for.",
    ),
    7: (
        7,
        "Danger statement and safety goal in plain words, care plan 21/08.",
        "Clear and shared with carers; mum's version still to be agreed.",
    ),
    8: (
        7,
        "Mum's and carers' words quoted in the review minutes.",
        "Everyone we spoke to described the same worries.",
    ),
    9: (
        7,
        "Plan says who does what by when; updated after the September review.",
        "Specific and current; family time arrangements well detailed.",
    ),
    10: (
        6,
        "Mum signed the plan and added her own goals (case note 03/10).",
        "Mum is involved; her copy was sent but not yet talked through.",
    ),
    11: (
        6,
        "Network map with grandmother and aunt, 11/09.",
        "Network named and two people active; uncle not yet asked.",
    ),
    12: (
        8,
        "Words and pictures plan made with K, photographed on file.",
        "K has her own copy and can explain it.",
    ),
    13: (
        8,
        "Direct work record: three houses and wishes for Christmas, 30/09.",
        "Thoughtful direct work; K's voice runs through the file.",
    ),
    14: (
        8,
        "Placement stability meeting 12/09; carers' log.",
        "Settled placement for 18 months; K says she feels safe.",
    ),
    15: (
        7,
        "No missing episodes since July; school reports positive.",
        "Safety held over four months, as the plan set out.",
    ),
    16: (
        7,
        "Next steps in supervision note 18/10.",
        "Right next steps, and the reasons are written down.",
    ),
    17: (
        6,
        "Analysis section of the CLA review.",
        "Good analysis; the impact of family time could be weighed more.",
    ),
    18: (
        7,
        "Network meeting minutes 25/09: roles listed.",
        "School, IRO and CAMHS know what is expected of them.",
    ),
}

AREAS_REQUIRES_IMPROVEMENT: dict[int, tuple[int, str, str]] = {
    6: (
        6,
        "Purpose in the Staying Together plan, 05/09.",
        "Purpose is clear to J and mum; dad less sure.",
    ),
    7: (
        5,
        "Danger statement on file; safety goal missing.",
        "Worries stated, but no safety goal to work towards.",
    ),
    8: (
        5,
        "Mum's words recorded; J's view not yet.",
        "J does not yet share the worries as described.",
    ),
    9: (
        4,
        "Plan lists actions without dates.",
        "Who and what are there; 'when' is missing throughout.",
    ),
    10: (5, "Mum attended the planning meeting, 19/09.", "Involved, but no copy of the plan sent."),
    11: (4, "Only professionals on the network list.", "Family network not yet explored."),
    12: (3, "No child's version on file.", "J has no version of the plan he can use."),
    13: (
        6,
        "Two direct work sessions recorded by Leah.",
        "Good rapport; sessions not linked to the plan.",
    ),
    14: (
        5,
        "J stayed with his aunt twice after arguments.",
        "Home is safe most of the time; stability fragile.",
    ),
    15: (4, "Two police call-outs since August.", "Not yet safety over time."),
    16: (5, "Next steps in case note 10/10.", "Right steps, but not agreed with the family."),
    17: (5, "Assessment analysis section.", "Some analysis; relies on mum's account."),
    18: (5, "School and YOS named in the plan.", "Roles named, not yet agreed at a meeting."),
}

AREAS_INADEQUATE: dict[int, tuple[int, str, str]] = {
    6: (2, "No statement of purpose found.", "Mum could not say why the social worker visits."),
    7: (
        1,
        "No danger statement or safety goal on file.",
        "CP plan lists services only; no safety plan for 4 months.",
    ),
    8: (2, "Conference minutes, 14/05.", "Worries are not understood by mum or the school."),
    9: (
        2,
        "Plan unchanged since the initial conference.",
        "Plan is not specific to the worries and is out of date.",
    ),
    10: (
        2,
        "No signed plan; no record of sharing it.",
        "Mum has not been part of reviewing the plan.",
    ),
    11: (1, "No network identified.", "No naturally connected people involved."),
    12: (1, "No child's version.", "The children have no plan they can understand."),
    13: (
        2,
        "Visits recorded as 'children seen'.",
        "Children's views and experiences not recorded.",
    ),
    14: (
        3,
        "Home conditions noted as poor on two visits.",
        "Home conditions remain a worry, not followed up.",
    ),
    15: (2, "Two missed health appointments since June.", "No evidence of safety over time."),
    16: (
        2,
        "No next steps since the core group of 02/07.",
        "Next steps unclear; escalation not considered.",
    ),
    17: (
        2,
        "Assessment repeats the referral.",
        "Little analysis of what the worries mean for the children.",
    ),
    18: (3, "Core group attendance patchy.", "Professionals are unsure of their roles."),
}


def _answers_for_areas(
    areas: dict[int, tuple[int, str, str]], numbers: list[int] | None = None
) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for number in numbers or sorted(areas):
        scale, evidence, rationale = areas[number]
        answers[f"area_{number}.signs_of_impact"] = evidence
        answers[f"area_{number}.collaborative_scale"] = scale
        answers[f"area_{number}.auditor_rationale"] = rationale
    return answers


def _health_check(rows: dict[int, tuple[int, str, str]]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for number, (rating, strengths, develop) in rows.items():
        answers[f"area_{number}.auditor_rating"] = rating
        if strengths:
            answers[f"area_{number}.strengths"] = strengths
        answers[f"area_{number}.areas_to_develop"] = develop
    return answers


def _working_days_after(day: dt.date, count: int) -> dt.date:
    while count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def add_demo_person(
    store: Any, name: str, roles: tuple[str, ...], team: str, service: str, username: str
) -> Person:
    """A fictional person in the register, with an address no mail reaches."""
    return store.add_person(
        name,
        roles,
        username=username,
        email=f"{username}@{EMAIL_DOMAIN}",
        team=team,
        service=service,
    )


def seed_demo(store: Any, *, mark_demo: bool = True) -> dict[str, Any]:
    """Fill an empty store with the fictional register and audits.

    Parameters
    ----------
    store : toolkit.store.Store
        Where to write.
    mark_demo : bool
        Flag the audits as demo audits (``audits.demo``), so reports can leave them out.

    Returns
    -------
    dict
        ``created`` (False when the register already had people and nothing was done),
        ``people`` (key → person id) and ``audits`` (key → audit id), keys as in this module.
    """
    if store.people():
        return {"created": False, "people": {}, "audits": {}}

    from toolkit.audit.completion import (  # demo mail is never sent: smtp=None
        add_proposed_action,
        complete_audit,
    )
    from toolkit.forms.loader import registry

    form = registry().latest(FORM_ID)
    people: dict[str, Person] = {}
    for key, (name, roles, team, service) in PEOPLE.items():
        people[key] = add_demo_person(store, name, roles, team, service, name.split()[0].lower())
    p = people
    today = dt.date.today()
    audits: dict[str, int] = {}

    def new_audit(
        key: str, child_id: str, auditor: str, practitioner: str, manager: str, **extra: Any
    ) -> int:
        record = store.create_audit(
            form,
            child_id=child_id,
            auditor=p[auditor],
            practitioner=p[practitioner],
            manager=p[manager],
            staying_together=p[extra["staying_together"]]
            if extra.get("staying_together")
            else None,
            created_by=p["colin"],
            demo=mark_demo,
        )
        audits[key] = record.id
        return record.id

    def answer(audit_id: int, person: str, values: dict[str, Any]) -> None:
        for field_key, value in values.items():
            store.save_answer(audit_id, field_key, value, p[person])

    # 1. Allocated by business support; nothing answered yet.
    new_audit("allocated", "LL-100234", auditor="dominic", practitioner="sam", manager="priya")

    # 2. Practitioner preparation: the first self-assessment answered, the second only scaled.
    audit_id = new_audit(
        "preparation", "LL-100871", auditor="harriet", practitioner="grace", manager="dominic"
    )
    answer(
        audit_id,
        "grace",
        {
            key: PREPARATION_FULL[key]
            for key in (
                "self_assessment_difference.scale",
                "self_assessment_difference.what_worked_well",
                "self_assessment_difference.what_needs_to_happen",
                "self_assessment_use_of_sos.scale",
            )
        },
    )

    # 3. Collaborative audit under way: preparation done, health check and four areas scaled.
    audit_id = new_audit(
        "in_progress", "LL-101462", auditor="priya", practitioner="tomasz", manager="harriet"
    )
    answer(audit_id, "tomasz", PREPARATION_FULL)
    answer(
        audit_id,
        "priya",
        {"audit_dates.audit_commenced": (today - dt.timedelta(days=2)).isoformat()},
    )
    answer(audit_id, "priya", _health_check({n: HEALTH_CHECK_GOOD[n] for n in (1, 2, 3)}))
    answer(audit_id, "priya", _answers_for_areas(AREAS_GOOD, [6, 7, 8, 9]))

    # 4. Graded, Requires improvement; actions not yet recorded.
    audit_id = new_audit(
        "graded",
        "LL-102057",
        auditor="harriet",
        practitioner="sam",
        manager="priya",
        staying_together="leah",
    )
    answer(audit_id, "sam", PREPARATION_FULL)
    answer(
        audit_id,
        "harriet",
        {"audit_dates.audit_commenced": (today - dt.timedelta(days=6)).isoformat()},
    )
    answer(audit_id, "harriet", _health_check(HEALTH_CHECK_GOOD))
    answer(audit_id, "harriet", _answers_for_areas(AREAS_REQUIRES_IMPROVEMENT))
    answer(
        audit_id,
        "harriet",
        {
            "overall.overall_rating": 4,
            "overall.signs_of_impact": (
                "Staying Together work has built trust with J and mum, but the plan has no safety "
                "goal or dates and J has no version of it. Requires improvement."
            ),
        },
    )

    # 5. Complete and Good: every area, the grade, its rationale and two actions.
    audit_id = new_audit(
        "complete_good", "LL-102690", auditor="dominic", practitioner="tomasz", manager="harriet"
    )
    answer(audit_id, "tomasz", PREPARATION_FULL)
    answer(
        audit_id,
        "dominic",
        {
            "audit_dates.audit_commenced": (today - dt.timedelta(days=12)).isoformat(),
            "audit_dates.audit_completed": (today - dt.timedelta(days=10)).isoformat(),
            "audit_dates.practice_observation": "Not required",
        },
    )
    answer(audit_id, "dominic", _health_check(HEALTH_CHECK_GOOD))
    answer(audit_id, "dominic", _answers_for_areas(AREAS_GOOD))
    answer(
        audit_id,
        "dominic",
        {
            "area_19.auditor_rating": 7,
            "area_19.strengths": "Monthly supervision recorded, with reflective questions.",
            "area_19.areas_to_develop": "Record the manager's view at each CLA review.",
            "overall.overall_rating": 6,
            "overall.signs_of_impact": (
                "K's voice is clear throughout and the plan is understood by everyone. Placement "
                "stable for 18 months. Good."
            ),
        },
    )
    store.add_action(
        audit_id,
        p["dominic"],
        what="Agree mum's version of the safety goal at the next family time review.",
        who="Tomasz Ferreira-Wild",
        due=_working_days_after(today, 10),
    )
    store.add_action(
        audit_id,
        p["dominic"],
        what="Ask K's uncle to join the network meeting.",
        who="Tomasz Ferreira-Wild with K",
        due=_working_days_after(today, 20),
    )
    complete_audit(store, audit_id, p["dominic"], smtp=None, skipped=_demo_skips(store, audit_id))

    # 6. Complete and Inadequate: immediate actions, due within 24 hours and 5 working days.
    audit_id = new_audit(
        "complete_inadequate", "LL-103318", auditor="priya", practitioner="grace", manager="dominic"
    )
    answer(
        audit_id,
        "grace",
        {
            "self_assessment_difference.scale": 3,
            "self_assessment_difference.what_worked_well": "Children seen at every visit.",
            "self_assessment_difference.what_needs_to_happen": (
                "A safety plan with mum and the network."
            ),
            "self_assessment_use_of_sos.scale": 2,
        },
    )
    answer(
        audit_id,
        "priya",
        {
            "audit_dates.audit_commenced": (today - dt.timedelta(days=3)).isoformat(),
            "audit_dates.audit_completed": (today - dt.timedelta(days=1)).isoformat(),
            "audit_dates.practice_observation": "Required",
        },
    )
    answer(audit_id, "priya", _health_check(HEALTH_CHECK_POOR))
    answer(audit_id, "priya", _answers_for_areas(AREAS_INADEQUATE))
    answer(
        audit_id,
        "priya",
        {
            "area_19.auditor_rating": 2,
            "area_19.areas_to_develop": (
                "No supervision recorded since June; no management direction."
            ),
            "overall.overall_rating": 2,
            "overall.signs_of_impact": (
                "No safety plan for four months, no network, and the children's experience is not "
                "recorded. Inadequate: sent to the worker, managers, head of service and deputy "
                "director."
            ),
        },
    )
    store.add_action(
        audit_id,
        p["priya"],
        what="Visit and see both children alone; record what they say.",
        who="Grace Mbeki-Thorne",
        due=_working_days_after(today, 1),
        immediate=True,
    )
    observation = add_proposed_action(store, audit_id, p["priya"])  # 002 L705-709
    store.update_action(
        observation,
        p["priya"],
        who="Dominic Vashti (team manager)",
        due=_working_days_after(today, 10),
    )
    store.add_action(
        audit_id,
        p["priya"],
        what="Hold a network meeting and write a safety plan with mum and the network.",
        who="Dominic Vashti (team manager) and Grace Mbeki-Thorne",
        due=_working_days_after(today, 5),
    )
    complete_audit(  # escalated: messages to copy
        store, audit_id, p["priya"], smtp=None, skipped=_demo_skips(store, audit_id)
    )

    return {
        "created": True,
        "people": {key: person.id for key, person in people.items()},
        "audits": audits,
    }


def moderated_demo(store: Any) -> int:
    """Seed the demo, then moderate its Inadequate audit (disagreeing, with an agreed grade) so
    a record has every part; returns that audit's id. Used by the PDF benchmark and tests."""
    from toolkit.store.moderations import Moderations

    made = seed_demo(store)
    people = {p.name: p for p in store.people()}
    book = Moderations(store)
    (m,) = book.select_and_allocate(
        people["Nadia Ishaq-Brennan"], dt.date.today(), 0.0, seed=1, include_demo=True
    )
    moderator = store.person(m.moderator_id)
    for key in book.scale_keys(store.audit(m.audit_id)):
        book.save(m.id, key, 3, moderator)
    for key, value in (
        ("feedback.good_practice", "Children seen alone at every visit."),
        ("feedback.development", "No safety plan; widen the network."),
        ("audit_actions.actions_completed", "Partly"),
        ("agreement.agrees", "Disagree"),
        ("agreement.agreed_grade", "Requires improvement"),
    ):
        book.save(m.id, key, value, moderator)
    book.complete(m.id, moderator)
    return made["audits"]["complete_inadequate"]


def _demo_skips(store: Store, audit_id: int) -> dict[str, str]:
    """The reason each item the demonstration leaves unanswered was skipped at completion."""
    from toolkit.audit.completion import checklist

    return {
        u.item: "Demonstration data: not filled in for this example."
        for u in checklist(store, audit_id).unanswered
    }


def seed_supervision(store: Any) -> dict[str, int]:
    """Two supervision sessions of the demonstration people, so the supervision app opens on
    something: Priya's EARS supervision with Sam (the organising question asked, the first
    Amplify prompt noted) and Dominic's group case mapping of Grace's case LL-100871 (roles,
    three columns, a danger statement with its safety goal, the safety scale rated by three
    participants). Returns kind → session id. All invented, flagged ``demo``."""
    from toolkit.supervision.store import SupervisionStore

    p = {person.name.split()[0].lower(): person for person in store.people()}
    sup = SupervisionStore(store)
    ears = sup.create_session(
        "ears",
        p["priya"],
        title="Supervision with Sam: J and mum (LL-102057)",
        supervisee=p["sam"],
        child_id="LL-102057",
        demo=True,
    )
    for key, value in (
        ("r1.question", "working_well.0"),
        (
            "r1.elicit.note",
            "Sam is proudest of the family network meeting for J: mum chose who came, and J's "
            "aunt offered to have him after school twice a week.",
        ),
        ("r1.amplify.0.asked", True),
        (
            "r1.amplify.0.note",
            "Sam rang the aunt first, met mum at the café she chose, wrote the invitations "
            "with her.",
        ),
    ):
        sup.save_note(ears.id, key, value, p["priya"])
    group = sup.create_session(
        "group_mapping",
        p["dominic"],
        title="Group case mapping: LL-100871",
        group_name="Child in Need Team 2",
        child_id="LL-100871",
        demo=True,
    )
    participants = [
        {"name": "Dominic Vashti", "role": "facilitator"},
        {"name": "Harriet Quenby", "role": "advisor"},
        {"name": "Grace Mbeki-Thorne", "role": "case_holder"},
        {"name": "Priya Okafor-Lund", "role": "observer"},
    ]
    for key, value in (
        ("participants", participants),
        ("genogram", "Mum (34), M (9), T (6); dad lives nearby; maternal grandmother weekly."),
        ("columns.worried", "M has missed school when mum is unwell; no one else knows."),
        ("columns.working_well", "M talks to her teacher; grandmother visits every Sunday."),
        ("columns.needs_to_happen", "A network who know the worries and a plan M can use."),
        (
            "pairs",
            [
                {
                    "danger": (
                        "Children's services are worried that when mum is unwell M will stay "
                        "home to look after T and miss school, and no adult will know."
                    ),
                    "goal": (
                        "When mum is unwell, grandmother or dad will take the children to "
                        "school, and the school will hear from them that day."
                    ),
                }
            ],
        ),
        ("scale.question", "How safe are M and T when mum is unwell?"),
        ("scale.zero", "M and T are left at home alone and no one knows."),
        ("scale.ten", "Everyone knows the plan and it has worked for six months."),
    ):
        sup.save_note(group.id, key, value, p["dominic"])
    for name, value, reason in (
        ("Dominic Vashti", 4, "Grandmother knows; dad has not been asked yet."),
        ("Harriet Quenby", 3, "No plan written down, and the school does not know."),
        ("Grace Mbeki-Thorne", 5, "M now tells her teacher when mum is unwell."),
    ):
        sup.save_rating(group.id, name, value, reason, p["dominic"])
    return {"ears": ears.id, "group_mapping": group.id}
