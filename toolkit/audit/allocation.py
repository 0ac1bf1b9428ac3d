"""Allocating audits from business support's spreadsheet (seed 002 L566–575).

Each row names the auditor, the child's LiquidLogic ID, the allocated worker and, when there is
one, the Staying Together worker; each becomes an audit in the *allocated* state. The import is
all or nothing. Every bad row is listed with its row number and reason; a child audited recently
is a warning the user may accept (how recently is the toolkit's setting,
``recently_audited_child`` in ``forms/toolkit_decisions.yaml``: 12 months), everything else
must be corrected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from toolkit.audit.people import PeopleIndex
from toolkit.core.audit_rules import pairing_problems, under_way_problem
from toolkit.core.moderation import months_before
from toolkit.core.permissions import Person, check_allocate
from toolkit.core.spreadsheets import (
    Column,
    ImportRejected,
    Row,
    RowProblem,
    read_rows,
    workbook_bytes,
)
from toolkit.forms.loader import registry, toolkit_decisions
from toolkit.store import InvalidAnswer, Store
from toolkit.store.past_audits import PastAudit, past_audits_by_child
from toolkit.store.store import check_child_id

AUDIT_FORM = "collaborative_case_audit"
#: the toolkit's rule (not the source's): a child audited within this many months is flagged
RECENTLY_AUDITED = "recently_audited_child"
TEMPLATE_NAME = "allocation-template.xlsx"

ALLOCATION_COLUMNS = (
    Column("auditor", "Auditor"),
    Column(
        "child_id",
        "Child's ID",
        aliases=("child id", "childs liquidlogic id", "liquidlogic id", "child young person"),
    ),
    Column("worker", "Allocated worker", aliases=("worker", "practitioner")),
    Column(
        "staying_together",
        "Staying Together worker",
        required=False,
        aliases=("staying together worker optional", "staying together worker if applicable"),
    ),
)


def recent_audit_months() -> int:
    """How many months back an earlier audit of the same child is flagged (the toolkit's)."""
    return toolkit_decisions().number(RECENTLY_AUDITED)


@dataclass(frozen=True)
class Allocation:
    row: int
    child_id: str
    auditor: Person
    practitioner: Person
    staying_together: Person | None
    manager: Person | None  # the allocated worker's team manager, when the register has one


@dataclass
class AllocationCheck:
    """What the spreadsheet would do: the audits it allocates and every problem found."""

    allocations: list[Allocation] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[RowProblem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[RowProblem]:
        return [p for p in self.problems if p.warning]


def past_audits(store: Store) -> dict[str, list[PastAudit]]:
    """Every audit so far by child's ID (upper case), for the duplicate and 12-month checks."""
    return past_audits_by_child(store.engine)


def check_rows(
    rows: Sequence[Row],
    people: PeopleIndex,
    past: dict[str, list[PastAudit]],
    today: dt.date,
) -> AllocationCheck:
    """Check every row against the register, the other rows and past audits (pure: no writes)."""
    result = AllocationCheck()
    first_row_of: dict[str, int] = {}
    managers_of: dict[str | None, list[Person]] = {}
    months = recent_audit_months()
    since = months_before(today, months)
    for row in rows:
        v, reasons = row.values, []
        auditor = _named(people, v, "auditor", "auditor", reasons)
        worker = _named(people, v, "worker", "allocated worker", reasons)
        staying = _named(people, v, "staying_together", "Staying Together worker", reasons)
        child_id = None
        try:
            child_id = check_child_id(v["child_id"])
        except InvalidAnswer as exc:
            reasons.append("the child's ID is missing" if not v["child_id"].strip() else str(exc))
        if auditor:
            reasons += pairing_problems(auditor, worker, staying)  # as "Start an audit" does
        warning = None
        if child_id:
            key = child_id.upper()
            if key in first_row_of:
                reasons.append(
                    f"a duplicate: the child's ID {child_id} is also on row {first_row_of[key]}"
                )
            else:
                first_row_of[key] = row.number
            for audit in past.get(key, ()):
                if audit.state != "complete":
                    reasons.append(under_way_problem(child_id, audit.id))
                elif _as_date(audit.completed_at) >= since:
                    warning = (
                        f"the child's ID {child_id} was audited in the last {months} months "
                        f"(audit #{audit.id}, completed {_as_date(audit.completed_at):%d %b %Y})"
                    )
        result.problems += [RowProblem(row.number, r) for r in reasons]
        if warning:
            result.problems.append(RowProblem(row.number, warning, warning=True))
        if not reasons and auditor and worker and child_id:
            if worker.team not in managers_of:  # looked up once per team
                managers_of[worker.team] = people.with_role("manager", team=worker.team)
            managers = [m for m in managers_of[worker.team] if m.id != worker.id]
            result.allocations.append(
                Allocation(
                    row.number,
                    child_id,
                    auditor,
                    worker,
                    staying,
                    managers[0] if len(managers) == 1 else None,
                )
            )
    return result


def _named(
    people: PeopleIndex, values: dict[str, str], column: str, what: str, reasons: list[str]
) -> Person | None:
    """The person a cell names; a reason is added when missing (but optional) or unknown."""
    if not values.get(column):
        if column != "staying_together":
            reasons.append(f"the {what} is missing")
        return None
    try:
        return people.find(values[column])
    except ValueError as exc:
        reasons.append(f"unknown {what}: {exc}")
        return None


def _as_date(moment: dt.datetime | None) -> dt.date:
    return moment.date() if moment else dt.date.min


def check_file(
    store: Store, data: bytes, filename: str, today: dt.date | None = None
) -> AllocationCheck:
    """Read and check a spreadsheet; SpreadsheetError when the file itself cannot be used."""
    rows = read_rows(data, filename, ALLOCATION_COLUMNS)
    return check_rows(
        rows, PeopleIndex(store.people()), past_audits(store), today or dt.date.today()
    )


def import_allocation(
    store: Store,
    data: bytes,
    filename: str,
    by: Person,
    accept_warnings: bool = False,
    today: dt.date | None = None,
) -> list[int]:
    """Create every audit in the file in one transaction, or none: ImportRejected lists the
    problems (warnings only when they are not accepted). Returns the new audits' ids."""
    check_allocate(by)
    checked = check_file(store, data, filename, today)
    if checked.errors or (checked.warnings and not accept_warnings):
        raise ImportRejected("allocation spreadsheet", checked.problems)
    form = registry().latest(AUDIT_FORM)
    return store.create_audits(
        form,
        (
            {
                "child_id": a.child_id,
                "auditor": a.auditor,
                "practitioner": a.practitioner,
                "manager": a.manager,
                "staying_together": a.staying_together,
            }
            for a in checked.allocations
        ),
        created_by=by,
    )


def template() -> bytes:
    """The allocation template (.xlsx): the headings, and a sheet saying how to fill it in."""
    notes = [
        ("Column", "What to write"),
        ("Auditor", "The auditor's username, email or full name as in the people register."),
        ("Child's ID", "The child's LiquidLogic ID (no names)."),
        ("Allocated worker", "The worker holding the case: username, email or full name."),
        ("Staying Together worker", "Only when there is one; otherwise leave empty."),
        ("", "The auditor must be from another team than the allocated worker's."),
        (
            "",
            f"A child audited in the last {recent_audit_months()} months is flagged (the "
            "toolkit's setting); you can accept it and import.",
        ),
    ]
    return workbook_bytes(
        {"Allocation": [[c.heading for c in ALLOCATION_COLUMNS]], "How to fill in": notes}
    )
