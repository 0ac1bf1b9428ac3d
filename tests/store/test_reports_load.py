"""The report's narrow loading (only the answers it uses, scales placed by position, texts decoded
in one go) gives the same frames and the same report as the obvious way: every answer of the
period's audits read with pandas, each value decoded on its own, the scales pivoted."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pandas as pd
import pytest
from sqlalchemy import text

from toolkit.demo.generate import generate
from toolkit.reports import Filters, parse_period
from toolkit.reports.compute import build
from toolkit.reports.load import CHILD_NAME, FEEDBACK_MARKERS, OVERALL, SELF_KEYS, TEXT_KEYS, load
from toolkit.reports.privacy import Viewer

AS_OF = dt.date(2026, 10, 1)


def _every_answer(store, ids) -> pd.DataFrame:
    with store.engine.connect() as conn:
        answers = pd.read_sql("select audit_id, field_key, value from answers", conn)
    return answers[answers.audit_id.isin(ids)].sort_values(["audit_id", "field_key"])


def _the_obvious_way(store, frames):
    """The frames' answers rebuilt from every answer of their audits."""
    answers = _every_answer(store, frames.audits.index)
    scale_keys = [*frames.area_keys, OVERALL, *SELF_KEYS, *frames.statement_keys]
    numbers = answers[answers.field_key.isin(scale_keys)]
    wide = (
        numbers.assign(value=pd.to_numeric(numbers.value, errors="coerce"))
        .pivot(index="audit_id", columns="field_key", values="value")
        .reindex(index=frames.audits.index, columns=scale_keys)
        .astype(float)
    )
    audits = frames.audits.drop(columns=scale_keys).join(wide)[frames.audits.columns]
    for source, keys in FEEDBACK_MARKERS.items():
        given = answers[answers.field_key.isin(keys) & (answers.value != "null")]
        audits[f"feedback_{source}"] = audits.index.isin(given.audit_id)
    free = answers[
        answers.field_key.isin(TEXT_KEYS)
        | answers.field_key.str.endswith(".strengths")
        | answers.field_key.str.endswith(".areas_to_develop")
    ]
    texts = free.assign(text=[json.loads(v) if v else None for v in free.value])
    texts = texts[[isinstance(t, str) and t.strip() != "" for t in texts.text]]
    texts = texts[texts.field_key != CHILD_NAME][["audit_id", "field_key", "text"]]
    return audits, texts.reset_index(drop=True)


@pytest.fixture
def generated(store):
    generate(store, 600, seed=4)
    # answers cleared to null and blank texts: read as unanswered, as before
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "update answers set value = 'null' where audit_id % 7 = 0 and "
                "(field_key like '%.collaborative_scale' or field_key like '%_feedback.%')"
            )
        )
        conn.execute(
            text(
                "update answers set value = '\"  \"' where audit_id % 5 = 0 "
                "and field_key like '%.strengths'"
            )
        )
    return store


@pytest.mark.parametrize(
    ("period", "team"),
    [("2024-10-01/2026-09-30", None), ("2026Q3", None), ("2026Q2", "Assessment Team 1")],
)
def test_narrow_loading_matches_reading_every_answer(generated, period, team):
    frames = load(generated, Filters(parse_period(period), team=team), AS_OF)
    audits, texts = _the_obvious_way(generated, frames)
    assert len(frames.audits) > 20
    assert frames.audits[frames.area_keys].isna().any().any()
    pd.testing.assert_frame_equal(frames.audits, audits)
    pd.testing.assert_frame_equal(frames.texts, texts, check_dtype=False)
    viewer = Viewer(key=b"k", min_group=1)  # nothing suppressed: every figure compared
    narrow = build(frames, viewer)
    obvious = build(dataclasses.replace(frames, audits=audits, texts=texts), viewer)
    for mine, theirs in zip(narrow.tables(), obvious.tables(), strict=True):
        assert (mine.key, mine.title, mine.note) == (theirs.key, theirs.title, theirs.note)
        pd.testing.assert_frame_equal(mine.frame, theirs.frame)
        if theirs.chart is not None:
            pd.testing.assert_frame_equal(mine.chart.data, theirs.chart.data)
    themes = next(t for t in narrow.tables() if t.key == "themes").frame
    assert len(themes) > 0
