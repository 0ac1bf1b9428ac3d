"""Who may audit whose file, and when a child's file may be audited (seed 002 L566–575).

One set of rules for every way an audit begins: business support's allocation spreadsheet
(:mod:`toolkit.audit.allocation` lists every broken rule per row) and an auditor's "Start an audit"
(the store refuses it, :meth:`toolkit.store.Store.create_audit`). Pure: no store, no widgets.
"""

from __future__ import annotations

from toolkit.core.permissions import Person


def pairing_problems(
    auditor: Person, worker: Person | None, staying_together: Person | None = None
) -> list[str]:
    """Why ``auditor`` may not audit the file ``worker`` holds (empty when they may; with no
    worker known, only whether ``auditor`` may audit at all).

    The auditor is an auditor in the register, not the worker, and from another team than the
    worker's: the audit is a fresh pair of eyes, and escalation must never name the auditor as
    the worker's own manager."""
    problems = []
    if "auditor" not in auditor.roles:
        problems.append(f"{auditor.name} is not an auditor in the people register")
    if worker is None:
        return problems
    if auditor.id == worker.id:
        problems.append("the auditor and the allocated worker must be different people")
    elif same_team(auditor, worker):
        problems.append(
            f"{auditor.name} is in {worker.name}'s own team ({worker.team}): the file "
            "audited must be from another team"
        )
    if staying_together and staying_together.id == worker.id:
        problems.append("the Staying Together worker is the allocated worker")
    return problems


def same_team(one: Person, other: Person) -> bool:
    """Both are in the same team of the register (names compared without case)."""
    return bool(one.team and other.team and one.team.lower() == other.team.lower())


def under_way_problem(child_id: str, audit_id: int) -> str:
    """A child's file is audited once at a time: audit ``audit_id`` is not complete yet."""
    return f"the child's ID {child_id} already has audit #{audit_id} under way"


def refusal(problems: list[str]) -> str:
    """One message for the screen: every broken rule, as allocation lists them."""
    return "This audit cannot be started: " + "; ".join(problems) + "."


__all__ = ["pairing_problems", "refusal", "same_team", "under_way_problem"]
