"""A period's audits as DataFrames: one query per table (three for the answers: scales, feedback
markers and texts), the scales placed into columns by position.

Only what the report uses is read: the scales, the strengths and areas to develop, the child's
"better supported or safer" answer, which feedback was obtained, and the names needed to keep
names out of quotes. Demonstration audits (``demo``) are read only where there is nothing
else (:func:`demonstration`): never mixed with real ones.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
import pandas as pd

from toolkit.forms.loader import registry
from toolkit.reports.period import Period, look_back
from toolkit.store import Store
from toolkit.store.demonstration import only_demonstrations
from toolkit.store.report_data import report_rows, services_and_teams

FORM_ID = "collaborative_case_audit"
OVERALL = "overall.overall_rating"
SELF_KEYS = ("self_assessment_difference.scale", "self_assessment_use_of_sos.scale")
CHILD_Q8 = "child_feedback.q8_better_supported_or_safer"
CHILD_NAME = "child_feedback.child_name"
FEEDBACK_MARKERS = {
    "children": ("child_feedback.date_of_contact", CHILD_Q8),
    "families": ("family_feedback.date_of_contact", "family_feedback.statement_1"),
    "networks": ("network_feedback.date_of_contact", "network_feedback.name_and_role"),
}
#: free-text answers read whole (besides every area's strengths and areas to develop)
TEXT_KEYS = (CHILD_Q8, CHILD_NAME)
#: how the keys of every area's strengths and areas to develop end
TEXT_ENDINGS = (".strengths", ".areas_to_develop")
#: months before the period that trends and repeat audits ("distance travelled") look back over
#: the toolkit's rule (``report_look_back`` in forms/toolkit_decisions.yaml): no source sets one
LOOK_BACK_MONTHS = 12


@dataclass(frozen=True)
class Filters:
    period: Period
    service: str | None = None
    team: str | None = None


@dataclass
class Frames:
    """Everything the report computes from; ``audits`` covers the look-back as well."""

    filters: Filters
    as_of: dt.date
    audits: pd.DataFrame  # one row per audit: ids, team, dates, state, scales as float columns
    texts: pd.DataFrame  # audit_id, field_key, text (strengths, areas to develop, q8)
    actions: pd.DataFrame
    follow_ups: pd.DataFrame
    moderations: pd.DataFrame  # with the moderator's own overall rating
    escalations: pd.DataFrame
    names: frozenset[str]  # every person's and child's name, lower case, to keep out of quotes
    area_keys: list[str]
    area_titles: dict[str, str]
    statement_keys: list[str]
    statement_labels: dict[str, str]

    @property
    def period(self) -> Period:
        return self.filters.period


def form_keys() -> tuple[list[str], dict[str, str], list[str], dict[str, str]]:
    form = registry().latest(FORM_ID)
    fields = form.fields()
    areas = form.scale_keys("area_scale")
    statements = form.scale_keys("family_statement")
    titles = {k: f"{fields[k][1].number or ''} {fields[k][1].title}".strip() for k in areas}
    labels = {k: fields[k][2].label for k in statements}
    return areas, titles, statements, labels


def _utc(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True)


def load(store: Store, filters: Filters, as_of: dt.date | None = None) -> Frames:
    """Read the audits allocated from the look-back start to the end of the period."""
    period = filters.period
    as_of = min(as_of or dt.date.today(), period.last_day)
    areas, titles, statements, labels = form_keys()
    since = dt.datetime.combine(look_back(period, LOOK_BACK_MONTHS), dt.time(), dt.timezone.utc)
    until = dt.datetime.combine(period.end, dt.time(), dt.timezone.utc)
    scale_keys = [*areas, OVERALL, *SELF_KEYS, *statements]
    rows = report_rows(
        store.engine,
        since,
        until,
        service=filters.service,
        team=filters.team,
        live_only=_live_only(store),
        scale_keys=scale_keys,
        markers=[k for pair in FEEDBACK_MARKERS.values() for k in pair],
        text_keys=TEXT_KEYS,
        text_endings=TEXT_ENDINGS,
        rating_key=OVERALL,
    )
    moderations, escalations, follow_ups = rows.moderations, rows.escalations, rows.follow_ups
    audits = _shape_audits(rows.audits, rows.scales, rows.given, scale_keys)
    texts = _texts(rows.texts)
    moderations["agrees"] = moderations.agrees.map(lambda x: None if x is None else bool(x))
    moderations["moderator_rating"] = pd.to_numeric(moderations.moderator_rating, errors="coerce")
    escalations["created_at"] = _utc(escalations.created_at)
    escalations["tasks_due_at"] = _utc(escalations.tasks_due_at)
    follow_ups["done_at"] = _utc(follow_ups.done_at)
    names = {
        part.lower()
        for name in [*rows.people.name, *texts.loc[texts.field_key == CHILD_NAME, "text"]]
        for part in str(name).replace("-", " ").split()
        if len(part) > 1
    }
    return Frames(
        filters=filters,
        as_of=as_of,
        audits=audits,
        texts=texts[texts.field_key != CHILD_NAME].reset_index(drop=True),
        actions=rows.actions,
        follow_ups=follow_ups,
        moderations=moderations,
        escalations=escalations,
        names=frozenset(names),
        area_keys=areas,
        area_titles=titles,
        statement_keys=statements,
        statement_labels=labels,
    )


def _shape_audits(
    audits: pd.DataFrame, scales: list[tuple], given: pd.DataFrame, scale_keys: list[str]
) -> pd.DataFrame:
    """One row per audit with a float column per scale (NaN unanswered) and feedback flags.

    ``scales`` are (audit_id, field_key, value) rows straight from the cursor: they are placed
    into one array by position rather than pivoted, the costliest step of the report otherwise.
    ``given`` holds the feedback markers answered with something other than ``null``.
    """
    audits["created_at"] = _utc(audits.created_at)
    audits["completed_at"] = _utc(audits.completed_at)
    audits = audits.set_index("id")
    grid = np.full((len(audits), len(scale_keys)), np.nan)
    if scales:
        n = len(scales)
        row = audits.index.get_indexer(np.fromiter(map(itemgetter(0), scales), np.int64, n))
        column = np.fromiter(
            map({k: i for i, k in enumerate(scale_keys)}.get, map(itemgetter(1), scales)),
            np.intp,
            n,
        )
        number = pd.to_numeric(np.array([r[2] for r in scales], dtype=object), errors="coerce")
        known = row >= 0  # an audit allocated between the two queries is not in ``audits``
        grid[row[known], column[known]] = np.asarray(number, dtype=float)[known]
    audits = audits.join(pd.DataFrame(grid, index=audits.index, columns=scale_keys))
    for source, keys in FEEDBACK_MARKERS.items():
        ids = given.loc[given.field_key.isin(keys), "audit_id"]
        audits[f"feedback_{source}"] = audits.index.isin(ids)
    audits.index.name = "audit_id"
    return audits


def _texts(rows: list[tuple]) -> pd.DataFrame:
    """(audit_id, field_key, value) rows as audit_id, field_key and text, keeping only texts
    with words in them. The stored JSON is decoded in one call to the parser rather than one
    per answer. Sorted by audit and field, so the report reads the same on every database
    (PostgreSQL returns rows in no particular order)."""
    rows = sorted(rows, key=lambda r: (r[0], r[1]))
    raw = [r[2] or "null" for r in rows]
    decoded = json.loads("[" + ",".join(raw) + "]")
    if len(decoded) != len(raw):  # a value that was not one JSON value: decode one by one
        decoded = [json.loads(v) for v in raw]
    texts = pd.DataFrame([r[:2] for r in rows], columns=["audit_id", "field_key"])
    texts["text"] = decoded
    return texts[np.array([isinstance(t, str) and bool(t.strip()) for t in decoded], dtype=bool)]


def filter_options(store: Store) -> dict[str, list[str]]:
    """The services and teams that have (non-demonstration) audits, for the app's filters."""
    rows = services_and_teams(store.engine, _live_only(store))
    return {
        "services": sorted({r.service for r in rows if r.service}),
        "teams": sorted({r.team for r in rows if r.team}),
    }


#: :func:`demonstration`'s answers
TRAINING, RUN_DEMO = "training", "demo"


def demonstration(store: Store) -> str:
    """Which demonstration the report counts, or "" for a real store, whose demonstration
    audits are left out:

    - ``"training"``: the training store (``?mode=demo``), which holds the example cases only;
    - ``"demo"``: a store whose every audit is a demonstration, as the run command seeds a new
      one. The first real audit recorded in it makes it a real store: from then on its
      demonstration audits are left out, so they are never mixed into real figures.

    (This toolkit's own rule, so a first run shows the reports working.)"""
    from toolkit.training.mode import is_training_url

    if is_training_url(store.url):
        return TRAINING
    return RUN_DEMO if only_demonstrations(store.engine) else ""


def _live_only(store: Store) -> bool:
    return not demonstration(store)
