"""Calibration exercises' rows, in the training store: exercises, the learners who joined by
name, and their scores (each a revisioned save, logged with the learner's name).

The rules (who starts an exercise, who sees its scores, what a learner scores) are
``toolkit/training/calibration.py``'s; this module only reads and writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, insert, select

import toolkit.store.schema as schema
from toolkit.store.errors import NotFound
from toolkit.store.revisioned import Saved, clear_revisioned, record_change_log, save_revisioned
from toolkit.store.rows import inserted_id
from toolkit.store.store import Store
from toolkit.store.times import as_utc


def exercise_values(row: Any) -> dict[str, Any]:
    """An exercise row: id, code, case_id, created_by, created_at (in UTC)."""
    made = row.created_at
    return {
        "id": row.id,
        "code": row.code,
        "case_id": row.case_id,
        "created_by": row.created_by,
        "created_at": as_utc(made) if made is not None else None,
    }


def insert_exercise(
    store: Store, code: str, case_id: str, created_by: str, created_at: dt.datetime
) -> int:
    with store.unit_of_work() as work:
        return inserted_id(
            work.conn.execute(
                insert(schema.calibration_exercises).values(
                    code=code, case_id=case_id, created_at=created_at, created_by=created_by
                )
            )
        )


def exercise_by_code(store: Store, code: str) -> dict[str, Any] | None:
    t = schema.calibration_exercises
    with store.engine.connect() as conn:
        row = conn.execute(select(t).where(t.c.code == code)).first()
    return exercise_values(row) if row is not None else None


def exercises_by(store: Store, created_by: str) -> list[tuple[dict[str, Any], int]]:
    """The exercises started by ``created_by``, newest first, each with how many joined."""
    t, learners = schema.calibration_exercises, schema.calibration_learners
    joined = (
        select(learners.c.exercise_id, func.count().label("n"))
        .group_by(learners.c.exercise_id)
        .subquery()
    )
    query = (
        select(t, func.coalesce(joined.c.n, 0).label("learners"))
        .select_from(t.outerjoin(joined, joined.c.exercise_id == t.c.id))
        .where(t.c.created_by == created_by)
        .order_by(t.c.id.desc())
    )
    with store.engine.connect() as conn:
        return [(exercise_values(row), int(row.learners)) for row in conn.execute(query)]


def join_learner(store: Store, exercise_id: int, name: str, joined_at: dt.datetime) -> int:
    """The learner's id: the one of that name in the exercise, or a new one."""
    t = schema.calibration_learners
    with store.unit_of_work() as work:
        conn = work.conn
        found = conn.execute(
            select(t.c.id).where(t.c.exercise_id == exercise_id, t.c.name == name)
        ).scalar()
        if found is not None:
            return int(found)
        return inserted_id(
            conn.execute(insert(t).values(exercise_id=exercise_id, name=name, joined_at=joined_at))
        )


def save_score(
    store: Store,
    learner_id: int,
    item: str,
    value: int | None,
    expected_revision: int | None = None,
) -> Saved | None:
    """Save one checked score (``None`` takes it back), logged with the learner's name;
    :class:`NotFound` for an unknown learner. Returns what is stored (None once taken back)."""
    t, learners = schema.calibration_scores, schema.calibration_learners
    with store.unit_of_work() as work:
        name = work.conn.execute(
            select(learners.c.name).where(learners.c.id == learner_id)
        ).scalar()
        if name is None:
            raise NotFound(f"There is no learner {learner_id} in this exercise.")
        log = record_change_log(work, "calibration_score", learner_id, item, None, name)
        keys = {"learner_id": learner_id, "item": item}
        what = "this score (in another tab or window)"
        if value is None:
            clear_revisioned(
                work, t, keys, ("value",), expected_revision=expected_revision, log=log,
                what=what,
            )  # fmt: skip
            return None
        return save_revisioned(
            work, t, keys, {"value": value}, expected_revision=expected_revision,
            person=None, log=log, what=what,
        )  # fmt: skip


def learner_revisions(store: Store, learner_id: int) -> dict[str, int]:
    t = schema.calibration_scores
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.c.item, t.c.revision).where(t.c.learner_id == learner_id))
        return {item: revision for item, revision in rows.all()}


def learner_scores(store: Store, learner_id: int) -> dict[str, int]:
    t = schema.calibration_scores
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.c.item, t.c.value).where(t.c.learner_id == learner_id))
        return {item: value for item, value in rows.all()}


def exercise_scores(store: Store, exercise_id: int) -> dict[str, dict[str, int]]:
    """Learner name → item → value, learners in the order they joined (those with no score
    yet too)."""
    learners, scores = schema.calibration_learners, schema.calibration_scores
    query = (
        select(learners.c.name, scores.c.item, scores.c.value)
        .select_from(learners.outerjoin(scores))
        .where(learners.c.exercise_id == exercise_id)
        .order_by(learners.c.id)
    )
    found: dict[str, dict[str, int]] = {}
    with store.engine.connect() as conn:
        for name, item, value in conn.execute(query):
            given = found.setdefault(name, {})
            if item is not None:
                given[item] = value
    return found


def exercises_in_progress(
    store: Store, item_count: int, started_after: dt.datetime
) -> list[dict[str, Any]]:
    """The exercises still under way: a learner has given fewer than ``item_count`` scores,
    or nobody has joined yet and it was started after ``started_after`` (the room may be
    joining). Oldest first. What counts as under way is the workflow's rule
    (``toolkit/training/calibration.py``); this only finds the rows."""
    t, learners, scores = (
        schema.calibration_exercises,
        schema.calibration_learners,
        schema.calibration_scores,
    )
    given = (
        select(learners.c.id, learners.c.exercise_id, func.count(scores.c.item).label("n"))
        .select_from(learners.outerjoin(scores))
        .group_by(learners.c.id, learners.c.exercise_id)
        .subquery()
    )
    unfinished = select(given.c.exercise_id).where(given.c.n < item_count)
    anyone = select(learners.c.exercise_id)
    query = (
        select(t)
        .where(t.c.id.in_(unfinished) | (t.c.id.not_in(anyone) & (t.c.created_at > started_after)))
        .order_by(t.c.id)
    )
    with store.engine.connect() as conn:
        return [exercise_values(row) for row in conn.execute(query)]


def remake_keeping(store: Store, keep: list[int]) -> None:
    """Drop every table of the training store and make them again empty, but for the
    exercises ``keep`` (ids): their rows, learners, scores and the scores' change log stay
    as they were, ids included, so a learner's open page goes on saving."""
    ex, learners, scores = (
        schema.calibration_exercises,
        schema.calibration_learners,
        schema.calibration_scores,
    )
    changes = schema.record_changes
    with store.engine.begin() as conn:
        kept_learners = select(learners.c.id).where(learners.c.exercise_id.in_(keep))
        log = [
            dict(r._mapping)
            for r in conn.execute(
                select(changes).where(
                    changes.c.kind == "calibration_score",
                    changes.c.record_id.in_(kept_learners),
                )
            )
        ]
        conn.execute(scores.delete().where(scores.c.learner_id.not_in(kept_learners)))
        conn.execute(learners.delete().where(learners.c.exercise_id.not_in(keep)))
        conn.execute(ex.delete().where(ex.c.id.not_in(keep)))
    schema.metadata.drop_all(store.engine)
    schema.metadata.create_all(store.engine)
    schema.training_metadata.create_all(store.engine)
    if log:
        with store.engine.begin() as conn:
            conn.execute(insert(changes), [{**row, "changed_by": None} for row in log])
