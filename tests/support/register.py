"""A small fictional register for the after-the-audit tests
(import ``from tests.support.register import …``).

Two services; team A holds the case (practitioner Pat, team manager Mia), team B audits it
(auditor Abe). Everyone else is there for their role: quality assurance, business support, a
moderator, a trainer, service managers of both services, a head of service and a deputy director.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from tests.support.audits import skip_all
from toolkit.audit.completion import complete_audit
from toolkit.core.lifecycle import below_good
from toolkit.core.permissions import AuditRecord, Person
from toolkit.forms.loader import registry
from toolkit.store import Store, schema

S1, S2 = "Child Protection & Child in Need", "Children Looked After"
PEOPLE = {
    # key: (name, roles, team, service)
    "pat": ("Pat O'Neil", "practitioner", "Team A", S1),
    "olly": ("Olly Other", "practitioner", "Team A", S1),
    "sky": ("Sky Staying-Together", "practitioner", "Staying Together", S1),
    "mia": ("Mia <Manager>", "manager", "Team A", S1),
    "abe": ("Abe Auditor", "auditor,manager", "Team B", S1),
    "ada": ("Ada Auditor", "auditor", "Team B", S1),
    "cal": ("Cal Manager", "manager", "Team C", S2),
    "mo": ("Mo Moderator", "moderator", "QA Team", "Quality Assurance"),
    "quinn": ("Quinn QA", "quality_assurance", "QA Team", "Quality Assurance"),
    "bea": ("Bea Support", "business_support", "Business Support", "Business Support"),
    "tia": ("Tia Trainer", "trainer", "Learning", "Learning"),
    "sam": ("Sam Service-Manager", "service_manager", "", S1),
    "sue": ("Sue Service-Manager", "service_manager", "", S2),
    "hal": ("Hal Head-of-Service", "head_of_service", "", S1),
    "dee": ("Dee Deputy-Director", "deputy_director", "", "Children's Services"),
}


@dataclass
class World:
    store: Store
    people: dict[str, Person]
    open_audit: AuditRecord  # under way: an action recorded, ready to complete
    done_audit: AuditRecord  # completed Inadequate: a follow-up and an escalation

    def __getitem__(self, key: str) -> Person:
        return self.people[key]


def add_people(store: Store) -> dict[str, Person]:
    return {
        key: store.add_person(
            name,
            roles.split(","),
            username=key,
            email=f"{key}@example.org",
            team=team or None,
            service=service,
        )
        for key, (name, roles, team, service) in PEOPLE.items()
    }


def graded_audit(store: Store, p: dict[str, Person], child_id: str, rating: int) -> AuditRecord:
    """An audit of Pat's by Abe, graded ``rating``, with one action: ready to complete."""
    audit = store.create_audit(
        registry().latest("collaborative_case_audit"),
        child_id=child_id,
        auditor=p["abe"],
        practitioner=p["pat"],
        manager=p["mia"],
        staying_together=p["sky"],
        created_by=p["bea"],
    )
    store.save_answer(audit.id, "overall.overall_rating", rating, p["abe"])
    store.save_answer(audit.id, "overall.signs_of_impact", "No safety plan since March.", p["abe"])
    store.add_action(
        audit.id,
        p["abe"],
        what="See both children alone.",
        who="Pat",
        due=dt.date.today(),
        immediate=below_good(rating),
    )
    return store.audit(audit.id)


def build_world(store: Store) -> World:
    p = add_people(store)
    open_audit = graded_audit(store, p, "LL-200001", 4)
    done = graded_audit(store, p, "LL-200002", 1)
    complete_audit(store, done.id, p["abe"], smtp=None, skipped=skip_all(store, done.id))
    return World(store, p, store.audit(open_audit.id), store.audit(done.id))


def snapshot(store: Store) -> dict[str, list]:
    """Every row of every table: what a refused action must leave exactly as it was."""
    with store.engine.connect() as conn:
        return {
            table.name: [tuple(r) for r in conn.execute(select(table)).all()]
            for table in schema.metadata.sorted_tables
        }
