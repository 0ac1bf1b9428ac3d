"""The people register: who works here, in which team and service, in which roles.

Imported from a spreadsheet (columns name, username, email, team, service, roles), all or
nothing: a file with any bad row changes nobody and lists every bad row. A username already in
the register updates that person (their details and roles); a new username adds one.

Roles are written as their names or labels, separated by commas or semicolons, e.g.
``auditor; team manager``. The senior managers an Inadequate audit goes to are found by role and
service: ``service_manager`` and ``head_of_service`` of the practitioner's service, and any
``deputy_director``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from toolkit.core.permissions import ROLE_LABELS, ROLES, Person, check_register
from toolkit.core.spreadsheets import (
    Column,
    ImportRejected,
    Row,
    RowProblem,
    heading_key,
    read_rows,
)
from toolkit.store import Store
from toolkit.store.people_register import add_person_row, update_person_row

_ROLE_BY_WORDS = {heading_key(k): k for k in ROLES} | {
    heading_key(label): key for key, label in ROLE_LABELS.items()
}
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
_USERNAME = re.compile(r"^[A-Za-z0-9._@-]{1,200}$")

PEOPLE_COLUMNS = (
    Column("name", "Name", aliases=("full name",)),
    Column("username", "Username", aliases=("login", "user name")),
    Column("email", "Email", aliases=("email address", "e-mail")),
    Column("team", "Team"),
    Column("service", "Service"),
    Column("roles", "Roles", aliases=("role",)),
)


def parse_roles(text: str) -> frozenset[str]:
    """Role names or labels separated by commas or semicolons; ValueError names an unknown one."""
    roles = set()
    for word in re.split(r"[,;/]", text):
        if not word.strip():
            continue
        role = _ROLE_BY_WORDS.get(heading_key(word))
        if role is None:
            raise ValueError(
                f"“{word.strip()}” is not a role (roles: {', '.join(ROLE_LABELS.values())})"
            )
        roles.add(role)
    if not roles:
        raise ValueError("roles are missing")
    return frozenset(roles)


class PeopleIndex:
    """Finding a person as a spreadsheet names them: by username, email or (unique) name."""

    def __init__(self, people: Iterable[Person]):
        self.people = list(people)
        self._by_key: dict[str, Person] = {}
        named: dict[str, list[Person]] = {}
        for person in self.people:
            for key in (person.username, person.email):
                if key:
                    self._by_key[key.strip().lower()] = person
            named.setdefault(" ".join(person.name.lower().split()), []).append(person)
        self._ambiguous = {name for name, found in named.items() if len(found) > 1}
        self._by_name = {name: found[0] for name, found in named.items()}

    def find(self, text: str) -> Person:
        """The person, or ValueError saying why nobody (or more than one) matches."""
        key = " ".join(text.strip().lower().split())
        if key in self._by_key:
            return self._by_key[key]
        if key in self._ambiguous:
            raise ValueError(
                f"more than one person is called “{text.strip()}”: give their username or email"
            )
        if key in self._by_name:
            return self._by_name[key]
        raise ValueError(f"“{text.strip()}” is not in the people register")

    def with_role(
        self, role: str, *, team: str | None = None, service: str | None = None
    ) -> list[Person]:
        """People holding ``role`` (in ``team`` / ``service`` when given), by name."""
        return sorted(
            (
                p
                for p in self.people
                if role in p.roles
                and (team is None or _same(p.team, team))
                and (service is None or _same(p.service, service))
            ),
            key=lambda p: p.name,
        )


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.strip().lower() == b.strip().lower())


@dataclass(frozen=True)
class PeopleImport:
    added: int
    updated: int


def check_people_rows(rows: Sequence[Row]) -> tuple[list[dict], list[RowProblem]]:
    """The people the rows describe, and every problem with them."""
    people, problems, seen = [], [], {}
    for row in rows:
        v = row.values
        reasons = []
        if not v["name"]:
            reasons.append("the name is missing")
        username = v.get("username", "")
        if username and not _USERNAME.match(username):
            reasons.append(f"“{username}” is not a username (letters, digits, . _ @ - only)")
        elif username.lower() in seen:
            reasons.append(f"username “{username}” is also on row {seen[username.lower()]}")
        elif username:
            seen[username.lower()] = row.number
        email = v.get("email", "")
        if email and not _EMAIL.match(email):
            reasons.append(f"“{email}” is not an email address")
        try:
            roles = parse_roles(v["roles"])
        except ValueError as exc:
            reasons.append(str(exc))
            roles = frozenset()
        problems += [RowProblem(row.number, r) for r in reasons]
        people.append(
            {
                "name": v["name"],
                "username": username or None,
                "email": email or None,
                "team": v.get("team") or None,
                "service": v.get("service") or None,
                "roles": ",".join(sorted(roles)),
            }
        )
    return people, problems


def import_people(store: Store, data: bytes, filename: str, by: Person | None) -> PeopleImport:
    """Add or update everyone in the file, or nobody. ``by`` None: the administrator at the
    command line (no one is signed in there)."""
    if by is not None:
        check_register(by)
    people, problems = check_people_rows(read_rows(data, filename, PEOPLE_COLUMNS))
    if problems:
        raise ImportRejected("people register", problems)
    existing = {p.username.lower(): p.id for p in store.people() if p.username}
    added = updated = 0
    with store.unit_of_work() as work:
        for person in people:
            person_id = existing.get((person["username"] or "").lower())
            if person_id is None:
                add_person_row(work, person)
                added += 1
            else:
                update_person_row(work, person_id, person)
                updated += 1
    return PeopleImport(added, updated)
