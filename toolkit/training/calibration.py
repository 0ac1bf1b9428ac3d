"""Calibration exercises: a room scores the same example case, and the trainer sees the spread.

Learners give a name only (no account). Scores are saved as given, in the training store's
``calibration_*`` tables. The spread per area (min, median, max) beside the model scale is what
the room discusses; a spread of 3 or more gets a prompt.

A person with the trainer role starts an exercise; it records who, and only that trainer sees
its scores and the model beside them (:meth:`CalibrationStore.check_trainer`, the one place
that refuses anyone else). The trainer is a person of the register the page signs people in
against — the live one, or the demonstration's on a ``?mode=demo`` page — recorded as
``<register>:<person id>`` so a demonstration person never matches a live one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import secrets
from collections import Counter
from dataclasses import dataclass

import toolkit.store.calibration as stored
from toolkit.core.permissions import Person
from toolkit.core.scoring import ScaleValueError, check_scale_value, grade_for
from toolkit.core.spreadsheets import neutralise
from toolkit.core.text import check_text
from toolkit.forms.loader import load_grade_bands
from toolkit.store import InvalidAnswer, NotAllowed, NotFound, Store, upgrade
from toolkit.store.revisioned import Saved
from toolkit.supervision.scaling import Spread, spread
from toolkit.training.cases import ExampleCase, example_cases, scaled_areas

OVERALL = "overall"
DISCUSS_AT = 3  # a spread (max − min) this wide or wider gets a discussion prompt
NAME_MAX = 80
_CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud in a room
TRAINER_ROLE = "trainer"
#: The toolkit's own rule (no source states one): an exercise is in progress while a learner
#: who joined has not given every score, or, with nobody joined yet, for this long after it
#: was started (the room may still be joining). Resetting the demonstration keeps these.
UNJOINED_IN_PROGRESS_FOR = dt.timedelta(hours=12)

log = logging.getLogger("toolkit.training")


@dataclass(frozen=True)
class Exercise:
    id: int
    code: str
    case_id: str
    created_by: str | None = None  # the trainer who started it ("<register>:<person id>")
    created_at: dt.datetime | None = None

    @property
    def case(self) -> ExampleCase:
        return example_cases().case(self.case_id)


@dataclass(frozen=True)
class AreaResult:
    area_id: str
    title: str
    model: int
    values: list[int]
    spread: Spread | None

    @property
    def discuss(self) -> bool:
        return self.spread is not None and self.spread.range >= DISCUSS_AT


def items() -> list[str]:
    """What a learner scores: every scaled area of the audit, then the overall rating."""
    return [area_id for area_id, _t, _k in scaled_areas()] + [OVERALL]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class CalibrationStore:
    """Exercises, learners and their scores, in the training store only.

    ``people`` is the register trainers are signed in against (default: the training store's
    own, the demonstration people); it only names who started an exercise."""

    def __init__(self, store: Store, people: Store | None = None) -> None:
        from toolkit.training.mode import is_training_url

        if not is_training_url(store.url):
            raise PermissionError("Calibration exercises live in the training store only.")
        self.store = store
        self.register = "demonstration" if is_training_url((people or store).url) else "live"
        upgrade.set_up_training_tables(store.engine)

    def trainer_key(self, person: Person) -> str:
        """How an exercise records the trainer who started it."""
        return f"{self.register}:{person.id}"

    def start(self, case_id: str, trainer: Person) -> Exercise:
        """A new exercise on an example case, with a short code to give the room; only a
        trainer starts one, and only they will see its scores."""
        if TRAINER_ROLE not in trainer.roles:
            raise NotAllowed(
                f"Calibration exercises are started by trainers; {trainer.name} cannot start one."
            )
        example_cases().case(case_id)  # KeyError for an unknown case
        code = "".join(secrets.choice(_CODE_LETTERS) for _ in range(6))
        created_at, created_by = _now(), self.trainer_key(trainer)
        new_id = stored.insert_exercise(self.store, code, case_id, created_by, created_at)
        return Exercise(new_id, code, case_id, created_by, created_at)

    def exercise(self, code: str) -> Exercise:
        """The exercise a learner joins by its code (its scores are the trainer's only)."""
        found = stored.exercise_by_code(self.store, code.strip().upper())
        if found is None:
            raise NotFound(f"There is no exercise with the code {code.strip()!r}. Check the code.")
        return Exercise(**found)

    def exercises_of(self, trainer: Person) -> list[tuple[Exercise, int]]:
        """The exercises ``trainer`` started, newest first, each with how many learners joined."""
        return [
            (Exercise(**found), learners)
            for found, learners in stored.exercises_by(self.store, self.trainer_key(trainer))
        ]

    def check_trainer(self, exercise: Exercise, person: Person | None) -> None:
        """Only the trainer who started ``exercise`` sees its scores and the model beside them:
        anyone else (a learner who adds ``&view=trainer``, another trainer, nobody signed in)
        is refused here, and the refusal is logged with who and which exercise."""
        if person is not None and exercise.created_by == self.trainer_key(person):
            return
        who = f"{person.name} ({self.trainer_key(person)})" if person else "nobody signed in"
        log.warning(
            "Refused the trainer's view of calibration exercise %s (started by %s) to %s",
            exercise.code,
            exercise.created_by or "no one recorded",
            who,
        )
        raise NotAllowed(
            f"Only the trainer who started exercise {exercise.code} can see its scores. "
            "To score the case, open the exercise's link without “view=trainer”."
        )

    def trainer_view(self, code: str, person: Person | None) -> Exercise:
        """The exercise behind a trainer's view, for its trainer only (NotAllowed otherwise)."""
        exercise = self.exercise(code)
        self.check_trainer(exercise, person)
        return exercise

    def join(self, exercise: Exercise, name: str) -> int:
        """The learner's id; the same name again is the same learner (a refresh keeps answers)."""
        name = " ".join(check_text(name, label="Your name", max_length=10 * NAME_MAX).split())
        if not name:
            raise InvalidAnswer("Type your name first.")
        if len(name) > NAME_MAX:
            raise InvalidAnswer(f"A name can be at most {NAME_MAX} characters.")
        return stored.join_learner(self.store, exercise.id, name, _now())

    def score(
        self,
        learner_id: int,
        item: str,
        value: int | None,
        expected_revision: int | None = None,
    ) -> Saved | None:
        """Save one score as given (``None`` takes it back); bad input changes nothing. With
        the revision the screen loaded (``expected_revision``), a score changed since (the
        same learner in another tab) is a :class:`Conflict` and nothing is written. Every
        change goes to the change log with the learner's name. Returns what is stored (None
        once taken back)."""
        if item not in items():
            raise InvalidAnswer(f"{item!r} is not an area of the audit.")
        if value is not None:
            try:
                value = check_scale_value(value)
            except ScaleValueError as exc:
                raise InvalidAnswer(str(exc)) from exc
        return stored.save_score(self.store, learner_id, item, value, expected_revision)

    def learner_revisions(self, learner_id: int) -> dict[str, int]:
        """The revision of each score the learner gave (what the screen passes back)."""
        return stored.learner_revisions(self.store, learner_id)

    def scores(self, exercise: Exercise, trainer: Person | None) -> dict[str, dict[str, int]]:
        """Learner name → item → value, learners in the order they joined: for the trainer who
        started the exercise only."""
        self.check_trainer(exercise, trainer)
        return stored.exercise_scores(self.store, exercise.id)

    def learner_scores(self, learner_id: int) -> dict[str, int]:
        return stored.learner_scores(self.store, learner_id)


def exercises_in_progress(store: Store) -> list[Exercise]:
    """The exercises a reset of the demonstration must keep (see
    :data:`UNJOINED_IN_PROGRESS_FOR`), oldest first."""
    upgrade.set_up_training_tables(store.engine)
    since = _now() - UNJOINED_IN_PROGRESS_FOR
    return [Exercise(**found) for found in stored.exercises_in_progress(store, len(items()), since)]


# --- what the trainer sees (pure) ---------------------------------------------------------------


def area_results(case: ExampleCase, scores: dict[str, dict[str, int]]) -> list[AreaResult]:
    """For every area: the learners' scales, their spread and the model scale."""
    results = []
    for area_id, title, _key in scaled_areas():
        values = [given[area_id] for given in scores.values() if area_id in given]
        results.append(
            AreaResult(
                area_id, title, case.model_audit.areas[area_id].scale, values, spread(values)
            )
        )
    return results


def overall_grades(scores: dict[str, dict[str, int]]) -> Counter[str]:
    """How many learners gave each grade (from their overall 0–10 rating)."""
    bands = load_grade_bands()
    counts = Counter({band.grade: 0 for band in bands.bands})
    counts.update(grade_for(g[OVERALL], bands) for g in scores.values() if OVERALL in g)
    return counts


def discussion_prompt(result: AreaResult) -> str:
    """What to ask the room about an area where learners are 3 or more points apart."""
    s = result.spread
    assert s is not None
    return (
        f"Scores run from {s.minimum} to {s.maximum} (model {result.model}). "
        f"Ask someone who scored {s.minimum} and someone who scored {s.maximum}: what did you "
        "see in the file that made you scale there, and what would move you one point?"
    )


def results_csv(case: ExampleCase, scores: dict[str, dict[str, int]]) -> bytes:
    """One row per learner, one column per area and the overall rating, then the model row.
    Learners' names are neutralised so a spreadsheet never runs them as formulas."""
    order = items()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Learner", *order, "overall grade"])
    bands = load_grade_bands()
    for name, given in scores.items():
        grade = grade_for(given[OVERALL], bands) if OVERALL in given else ""
        writer.writerow([neutralise(name), *(given.get(i, "") for i in order), grade])
    model = [case.model_audit.areas[i].scale for i in order[:-1]]
    rating = case.model_audit.overall_rating
    writer.writerow(["Model audit", *model, rating, grade_for(rating, bands)])
    return out.getvalue().encode("utf-8-sig")  # a BOM so Excel reads the names' accents
