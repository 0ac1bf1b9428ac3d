"""Thematic audits in the store: created, answered item by item, read back for the summary.

Each rating, evidence note and location is saved the moment it is given, with who, when and a
revision per item (a stale revision is a :class:`Conflict`, nothing is overwritten). Only the
auditor of a thematic audit changes it; when it is an added section of a collaborative audit,
everyone who may open that audit may read it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

import toolkit.store.thematic as stored
from toolkit.core.permissions import READ_ALL_ROLES, Person, check_auditor, check_read
from toolkit.core.text import check_text
from toolkit.standards.loader import available_authorities, load_standards
from toolkit.standards.models import Standards
from toolkit.standards.summary import (
    RATINGS,
    ThematicSummary,
    missing_message,
    rating_value,
    summarise,
    unrated,
)
from toolkit.store import InvalidAnswer, NotAllowed, Store
from toolkit.store.store import check_child_id, now

PARTS = ("rating", "evidence", "location")
MAX_TEXT = 20000


@dataclass(frozen=True)
class ThematicAudit:
    id: int
    authority: str
    service_areas: tuple[str, ...]
    child_id: str
    auditor_id: int
    audit_id: int | None
    state: str
    created_at: dt.datetime
    updated_at: dt.datetime
    completed_at: dt.datetime | None = None
    completed_by: int | None = None

    @property
    def complete(self) -> bool:
        return self.state == "complete"

    def standards(self) -> Standards:
        return load_standards(self.authority)


@dataclass(frozen=True)
class ThematicAnswer:
    item_id: str
    rating: str | None
    evidence: str | None
    location: str | None
    revision: int
    updated_by: int
    updated_at: dt.datetime
    #: False when the save found this value stored already and wrote nothing
    written: bool = True


def _thematic(found: dict[str, Any]) -> ThematicAudit:
    return ThematicAudit(**found)


def _check_areas(authority: str, area_ids: list[str]) -> list[str]:
    if authority not in available_authorities():
        raise InvalidAnswer(
            f"{authority!r} is not an authority with practice standards: choose "
            f"{', '.join(available_authorities())}."
        )
    if not area_ids:
        raise InvalidAnswer("Choose at least one service area to audit.")
    standards = load_standards(authority)
    known = {a.id for a in standards.areas}
    unknown = [a for a in area_ids if a not in known]
    if unknown:
        raise InvalidAnswer(f"{authority} has no service area {', '.join(map(repr, unknown))}.")
    order = [a.id for a in standards.areas]
    return sorted(set(area_ids), key=order.index)


def create_thematic_audit(
    store: Store,
    person: Person,
    authority: str,
    area_ids: list[str],
    child_id: str | None = None,
    audit_id: int | None = None,
) -> ThematicAudit:
    """A new thematic audit by ``person``; with ``audit_id`` it is a section of that audit
    (only its auditor may add one, and the child is that audit's child)."""
    areas = _check_areas(authority, list(area_ids))
    if audit_id is not None:
        audit = store.audit(audit_id)
        check_auditor(person, audit, "add a thematic audit to it")
        child = audit.child_id
    else:
        if "auditor" not in person.roles:
            raise NotAllowed(f"Only auditors start thematic audits; {person.name} is not one.")
        child = check_child_id(child_id)
    new_id = stored.insert_thematic(store, authority, areas, child, person.id, audit_id, now())
    return thematic_audit(store, new_id)


def thematic_audit(store: Store, thematic_id: int, reader: Person | None = None) -> ThematicAudit:
    found = _thematic(stored.thematic(store, thematic_id))
    if reader is not None:
        check_thematic_read(store, reader, found)
    return found


def check_thematic_read(store: Store, person: Person, thematic: ThematicAudit) -> None:
    if person.id == thematic.auditor_id or person.roles & READ_ALL_ROLES:
        return
    if thematic.audit_id is not None:
        check_read(person, store.audit(thematic.audit_id))
        return
    raise NotAllowed(f"{person.name} may not open thematic audit {thematic.id}.")


def thematic_audits_for(
    store: Store, person: Person, audit_id: int | None = None
) -> list[ThematicAudit]:
    """The person's thematic audits (all of them for quality assurance), or those of an audit."""
    of_auditor = None if audit_id is not None or person.roles & READ_ALL_ROLES else person.id
    found = [
        _thematic(m) for m in stored.thematics(store, audit_id=audit_id, auditor_id=of_auditor)
    ]
    return [t for t in found if _may_read(store, person, t)]


def _may_read(store: Store, person: Person, thematic: ThematicAudit) -> bool:
    try:
        check_thematic_read(store, person, thematic)
    except NotAllowed:
        return False
    return True


def thematic_answers(store: Store, thematic_id: int) -> dict[str, ThematicAnswer]:
    return {k: ThematicAnswer(**a) for k, a in stored.answers(store, thematic_id).items()}


def _clean(part: str, value: Any) -> str | None:
    if part not in PARTS:
        raise InvalidAnswer(f"An item has a rating, evidence and a location, not {part!r}.")
    if part == "rating":
        try:
            return rating_value(value)
        except ValueError as exc:
            raise InvalidAnswer(str(exc)) from None
    if value is None:
        return None
    value = check_text(value, label=f"The {part}", max_length=MAX_TEXT)
    return value if value.strip() else None


def save_thematic_answer(
    store: Store,
    person: Person,
    thematic_id: int,
    item_id: str,
    part: str,
    value: Any,
    expected_revision: int | None = None,
) -> ThematicAnswer:
    """Save one part (rating, evidence or location) of one item; returns the item as stored."""
    cleaned = _clean(part, value)

    def check(found: dict[str, Any]) -> None:
        thematic = _thematic(found)
        _check_auditor(person, thematic, "change it")
        if thematic.complete:
            raise NotAllowed(f"Thematic audit {thematic_id} is complete; it can no longer change.")
        _item_in(thematic, item_id)

    saved = stored.save_answer(
        store, thematic_id, item_id, part, cleaned, person, expected_revision, check
    )
    return dataclasses.replace(thematic_answers(store, thematic_id)[item_id], written=saved.written)


def _check_auditor(person: Person, thematic: ThematicAudit, doing: str) -> None:
    if person.id != thematic.auditor_id:
        raise NotAllowed(
            f"Only the auditor of thematic audit {thematic.id} can {doing}; {person.name} cannot."
        )


def _item_in(thematic: ThematicAudit, item_id: str) -> tuple[str, str]:
    try:
        area, item = thematic.standards().item(item_id)
    except KeyError:
        raise InvalidAnswer(
            f"{item_id!r} is not one of {thematic.authority}'s standards."
        ) from None
    if area.id not in thematic.service_areas:
        raise InvalidAnswer(f"{item_id!r} belongs to {area.id}, which this audit does not cover.")
    return area.id, item.id


def thematic_summary(store: Store, thematic: ThematicAudit) -> ThematicSummary:
    """The summary of a stored thematic audit (see :func:`toolkit.standards.summary.summarise`)."""
    ratings = {k: a.rating for k, a in thematic_answers(store, thematic.id).items()}
    return summarise(thematic.standards(), thematic.service_areas, ratings)


# --- completing: every item rated, then read-only, with who and when in its history ------------


@dataclass(frozen=True)
class ThematicChange:
    field_key: str
    old: Any
    new: Any
    changed_by: int
    changed_at: dt.datetime


def complete_thematic_audit(store: Store, person: Person, thematic_id: int) -> ThematicAudit:
    """The auditor completes it once every expectation and bottom line of the audited areas has
    a rating; from then on it is read only. Completing twice changes nothing."""

    def check(found: dict[str, Any], ratings: dict[str, str | None]) -> bool:
        thematic = _thematic(found)
        _check_auditor(person, thematic, "complete it")
        if thematic.complete:
            return False
        missing = unrated(thematic.standards(), thematic.service_areas, ratings)
        if missing:
            raise InvalidAnswer(
                f"Thematic audit {thematic_id} cannot be completed yet. {missing_message(missing)}"
            )
        return True

    found = stored.complete(store, thematic_id, person.id, now(), check)
    if found is not None:
        return _thematic(found)
    return thematic_audit(store, thematic_id)


def thematic_history(store: Store, thematic_id: int, reader: Person) -> list[ThematicChange]:
    """Its change history, oldest first, for whoever may open it."""
    thematic_audit(store, thematic_id, reader)
    return [ThematicChange(*change) for change in stored.history(store, thematic_id)]


__all__ = [
    "PARTS",
    "RATINGS",
    "ThematicAnswer",
    "ThematicAudit",
    "ThematicChange",
    "complete_thematic_audit",
    "create_thematic_audit",
    "save_thematic_answer",
    "thematic_answers",
    "thematic_audit",
    "thematic_audits_for",
    "thematic_history",
    "thematic_summary",
]
