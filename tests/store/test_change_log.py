"""The insert-only change log reads back as the rule says: one person's edits of one field,
each within two minutes of their last edit of it, are one entry, whatever happened in other
fields meanwhile. Random runs of saves (fields, people, pauses at and around the two-minute
edge, grade changes with a reason, actions whose fields merge) on SQLite and on PostgreSQL,
against the rule written out in Python."""

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


def history_by_rule(saves: list[dict]) -> list[dict]:
    """The history as the rule says: each save merged into its field's last entry when it
    continues that entry's burst."""
    rows: list[dict] = []
    last_of: dict[str, dict] = {}
    for save in saves:
        last = last_of.get(save["field_key"])
        if (
            save["reason"] is None
            and last is not None
            and last["changed_by"] == save["changed_by"]
            and last["reason"] is None
            and (save["at"] - last["changed_at"]).total_seconds() < change_log.CHANGE_BURST_SECONDS
        ):
            last["new"] = merged_as_before(last["new"], save["new"])
            last["changed_at"] = save["at"]
            continue
        last_of[save["field_key"]] = {
            "field_key": save["field_key"],
            "old": save["old"],
            "new": save["new"],
            "changed_by": save["changed_by"],
            "changed_at": save["at"],
            "reason": save["reason"],
        }
        rows.append(last_of[save["field_key"]])
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
    expected = history_by_rule(saves)
    assert 20 < len(expected) < 250  # the runs hold bursts and breaks alike
    assert store.history(audit.id, auditor) == expected
    with store.engine.connect() as conn:
        rows = conn.execute(schema.changes.select().where(schema.changes.c.audit_id == audit.id))
        assert len(rows.all()) == len(saves)  # every save kept as it was sent


def test_two_people_typing_in_two_fields_at_once_are_one_entry_each(store: Store):
    """The auditor and the practitioner type at the same time, keystrokes interleaved: each
    person's field is one entry, from its first old value to its last text."""
    auditor = store.add_person("Ama Auditor", ["auditor"])
    practitioner = store.add_person("Pat Practitioner", ["practitioner"])
    audit = new_audit(store, auditor, practitioner)
    words = {"area_6.strengths": "Mum keeps every visit", "area_6.auditor_rationale": "Seen"}
    who = {"area_6.strengths": auditor.id, "area_6.auditor_rationale": practitioner.id}
    at = START
    with store.unit_of_work() as work:
        for n in range(1, 22):
            for key, text in words.items():
                at += dt.timedelta(seconds=0.05)
                old = json.dumps(text[: n - 1]) if n > 1 else None
                new = json.dumps(text[:n])
                change_log.append(work.conn, audit.id, key, old, new, who[key], at)
    history = store.history(audit.id, auditor)
    assert [(h["field_key"], h["old"], h["new"]) for h in history] == [
        ("area_6.strengths", None, "Mum keeps every visit"),
        ("area_6.auditor_rationale", None, "Seen"),
    ]
