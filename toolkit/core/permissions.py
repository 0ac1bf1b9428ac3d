"""Who may read and change an audit: enforced in the store, not only by hiding buttons."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.core.errors import NotAllowed

ROLES = (
    "practitioner",
    "auditor",
    "manager",
    "moderator",
    "quality_assurance",
    "business_support",
    "trainer",
    # senior managers, who are notified of Inadequate audits (seed 002 L3690–3691)
    "service_manager",
    "head_of_service",
    "deputy_director",
)
#: each role in words, as the register's spreadsheet and the person picker write it
ROLE_LABELS = {
    "practitioner": "Practitioner",
    "auditor": "Auditor",
    "manager": "Team manager",
    "moderator": "Moderator",
    "quality_assurance": "Quality assurance",
    "business_support": "Business support",
    "trainer": "Trainer",
    "service_manager": "Service manager",
    "head_of_service": "Head of service",
    "deputy_director": "Deputy director",
}
assert set(ROLE_LABELS) == set(ROLES)
READ_ALL_ROLES = frozenset({"quality_assurance", "deputy_director"})


def role_words(roles: frozenset[str] | set[str]) -> str:
    """A person's roles in words, in the order of :data:`ROLES` ("Auditor, Team manager")."""
    return ", ".join(ROLE_LABELS[r] for r in ROLES if r in roles)


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    username: str | None = None
    email: str | None = None
    team: str | None = None
    service: str | None = None


@dataclass(frozen=True)
class AuditRecord:
    id: int
    form_id: str
    form_version: int
    child_id: str
    auditor_id: int
    practitioner_id: int
    manager_id: int | None
    staying_together_id: int | None
    state: str
    team: str | None
    service: str | None
    demo: bool
    created_at: object
    updated_at: object
    completed_at: object

    def part_of(self, person_id: int) -> str | None:
        """The person's part in this audit, or None."""
        if person_id == self.auditor_id:
            return "auditor"
        if person_id in (self.practitioner_id, self.staying_together_id):
            return "practitioner"
        if person_id == self.manager_id:
            return "manager"
        return None


def check_read(person: Person, audit: AuditRecord) -> None:
    if audit.part_of(person.id) or person.roles & READ_ALL_ROLES or reads_by_role(person, audit):
        return
    raise NotAllowed(f"{person.name} is not part of audit {audit.id} and may not open it.")


def check_edit(person: Person, audit: AuditRecord, editor_role: str) -> None:
    """``editor_role`` is who answers this part of the form: 'auditor' or 'practitioner'."""
    if audit.state == "complete":
        raise NotAllowed(f"Audit {audit.id} is complete; its answers can no longer be changed.")
    part = audit.part_of(person.id)
    if part == editor_role:
        return
    who = "the practitioner" if editor_role == "practitioner" else "the auditor"
    raise NotAllowed(f"Only {who} of audit {audit.id} can change this; {person.name} cannot.")


def check_auditor(person: Person, audit: AuditRecord, doing: str) -> None:
    if audit.part_of(person.id) != "auditor":
        raise NotAllowed(f"Only the auditor of audit {audit.id} can {doing}; {person.name} cannot.")


# --- after the audit meeting: who reads by team or service, allocates, follows up, moderates -----

#: Roles that read every audit of their own service (``Person.service`` = ``AuditRecord.service``).
SERVICE_READ_ROLES = frozenset({"service_manager", "head_of_service"})
#: Business support allocates audits from a spreadsheet; quality assurance may do it too. Neither
#: role gives a right to read answers: allocating needs names and the child's ID only.
ALLOCATE_ROLES = frozenset({"business_support", "quality_assurance"})
#: Who may import the people register (it grants roles, so not business support).
REGISTER_ROLES = frozenset({"quality_assurance"})
#: What a practitioner may change on an action of their own audit: marking it done, with a note.
PRACTITIONER_ACTION_FIELDS = frozenset({"status", "completion_note"})


def reads_by_role(person: Person, audit: AuditRecord) -> bool:
    """A team manager reads their team's audits; a service or head of service their service's."""
    if "manager" in person.roles and person.team and person.team == audit.team:
        return True
    return bool(
        person.roles & SERVICE_READ_ROLES and person.service and person.service == audit.service
    )


def check_action_change(person: Person, audit: AuditRecord, changes: dict[str, object]) -> None:
    """The auditor changes any action, before and after completion (actions stay live); the
    practitioner named in the audit may mark one done or open again, with a completion note."""
    part = audit.part_of(person.id)
    if part == "auditor":
        return
    if (
        part == "practitioner"
        and set(changes) <= PRACTITIONER_ACTION_FIELDS
        and changes.get("status", "done") in ("done", "open")
    ):
        return
    raise NotAllowed(
        f"Only the auditor of audit {audit.id} can change this action; {person.name} can only "
        "mark their own actions done with a completion note."
        if part == "practitioner"
        else f"Only the auditor or practitioner of audit {audit.id} can change its actions; "
        f"{person.name} cannot."
    )


def check_allocate(person: Person) -> None:
    if not person.roles & ALLOCATE_ROLES:
        raise NotAllowed(
            f"Only business support or quality assurance allocate audits; {person.name} cannot."
        )


def check_register(person: Person) -> None:
    if not person.roles & REGISTER_ROLES:
        raise NotAllowed(
            f"Only quality assurance can change the people register; {person.name} cannot."
        )


def check_follow_up(person: Person, audit: AuditRecord) -> None:
    """The auditor follows up (seed 002 L686–688)."""
    check_auditor(person, audit, "record the follow-up")


# --- moderation -----------------------------------------------------------------------------
MODERATION_ORGANISER_ROLES = frozenset({"quality_assurance", "business_support"})


def check_moderator(person: Person, moderator_id: int, moderation_id: int, doing: str) -> None:
    """Only the moderator a moderation is allocated to may change it."""
    if person.id != moderator_id:
        raise NotAllowed(
            f"Only the moderator allocated moderation {moderation_id} can {doing}; "
            f"{person.name} cannot."
        )


def check_organises_moderation(person: Person) -> None:
    """Quality assurance and business support select the sample and allocate it."""
    if not person.roles & MODERATION_ORGANISER_ROLES:
        raise NotAllowed(
            f"Only quality assurance or business support select and allocate moderations; "
            f"{person.name} cannot."
        )
