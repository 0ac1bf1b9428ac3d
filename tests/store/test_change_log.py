"""The insert-only change log reads back exactly as the log that merged bursts as they were
typed: random runs of saves (fields, people, pauses at and around the two-minute edge, grade
changes with a reason, actions whose fields merge) on SQLite and on PostgreSQL, against the
rule as it was written before every save became a row of its own."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from tests.support.audits import new_audit
from toolkit.store import Store, change_log, schema

START = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.timezone.utc)
#: Seconds between one save and the next: typing, and pauses either side of the edge.
GAPS = (0.2, 1, 5, 59.5, 119.0, 119.999, 120.0, 120.001, 121, 600)
FIELDS = ("area_6.auditor_rationale", "area_6.strengths", "action.1", "action.2")


def merged_as_before(earlier: str | None, later: str) -> str:
    """The merge as the store did it when it rewrote the last row.

    (Before the log was insert-only.)"""
    before, after = json.loads(earlier) if earlier else None, json.loads(later)
    if isinstance(before, dict) and isinstance(after, dict):
        return json.dumps({**before, **after})
    return later


def history_as_before(saves: list[dict]) -> list[dict]:
    """What the history showed when each save merged into the last row of its burst."""
    rows: list[dict] = []
    for save in saves:
        last = rows[-1] if rows else None
        if (
            save["reason"] is None
            and last is not None
            and last["field_key"] == save["field_key"]
            and last["changed_by"] == save["changed_by"]
            and last["reason"] is None
            and (save["at"] - last["changed_at"]).total_seconds() < change_log.CHANGE_BURST_SECONDS
        ):
            last["new"] = merged_as_before(last["new"], save["new"])
            last["changed_at"] = save["at"]
            continue
        rows.append(
            {
                "field_key": save["field_key"],
                "old": save["old"],
                "new": save["new"],
                "changed_by": save["changed_by"],
                "changed_at": save["at"],
                "reason": save["reason"],
            }
        )
    return [
        {
            **r,
            "old": json.loads(r["old"]) if r["old"] else None,
            "new": json.loads(r["new"]) if r["new"] else None,
        }
        for r in rows
    ]


def random_saves(rng: random.Random, people: list[int], count: int) -> list[dict]:
    at, saves = START, []
    for n in range(count):
        at += dt.timedelta(seconds=rng.choice(GAPS))
        key = rng.choice(FIELDS) if rng.random() < 0.3 or not saves else saves[-1]["field_key"]
        if key.startswith("action."):
            new = json.dumps({rng.choice(("what", "who", "due")): f"v{n}"})
        else:
            new = json.dumps("typed " * rng.randint(1, 5) + str(n))
        saves.append(
            {
                "field_key": key,
                "old": None if rng.random() < 0.2 else json.dumps(f"was {n}"),
                "new": new,
                "changed_by": rng.choice(people) if rng.random() < 0.2 else people[0],
                "at": at,
                "reason": "agreed with the moderator" if rng.random() < 0.05 else None,
            }
        )
    return saves


@pytest.fixture
def store(database_url: str):
    s = Store(database_url)
    yield s
    s.close()


@pytest.mark.parametrize("seed", range(4))
def test_the_history_of_every_save_is_the_history_merged_as_typed(store: Store, seed: int):
    auditor = store.add_person("Ama Auditor", ["auditor"])
    practitioner = store.add_person("Pat Practitioner", ["practitioner"])
    audit = new_audit(store, auditor, practitioner)
    saves = random_saves(random.Random(seed), [auditor.id, practitioner.id], 300)
    with store.unit_of_work() as work:
        conn = work.conn
        for s in saves:
            change_log.append(
                conn, audit.id, s["field_key"], s["old"], s["new"], s["changed_by"], s["at"],
                s["reason"],
            )  # fmt: skip
    expected = history_as_before(saves)
    assert 20 < len(expected) < 250  # the runs hold bursts and breaks alike
    assert store.history(audit.id, auditor) == expected
    with store.engine.connect() as conn:
        rows = conn.execute(schema.changes.select().where(schema.changes.c.audit_id == audit.id))
        assert len(rows.all()) == len(saves)  # every save kept as it was sent
