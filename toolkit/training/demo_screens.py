"""What every other screen needs in the training store, so a demonstration never opens on an
empty page: each example case also as a completed audit answered with its model (dated in the
last whole quarter, which the reports open on), those audits drawn and allocated for moderation,
and a group case mapping session on each example case for the supervision app."""

from __future__ import annotations

import datetime as dt

from toolkit.core.permissions import Person
from toolkit.reports.period import previous_quarter
from toolkit.store import Store
from toolkit.store.demonstration import date_audits
from toolkit.training.cases import ExampleCase, audit_form, example_cases, model_answers

COMPLETED_SUFFIX = "-model"  # child ID of the completed copy: DEMO-<case id>-model
GROUP_NAME = "Training room"


def completed_on(today: dt.date) -> dt.datetime:
    """A day in the last whole quarter: the report's default period, and within the 6 months
    moderation samples from."""
    day = previous_quarter(today).start + dt.timedelta(days=30)
    return dt.datetime.combine(day, dt.time(12), dt.timezone.utc)


def complete_model_audit(
    store: Store, case: ExampleCase, child_id: str, auditor: Person, practitioner: Person
) -> int:
    """A completed audit of the case answered with its model audit, through the store's usual
    checks (the auditor saves, records the actions and completes, as in real use)."""
    from toolkit.audit.completion import checklist, complete_audit
    from toolkit.core.lifecycle import OVERALL_RATING, below_good

    audit = store.create_audit(
        audit_form(),
        child_id=child_id,
        auditor=auditor,
        practitioner=practitioner,
        created_by=auditor,
        demo=True,
    )
    for key, value in model_answers(case).items():
        if key != "actions.actions":
            store.save_answer(audit.id, key, value, auditor)
    # below Good the first action is the immediate one the source asks for (002 L683-684)
    below = below_good(model_answers(case).get(OVERALL_RATING))
    for i, action in enumerate(case.model_audit.actions):
        store.add_action(
            audit.id,
            auditor,
            what=action.what,
            who=action.who,
            due=action.due,
            immediate=below and i == 0,
        )
    skipped = {
        u.item: "Example case: not part of its model audit."
        for u in checklist(store, audit.id).unanswered
    }
    complete_audit(store, audit.id, auditor, smtp=None, skipped=skipped)  # nothing is sent
    return audit.id


def seed_screens(
    store: Store, prefix: str, trainer: Person, auditor: Person, practitioner: Person
) -> None:
    """Completed model audits, their moderations and group case mapping sessions."""
    from toolkit.store.moderations import Moderations
    from toolkit.supervision.store import SupervisionStore

    today = dt.date.today()
    cases = example_cases().cases
    done = [
        complete_model_audit(store, c, prefix + c.id + COMPLETED_SUFFIX, auditor, practitioner)
        for c in cases
    ]
    stamp = completed_on(today)
    with store.unit_of_work(stamp) as work:
        date_audits(work, done)
    Moderations(store).select_and_allocate(trainer, today, 1.0, seed=1, include_demo=True)
    sup = SupervisionStore(store)
    for case in cases:
        sup.create_session(
            "group_mapping",
            trainer,
            title=f"Group case mapping: {case.family}",
            group_name=GROUP_NAME,
            child_id=prefix + case.id,
            demo=True,
        )
