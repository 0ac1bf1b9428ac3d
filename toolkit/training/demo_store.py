"""The demonstration store: the example cases as audits in ``training.sqlite``, reset in one go.

Trainers open the audit and supervision apps on it with ``?mode=demo``. Every audit here is an
example case (child ID ``DEMO-<case id>``), flagged ``demo``, and lives only in this file.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.core.permissions import Person
from toolkit.store import NotAllowed, Store, schema, upgrade
from toolkit.store.calibration import remake_keeping
from toolkit.training.calibration import TRAINER_ROLE, Exercise, exercises_in_progress
from toolkit.training.cases import audit_form, example_cases
from toolkit.training.mode import is_training_url, training_path, training_url

log = logging.getLogger("toolkit.training")

CHILD_ID_PREFIX = "DEMO-"
#: name, roles, team — the trainer is the auditor, learners take turns as the practitioner.
#: Auditors audit another team's files (toolkit/core/audit_rules.py), so they have a team of
#: their own.
DEMO_PEOPLE = (
    ("Trainer (demonstration)", ("auditor", "trainer", "quality_assurance"), "Training auditors"),
    ("Practitioner (demonstration)", ("practitioner",), "Training"),
    ("Manager (demonstration)", ("manager",), "Training"),
    # who completed the example cases' model audits, and who moderates them
    ("Auditor (demonstration)", ("auditor",), "Training auditors"),
    ("Moderator (demonstration)", ("moderator",), "Training auditors"),
)


def open_training_store() -> Store:
    """The training store, created and seeded on first use (never the live database)."""
    url = training_url()
    path = training_path()
    if not path.exists():
        _publish_seeded(path)
    store = Store(url)
    upgrade.set_up_training_tables(store.engine)
    return store


def _publish_seeded(path: Path) -> None:
    """Seed a new training store beside ``path``, then give it that name in one step.

    Every page opens the training store, so several kernels can find it missing at once:
    seeding where they stand would seed it once per page, and a page could read it half
    seeded. A hard link takes the name only if it is free, so the first seeded store to
    finish is the one every page opens; the others are thrown away."""
    with tempfile.TemporaryDirectory(prefix=".training-seed-", dir=path.parent) as folder:
        draft = Path(folder) / path.name  # the same file name, which marks a training store
        store = Store(f"sqlite:///{draft}")
        try:
            schema.training_metadata.create_all(store.engine)
            seed(store)
            with store.engine.connect() as conn:  # everything into the file itself, none in a WAL
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            store.close()
        # SQLite makes its files 0644 whatever the umask; give the store the mode any other new
        # file would get, so that on the Hub, where each person's server is an account of its
        # own in the servers' group (umask 007), every server can write it (and its WAL, which
        # SQLite makes with the store's mode)
        draft.chmod(0o666 & ~_umask())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another page published first: every page opens that one
        except OSError:  # a data folder on a filesystem without hard links
            if not path.exists():
                os.replace(draft, path)


def _umask() -> int:
    """This process's umask, read where Linux shows it (setting it to read it back would
    change it for a moment for every thread)."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(next(line for line in status.splitlines() if line.startswith("Umask:"))[6:], 8)
    except (OSError, StopIteration, ValueError):
        mask = os.umask(0o077)  # the strictest while it is read
        os.umask(mask)
        return mask


def seed(store: Store) -> dict[str, int]:
    """The demonstration people, one audit per example case to walk through (returned: case
    id → audit id), and what the other screens show (see :mod:`toolkit.training.demo_screens`)."""
    from toolkit.training.demo_screens import seed_screens

    trainer, practitioner, manager, auditor, _moderator = (
        store.add_person(name, roles, team=team) for name, roles, team in DEMO_PEOPLE
    )
    form = audit_form()
    walk_through = {
        case.id: store.create_audit(
            form,
            child_id=CHILD_ID_PREFIX + case.id,
            auditor=trainer,
            practitioner=practitioner,
            manager=manager,
            created_by=trainer,
            demo=True,
        ).id
        for case in example_cases().cases
    }
    seed_screens(store, CHILD_ID_PREFIX, trainer, auditor, practitioner)
    return walk_through


@dataclass(frozen=True)
class Reset:
    """What a reset did: the walk-through audits made again (case id → audit id), and the
    calibration exercises kept because they were in progress."""

    audits: dict[str, int]
    kept: list[Exercise]


def reset(store: Store, person: Person | None, live: Callable[[], Store] | None = None) -> Reset:
    """Back to the start in one action, for a trainer only: every table dropped, re-created
    and seeded again — but for the calibration exercises in progress, kept whole
    (:func:`toolkit.training.calibration.exercises_in_progress`). Anyone else is refused,
    nothing changes, and the refusal is logged: on the server's log and, given ``live`` (the
    live store, opened only then), in its access log (the training store's own would be
    dropped by the next reset)."""
    if not is_training_url(store.url):
        raise PermissionError("Only the training store can be reset.")
    if person is None or TRAINER_ROLE not in person.roles:
        who = person.name if person else "nobody signed in"
        log.warning("Refused resetting the demonstration to %s: not a trainer", who)
        if live is not None:
            target = live()
            try:
                _record_refusal(target, person, who)
            finally:
                target.close()
        raise NotAllowed(
            f"Only a trainer can reset the demonstration; {who} cannot. Nothing was changed."
        )
    kept = exercises_in_progress(store)
    remake_keeping(store, [e.id for e in kept])
    return Reset(seed(store), kept)


def _record_refusal(live: Store, person: Person | None, who: str) -> None:
    live.record_access(
        action="command",
        record_kind="demonstration",
        record_id="reset",
        screen="demonstration banner",
        actor=f"{who} (on the demonstration page)" if person else None,
        allowed=False,
        detail="Only a trainer can reset the demonstration.",
    )


def case_of(child_id: str) -> str | None:
    """The example case an audit in the training store is (None for any other audit)."""
    return child_id.removeprefix(CHILD_ID_PREFIX) if child_id.startswith(CHILD_ID_PREFIX) else None


def trainer(store: Store) -> Person:
    """The demonstration's trainer, who is the auditor of every example case."""
    return next(p for p in store.people() if p.name == DEMO_PEOPLE[0][0])
