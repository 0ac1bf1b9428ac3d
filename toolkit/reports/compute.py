"""The report's figures, as pure functions of the loaded :class:`Frames`.

Which audits count where:

- *allocated in the period*: the audit was created (allocated) in the period;
- *completed in the period*: its completion falls in the period; every "how well", "better
  off" and "themes" figure is about these audits;
- *overdue* is judged as at the report's date (the period's last day, or today if sooner):
  an audit allocated in the period and not completed within :data:`COMPLETE_WITHIN_DAYS` days
  (the toolkit's rule, ``audit_overdue`` in ``forms/toolkit_decisions.yaml``: the framework
  sets no completion timescale),
  and a follow-up (due the 5th working day after completion) not done by its due date;
- trends run over the period and the :data:`LOOK_BACK_MONTHS` months before it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache

import pandas as pd

from toolkit.forms.loader import load_grade_bands, toolkit_decisions
from toolkit.reports.disclosure import WITHHELD, Key, Withholding, share_of, withheld_breakdown
from toolkit.reports.load import CHILD_Q8, LOOK_BACK_MONTHS, OVERALL, SELF_KEYS, Frames
from toolkit.reports.model import Chart, Report, Section, Table
from toolkit.reports.privacy import (
    Viewer,
    mentions_a_name,
    suppress_small_rows,
    suppressed,
)
from toolkit.reports.stats import cohen_kappa, month_of, quarter_label, shares_by, spreads
from toolkit.reports.themes import quotes, top_phrases

COMPLETE_WITHIN_DAYS = toolkit_decisions().number("audit_overdue")
FEEDBACK_SOURCES = ("children", "families", "networks")
THEMES_PER_AREA = 3
QUOTES_PER_THEME = 2
DRIFT_ROWS = 15
__all__ = ["COMPLETE_WITHIN_DAYS", "LOOK_BACK_MONTHS", "build"]


@lru_cache(maxsize=1)
def grade_table() -> tuple[list[str], dict[int, str]]:
    """Grades from worst to best, and the grade of each 0–10 rating (from grade_bands.yaml)."""
    bands = load_grade_bands()
    order = [b.grade for b in sorted(bands.bands, key=lambda b: b.min)]
    return order, {v: b.grade for b in bands.bands for v in range(b.min, b.max + 1)}


def _ts(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day, tz="UTC")


def _num(value: float, places: int = 1) -> object:
    return "–" if value is None or pd.isna(value) else round(float(value), places)


def completed_in_period(f: Frames) -> pd.DataFrame:
    a = f.audits
    done = a.completed_at
    return a[(done >= _ts(f.period.start)) & (done < _ts(f.period.end))]


def grades_of(ratings: pd.Series) -> pd.Series:
    _, lookup = grade_table()
    return ratings.map(lambda r: lookup.get(int(r)) if pd.notna(r) else None)


# --- How much -------------------------------------------------------------------------------

#: the by-team table's columns → the measure of the period each adds up to
TEAM_COLUMNS = {
    "Allocated": "allocated",
    "Completed": "completed",
    "Not completed in time": "late",
    "Feedback from children": "feedback_children",
    "Feedback from families": "feedback_families",
}
WITHHELD_PART = "Withheld (counts below 5, and any hidden beside them)"
WITHHELD_NOTE = (
    "Counts from 1 to 4 are shown as <5; – marks a count withheld so that none of them can be "
    "worked out from a total."
)


def activity(f: Frames, held: Withholding) -> pd.DataFrame:
    """Register the period's activity counts, overall and by team (each team's adding up to
    the period's); returns the by-team counts (index: team, ``None`` for audits with none)."""
    a = f.audits
    start, end, as_of = _ts(f.period.start), _ts(f.period.end), _ts(f.as_of + dt.timedelta(days=1))
    allocated = (a.created_at >= start) & (a.created_at < end)
    done_by_then = a.completed_at.notna() & (a.completed_at < as_of)
    late = (
        allocated & ~done_by_then & (a.created_at < as_of - pd.Timedelta(days=COMPLETE_WITHIN_DAYS))
    )
    completed = completed_in_period(f)
    in_period = pd.Series(a.index.isin(completed.index), index=a.index)
    fu = f.follow_ups[f.follow_ups.audit_id.isin(completed.index)]
    fu_late = (pd.to_datetime(fu.due_date) < pd.Timestamp(f.as_of)) & (
        fu.done_at.isna() | (fu.done_at >= as_of)
    )
    mods = f.moderations[f.moderations.audit_id.isin(completed.index)]
    measures = {
        "allocated": allocated.sum(),
        "completed": len(completed),
        "late": late.sum(),
        "follow_ups": len(fu),  # never shown: the whole of the overdue follow-ups' share
        "follow_ups_late": fu_late.sum(),
        "moderated": mods.audit_id.nunique(),
        **{f"feedback_{s}": completed[f"feedback_{s}"].sum() for s in FEEDBACK_SOURCES},
    }
    for measure, value in measures.items():
        held.count(("activity", measure), value)
    team = a.team.where(a.team.notna(), None)
    by_team = pd.DataFrame(
        {
            "allocated": allocated.groupby(team, dropna=False).sum(),
            "completed": in_period.groupby(team, dropna=False).sum(),
            "late": late.groupby(team, dropna=False).sum(),
            **{
                f"feedback_{s}": (in_period & a[f"feedback_{s}"].fillna(False).astype(bool))
                .groupby(team, dropna=False)
                .sum()
                for s in ("children", "families")
            },
        }
    ).fillna(0)
    for column in TEAM_COLUMNS.values():
        parts = [
            held.count(("team", name, column), row[column], unseen=pd.isna(name))
            for name, row in by_team.iterrows()
        ]
        held.adds_up(parts, ("activity", column))
    return by_team


def how_much(f: Frames, held: Withholding, by_team: pd.DataFrame) -> Section:
    def count(measure: str) -> object:
        return held.shown(("activity", measure))

    def share(measure: str, whole: str) -> str:
        return held.share(("activity", measure), ("activity", whole))

    rows = [
        ("Audits allocated", count("allocated"), ""),
        ("Audits completed", count("completed"), ""),
        (
            f"Allocated in the period and not completed within {COMPLETE_WITHIN_DAYS} days "
            "(the toolkit’s setting)",
            count("late"),
            share("late", "allocated"),
        ),
        (
            "Follow-ups past their due date and not done",
            count("follow_ups_late"),
            share("follow_ups_late", "follow_ups"),
        ),
        ("Audits moderated", count("moderated"), share("moderated", "completed")),
    ]
    for source in FEEDBACK_SOURCES:
        key = f"feedback_{source}"
        rows.append((f"Feedback obtained from {source}", count(key), share(key, "completed")))
    totals = pd.DataFrame(rows, columns=["Measure", "Audits", "Share"])
    teams = sorted(str(t) for t in by_team.index if pd.notna(t))
    table = pd.DataFrame(
        {
            "Team": teams,
            **{
                heading: [held.shown(("team", t, column)) for t in teams]
                for heading, column in TEAM_COLUMNS.items()
            },
        }
    )
    return Section(
        "how_much",
        "How much did we do?",
        [
            Table(
                "activity",
                "Audits, moderation and feedback",
                totals,
                "Shares of feedback and moderation are of the audits completed in the period; a "
                "share is shown only when both its counts are. "
                f"Overdue is as at {f.as_of:%d %B %Y}. {WITHHELD_NOTE}",
            ),
            Table("activity_by_team", "By team", table, WITHHELD_NOTE),
        ],
    )


# --- How well -------------------------------------------------------------------------------


def grade_counts(f: Frames, held: Withholding) -> dict[str, pd.DataFrame]:
    """Register the grade counts of the period, of each month and of each quarter, with how
    they add up: a month's grades to its audits, a quarter's months to the quarter, the period's
    grades to the audits completed in it (and to its months, when it is whole months).
    Returns the counts per month and quarter (rows) and grade (columns), and the period's."""
    order, _ = grade_table()
    completed = completed_in_period(f)
    completed_all = f.audits[
        f.audits.completed_at.notna() & (f.audits.completed_at < _ts(f.period.end))
    ]
    graded = completed_all[completed_all[OVERALL].notna()]
    found = {
        "month": shares_by(grades_of(graded[OVERALL]), month_of(graded.completed_at), order),
        "quarter": shares_by(grades_of(graded[OVERALL]), quarter_label(graded.completed_at), order),
    }
    period = grades_of(completed[OVERALL]).value_counts().reindex(order, fill_value=0)
    found["period"] = pd.DataFrame([period.values], index=["period"], columns=order)
    for by, counts in found.items():
        for label, row in counts.iterrows():
            parts = [held.count(("grade", by, label, g), row[g]) for g in order]
            held.adds_up(parts, held.count(("rated", by, label), row.sum()))
    rated = int(period.sum())
    unrated = held.count(("unrated", "period"), len(completed) - rated, unseen=True)
    held.adds_up([("rated", "period", "period"), unrated], ("activity", "completed"))
    month_quarter = {m: f"{m[:4]}Q{(int(m[5:7]) - 1) // 3 + 1}" for m in found["month"].index}
    groups: dict[str, list[str]] = {}
    for month, quarter in month_quarter.items():
        groups.setdefault(quarter, []).append(month)
    if f.period.start.day == 1 and f.period.end.day == 1:  # whole months
        groups["period"] = [m for m in found["month"].index if _in_period(m, f)]
    for total, months in groups.items():
        by = "period" if total == "period" else "quarter"
        for g in order:
            held.adds_up([("grade", "month", m, g) for m in months], ("grade", by, total, g))
        held.adds_up([("rated", "month", m) for m in months], ("rated", by, total))
    return found


def _in_period(month: str, f: Frames) -> bool:
    first = dt.date(int(month[:4]), int(month[5:7]), 1)
    return f.period.start <= first < f.period.end


def _stacked(
    held: Withholding,
    counts: pd.DataFrame,
    part: Callable[[object, str], Key],
    whole: Callable[[object], Key],
) -> pd.DataFrame:
    """Shares of each shown count in the rows whose total is shown; the counts withheld in a
    row drawn together as one grey part (the total minus the shown ones: nothing more).
    ``part(row, column)`` and ``whole(row)`` are the counts' keys in ``held``."""
    order = list(counts.columns)
    rows = {}
    for label, row in counts.iterrows():
        if not held.is_shown(whole(label)) or not row.sum():
            continue
        shown = {c: row[c] if held.is_shown(part(label, c)) else 0 for c in order}
        rows[label] = {**shown, WITHHELD_PART: row.sum() - sum(shown.values())}
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=[*order, WITHHELD_PART])
    frame = frame.astype(float)
    frame = frame.div(frame.sum(axis=1), axis=0) if len(frame) else frame
    return frame if frame[WITHHELD_PART].any() else frame[order]


def _trend(held: Withholding, counts: pd.DataFrame, by: str) -> Table:
    order, _ = grade_table()
    frame = pd.DataFrame(
        {
            by.capitalize(): list(counts.index),
            **{g: [held.shown(("grade", by, r, g)) for r in counts.index] for g in order},
            "Audits": [held.shown(("rated", by, r)) for r in counts.index],
        }
    )
    return Table(
        f"grades_by_{by}",
        f"Grades by {by} of completion",
        frame,
        f"From {counts.index.min() if len(counts) else '–'}: the period and the "
        f"{LOOK_BACK_MONTHS} months before it. {WITHHELD_NOTE} The chart leaves out {by}s "
        "whose total is withheld, and draws a row's withheld counts together in grey.",
        Chart(
            "stacked",
            _stacked(
                held,
                counts,
                lambda r, g: ("grade", by, r, g),
                lambda r: ("rated", by, r),
            ),
            "Share of audits",
            (0, 1),
        ),
    )


def _grades(held: Withholding, period: pd.DataFrame) -> Table:
    order, _ = grade_table()
    keys = [("grade", "period", "period", g) for g in order]
    whole = ("rated", "period", "period")
    distribution = pd.DataFrame(
        {
            "Grade": order,
            "Audits": [held.shown(k) for k in keys],
            "Share": [held.share(k, whole) for k in keys],
        }
    )
    drawn = [float(held.values[k]) if held.is_shown(k) else float("nan") for k in keys]
    bars = pd.DataFrame({"Audits": drawn}, index=order)
    if not any(n > 0 for n in drawn if n == n):
        bars = bars.iloc[0:0]  # nothing shown to draw: the chart says so, on no axis
    return Table(
        "grades",
        "Overall grades of the audits completed",
        distribution,
        "The grade of the auditor's overall rating (0–2 Inadequate, 3–5 Requires improvement, "
        f"6 Good, 7–10 Outstanding). {WITHHELD_NOTE} The chart draws only the counts shown.",
        Chart(
            "bars",
            bars,
            "Audits",
            marks={g: str(held.shown(k)) for g, k in zip(order, keys, strict=True)},
        ),
    )


def how_well(f: Frames, v: Viewer, held: Withholding, grades: dict[str, pd.DataFrame]) -> Section:
    completed = completed_in_period(f)
    completed_all = f.audits[
        f.audits.completed_at.notna() & (f.audits.completed_at < _ts(f.period.end))
    ]
    tables = [
        _grades(held, grades["period"]),
        _trend(held, grades["month"], "month"),
        _trend(held, grades["quarter"], "quarter"),
        _areas(f, completed, v),
        _self_assessment(completed, v),
        *_moderation(f, completed, completed_all, v),
        _family_statements(f, completed_all, v),
    ]
    return Section("how_well", "How well did we do it?", tables)


def _areas(f: Frames, completed: pd.DataFrame, v: Viewer) -> Table:
    s = spreads(completed[f.area_keys])
    s["Area"] = [f.area_titles[k] for k in s.index]
    s = s.sort_values(["median", "q1", "mean"])
    frame = pd.DataFrame(
        {
            "Area": s.Area,
            "Audits": s.n.astype(int),
            "Median": s["median"].map(_num),
            "Lower quartile": s.q1.map(_num),
            "Upper quartile": s.q3.map(_num),
            "IQR": s.iqr.map(_num),
        }
    ).reset_index(drop=True)
    frame = suppress_small_rows(
        frame, "Audits", ["Median", "Lower quartile", "Upper quartile", "IQR"], v.min_group
    )
    chartable = s[s.n >= v.min_group]
    return Table(
        "areas",
        "Each area's scale, weakest first",
        frame,
        "Median and quartiles of the 0–10 scale (linear interpolation); the IQR is the spread of "
        "the middle half. Sorted by median, then lower quartile.",
        Chart("boxes", chartable.set_index("Area")[["q1", "median", "q3"]], "Scale (0–10)"),
    )


def _self_assessment(completed: pd.DataFrame, v: Viewer) -> Table:
    both = completed[[*list(SELF_KEYS), OVERALL]].dropna()
    own = both[list(SELF_KEYS)].mean(axis=1)
    gap = own - both[OVERALL]
    n = len(both)
    split = withheld_breakdown(
        {"higher": (gap >= 1).sum(), "within": (gap.abs() < 1).sum(), "lower": (gap <= -1).sum()},
        v.min_group,
    )  # the three shares add up to the audits with both: none may give a small one away
    rows = [
        ("Audits with both", split.shown("total")),
        ("Practitioner's self-assessment (mean of the two scales): median", _num(own.median())),
        ("Auditor's overall rating: median", _num(both[OVERALL].median())),
        ("Mean difference (practitioner − auditor)", _num(gap.mean())),
        ("Practitioner scaled 1 or more higher", split.share("higher", "total")),
        ("Within 1 point", split.share("within", "total")),
        ("Practitioner scaled 1 or more lower", split.share("lower", "total")),
    ]
    if n < v.min_group:
        rows = rows[:1]
    return Table(
        "self_assessment",
        "Practitioner self-assessment against the auditor's scaling",
        pd.DataFrame(rows, columns=["Measure", "Value"]),
        "The self-assessment is the mean of the practitioner's two scales (the difference made, "
        "and use of Signs of Safety) made before the audit; the auditor's is the overall rating.",
    )


def _moderated(f: Frames, audits: pd.DataFrame) -> pd.DataFrame:
    mods = f.moderations[
        f.moderations.audit_id.isin(audits.index) & (f.moderations.state == "complete")
    ].join(audits[[OVERALL, "auditor_id"]], on="audit_id")
    mods["audit_grade"] = grades_of(mods[OVERALL])
    mods["difference"] = mods[OVERALL] - mods.moderator_rating
    return mods


def _moderation(
    f: Frames, completed: pd.DataFrame, completed_all: pd.DataFrame, v: Viewer
) -> list[Table]:
    mods = _moderated(f, completed)
    n = len(mods)
    kappa = cohen_kappa(list(mods.audit_grade), list(mods.moderator_grade))
    rows = [
        ("Moderations completed", suppressed(n, v.min_group)),
        (
            "Moderator agreed with the grade",
            share_of(mods.agrees.fillna(False).astype(bool).sum(), n, v.min_group),
        ),
        ("Cohen's kappa on grades", _num(kappa, 2)),
        (
            "Mean difference of overall ratings (auditor − moderator)",
            _num(mods.difference.mean(), 2),
        ),
    ]
    if n < v.min_group:
        rows = rows[:1]
    summary = Table(
        "moderation",
        "Moderation agreement",
        pd.DataFrame(rows, columns=["Measure", "Value"]),
        "Kappa compares the audit's grade with the moderator's beyond the agreement chance alone "
        "would give (1 perfect, 0 no better than chance).",
    )
    drift = (
        _moderated(f, completed_all)
        .groupby("auditor_id")
        .agg(n=("audit_id", "size"), agreed=("agrees", "mean"), drift=("difference", "mean"))
        .reset_index()
        .sort_values(["drift", "n"], ascending=[False, False])
    )
    frame = pd.DataFrame(
        {
            "Auditor": v.labels(drift.auditor_id, "auditor"),
            "Moderated": drift.n.values,
            "Agreed": [
                share_of(a * c, c, v.min_group) for a, c in zip(drift.agreed, drift.n, strict=True)
            ],
            "Mean drift (auditor − moderator)": drift.drift.map(lambda d: _num(d, 2)).values,
        }
    )
    frame = suppress_small_rows(
        frame, "Moderated", ["Agreed", "Mean drift (auditor − moderator)"], v.min_group
    )
    small = frame.Moderated == f"<{v.min_group}"
    listed = frame[~small]
    listed = listed.iloc[listed["Mean drift (auditor − moderator)"].abs().argsort()[::-1]].head(
        DRIFT_ROWS
    )
    return [
        summary,
        Table(
            "auditor_drift",
            "Each auditor's drift from moderators",
            listed.reset_index(drop=True),
            f"The {DRIFT_ROWS} auditors furthest from moderators, of "
            f"{suppressed((~small).sum(), v.min_group)} with {v.min_group} or more moderated "
            f"audits ({suppressed(small.sum(), v.min_group)} others have fewer). An auditor's "
            "share agreed is shown only when the count agreed is too. Over the period and the "
            f"{LOOK_BACK_MONTHS} months before it (one quarter holds too few moderations per "
            "auditor). A positive drift means the auditor rates higher than moderators do.",
        ),
    ]


def _family_statements(f: Frames, completed_all: pd.DataFrame, v: Viewer) -> Table:
    answered = completed_all[completed_all[f.statement_keys].notna().any(axis=1)]
    quarter = quarter_label(answered.completed_at)
    means = answered[f.statement_keys].groupby(quarter).mean()
    n = quarter.value_counts().reindex(means.index)
    means = means[n >= v.min_group]
    frame = means.T.map(lambda x: _num(x)).astype(object)
    frame.columns.name = None
    frame.index = [f"{i + 1}. {f.statement_labels[k]}" for i, k in enumerate(f.statement_keys)]
    frame.loc["Families answering"] = [suppressed(c, v.min_group) for c in n[n >= v.min_group]]
    chart = means.copy()
    chart.columns = [f"Statement {i + 1}" for i in range(len(f.statement_keys))]
    return Table(
        "family_statements",
        "The nine family statements over time (mean, 0 strongly disagree – 10 strongly agree)",
        frame.reset_index(names="Statement"),
        f"Quarters with fewer than {v.min_group} families answering are left out.",
        Chart("lines", chart, "Mean (0–10)", (0, 10)),
    )


# --- Is anyone better off? -----------------------------------------------------------------

_NUMBER = re.compile(r"\b(\d{1,2})\s*(?:/|out of)\s*10\b")
Q8_WORSE = (
    "not safe",
    "not safer",
    "not really",
    "worse",
    "less safe",
    "don't feel safe",
    "scared",
)
Q8_SAME = ("same", "no different", "not much different", "nothing changed")
Q8_BETTER = ("better", "safer", "more", "happier", "a lot", "helped", "supported")
Q8_CATEGORIES = ("Better supported or safer", "About the same", "Not better", "Unclear")


def summarise_q8(text: str | None) -> str:
    """Sort the child's own words into one of four categories, by rules anyone can check:

    1. a score out of 10 ("7 out of 10", "7/10"): 6+ better, 4–5 the same, 0–3 not better;
    2. else words of feeling no better ("not safer", "worse", "not really") → not better;
    3. else words of no change ("same", "no different") → about the same;
    4. else words of improvement ("better", "safer", "happier") → better supported or safer;
    5. anything else (e.g. "don't know") is unclear.
    """
    words = (text or "").lower()
    if m := _NUMBER.search(words):
        score = int(m[1])
        return (
            Q8_CATEGORIES[0] if score >= 6 else Q8_CATEGORIES[1] if score >= 4 else Q8_CATEGORIES[2]
        )
    if any(m in words for m in Q8_WORSE):
        return Q8_CATEGORIES[2]
    if any(m in words for m in Q8_SAME):
        return Q8_CATEGORIES[1]
    if any(m in words for m in Q8_BETTER):
        return Q8_CATEGORIES[0]
    return Q8_CATEGORIES[3]


def distance_travelled(
    audits: pd.DataFrame, who: str, area_keys: list[str], period_start: pd.Timestamp
) -> dict:
    """First audit against the latest, for each child (or practitioner) audited more than once
    whose latest completed audit falls in the period."""
    graded = audits[audits[OVERALL].notna() & audits.completed_at.notna()].sort_values(
        "completed_at"
    )
    graded = graded.assign(area_median=graded[area_keys].median(axis=1))
    grouped = graded.groupby(who)
    first, last, count = grouped.first(), grouped.last(), grouped.size()
    keep = (count >= 2) & (last.completed_at >= period_start)
    change = last.loc[keep, OVERALL] - first.loc[keep, OVERALL]
    area_change = last.loc[keep, "area_median"] - first.loc[keep, "area_median"]
    return {
        "n": int(keep.sum()),
        "mean_change": change.mean(),
        "median_change": change.median(),
        "better": int((change >= 1).sum()),
        "same": int((change == 0).sum()),
        "worse": int((change <= -1).sum()),
        "area_change": area_change.mean(),
    }


def better_off(f: Frames, v: Viewer) -> Section:
    in_window = f.audits[f.audits.completed_at < _ts(f.period.end)]
    rows = []
    for who, label in (
        ("child_id", "Children audited more than once"),
        ("practitioner_id", "Practitioners audited more than once"),
    ):
        d = distance_travelled(in_window, who, f.area_keys, _ts(f.period.start))
        # higher, same and lower add up to those audited again: none may give a small one away
        split = withheld_breakdown(
            {"better": d["better"], "same": d["same"], "worse": d["worse"]}, v.min_group
        )
        few = d["n"] < v.min_group
        rows.append(
            {
                "Who": label,
                "Audited again": split.shown("total"),
                "Mean change in overall rating": WITHHELD if few else _num(d["mean_change"], 2),
                "Median change": WITHHELD if few else _num(d["median_change"]),
                "Rated higher": split.share("better", "total"),
                "Same": split.share("same", "total"),
                "Rated lower": split.share("worse", "total"),
                "Mean change in the median area scale": WITHHELD
                if few
                else _num(d["area_change"], 2),
            }
        )
    distance = pd.DataFrame(rows)

    completed_all = in_window[in_window.completed_at.notna()]
    quarter = quarter_label(completed_all.completed_at)
    family = completed_all[f.statement_keys]
    answered = family.notna().any(axis=1)
    fam = pd.DataFrame(
        {
            "Families answering": answered.groupby(quarter).sum(),
            "Mean of the nine statements": family.mean(axis=1).groupby(quarter).mean(),
            "Share of answers agreeing (7 or more)": (family >= 7)
            .sum(axis=1)
            .groupby(quarter)
            .sum()
            / family.notna().sum(axis=1).groupby(quarter).sum(),
        }
    )
    fam_chart = fam[fam["Families answering"] >= v.min_group][["Mean of the nine statements"]]
    fam_frame = fam.reset_index(names="Quarter")
    fam_frame["Mean of the nine statements"] = fam_frame["Mean of the nine statements"].map(
        lambda x: _num(x, 2)
    )
    fam_frame["Share of answers agreeing (7 or more)"] = fam_frame[
        "Share of answers agreeing (7 or more)"
    ].map(lambda x: "–" if pd.isna(x) else f"{100 * x:.0f}%")
    fam_frame = suppress_small_rows(
        fam_frame,
        "Families answering",
        ["Mean of the nine statements", "Share of answers agreeing (7 or more)"],
        v.min_group,
    )

    q8 = f.texts[f.texts.field_key == CHILD_Q8]
    q8 = q8[q8.audit_id.isin(completed_all.index)]
    q8_quarter = quarter_label(completed_all.loc[q8.audit_id, "completed_at"]).values
    categories = pd.Series([summarise_q8(t) for t in q8.text], index=q8.index)
    child = shares_by(categories, pd.Series(q8_quarter, index=q8.index), Q8_CATEGORIES)
    held = Withholding(v.min_group)  # each quarter's answers add up to the children answering
    for quarter_name, row in child.iterrows():
        parts = [held.count((quarter_name, c), row[c]) for c in Q8_CATEGORIES]
        held.adds_up(parts, held.count((quarter_name, "answering"), row.sum()))
    held.settle()
    child_chart = _stacked(held, child, lambda q, c: (q, c), lambda q: (q, "answering"))
    child_frame = pd.DataFrame(
        {
            "Quarter": list(child.index),
            **{c: [held.shown((q, c)) for q in child.index] for c in Q8_CATEGORIES},
            "Children answering": [held.shown((q, "answering")) for q in child.index],
        }
    )
    return Section(
        "better_off",
        "Is anyone better off?",
        [
            Table(
                "distance_travelled",
                "Distance travelled: the first audit against the latest",
                distance,
                "Children and practitioners whose latest audit was completed in the period and "
                f"who had an earlier audit in the {LOOK_BACK_MONTHS} months before. Higher or "
                "lower means by a point or more on the overall rating.",
            ),
            Table(
                "family_over_time",
                "Families: how they rate our work, by quarter",
                fam_frame,
                "The family feedback form has no question of its own on feeling better supported "
                "or safer, so the nine statements stand for the family's view.",
                Chart("lines", fam_chart, "Mean (0–10)", (0, 10)),
            ),
            Table(
                "child_safer",
                "Children: \u201cHow much better supported or safer do you feel now?\u201d",
                child_frame,
                "The child answers in their own words. Each answer is sorted by fixed rules: a "
                "score out of 10 (6+ better, 4–5 same, 0–3 not better); else words such as "
                "\u201cnot safer\u201d, \u201cworse\u201d → not better; \u201csame\u201d, "
                "\u201cno different\u201d → about the same; \u201cbetter\u201d, \u201csafer\u201d, "
                "\u201chappier\u201d → better; anything else is unclear.",
                Chart("stacked", child_chart, "Share of children", (0, 1)),
            ),
        ],
    )


# --- Themes, actions overdue, open escalations ------------------------------------------------


def themes(f: Frames, v: Viewer) -> Table:
    completed = completed_in_period(f)
    texts = f.texts[f.texts.audit_id.isin(completed.index) & (f.texts.field_key != CHILD_Q8)]
    parts = {"strengths": "Strengths", "areas_to_develop": "Areas to develop"}
    titles = {k.split(".")[0]: t for k, t in f.area_titles.items()}
    order = {
        f"{k.split('.')[0]}.{part}": (i, j)
        for i, k in enumerate(f.area_keys)
        for j, part in enumerate(parts)
    }
    rows = []
    by_field = dict(tuple(texts.groupby("field_key").text))
    for key in sorted(by_field, key=lambda k: order.get(k, (99, 0))):
        area, _, part = key.partition(".")
        chosen = by_field[key]
        for phrase, count in top_phrases(chosen, THEMES_PER_AREA):
            if count < v.min_group:
                continue
            examples = quotes(chosen, phrase, f.names, QUOTES_PER_THEME)
            rows.append(
                {
                    "Area": titles.get(area, area),
                    "Part": parts.get(part, part),
                    "Phrase": phrase,
                    "Audits mentioning it": count,
                    "Example quotes": " | ".join(f"\u201c{q}\u201d" for q in examples)
                    or "(none without a name)",
                }
            )
    frame = pd.DataFrame(
        rows, columns=["Area", "Part", "Phrase", "Audits mentioning it", "Example quotes"]
    )
    return Table(
        "themes",
        "Most frequent phrases in strengths and areas to develop",
        frame,
        "Two- and three-word phrases (common words like \u201cthe\u201d, \u201cwith\u201d left "
        "out at either end), counted once per audit; the top "
        f"{THEMES_PER_AREA} per area and part, only when {v.min_group} or more audits "
        "mention them. "
        "Quotes that contain any name in the people register or a child's recorded name are "
        "left out; a name nobody recorded cannot be caught, so quotes stay within the team.",
    )


def actions_overdue(f: Frames, v: Viewer) -> list[Table]:
    as_of = pd.Timestamp(f.as_of)
    acts = f.actions[(f.actions.status == "open") & f.actions.due.notna()].copy()
    acts["due"] = pd.to_datetime(acts.due)
    acts = acts[acts.due < as_of].join(f.audits[["team", "practitioner_id"]], on="audit_id")
    acts["days"] = (as_of - acts.due).dt.days
    grouped = acts.groupby("team", dropna=False)
    per_team = grouped.size()
    # the teams' counts add up to every action overdue, which the list of them can show
    held = Withholding(v.min_group)
    parts = [held.count(t, n, unseen=pd.isna(t)) for t, n in per_team.items()]
    held.adds_up(parts, held.count("all", len(acts), unseen=True))
    held.settle()
    teams = sorted(t for t in per_team.index if pd.notna(t))
    medians = grouped.days.median()
    by_team = pd.DataFrame(
        {
            "Team": teams,
            "Actions overdue": [held.shown(t) for t in teams],
            "Median days overdue": [
                medians[t] if per_team[t] >= v.min_group else WITHHELD for t in teams
            ],
        }
    )
    listed = len(acts) >= v.min_group
    oldest = acts.sort_values("days", ascending=False).head(15 if listed else 0)
    listing = pd.DataFrame(
        {
            "Audit": oldest.audit_id.values,
            # a team whose count is withheld is not named, or its rows would count it
            "Team": [t if t in held.values and held.is_shown(t) else WITHHELD for t in oldest.team],
            "Practitioner": v.labels(oldest.practitioner_id, "practitioner"),
            "Due": oldest.due.dt.strftime("%d %b %Y").values,
            "Days overdue": oldest.days.values,
            "Action": [
                "(withheld: it contains a name)" if mentions_a_name(t, f.names) else t
                for t in oldest.what
            ],
        }
    )
    return [
        Table(
            "actions_overdue",
            "Actions overdue, by team",
            by_team,
            f"Open actions past their due date as at {f.as_of:%d %B %Y}, from audits allocated in "
            f"the period or the year before. {WITHHELD_NOTE}",
        ),
        Table(
            "actions_oldest",
            "The longest overdue actions",
            listing,
            _not_listed(len(acts), v.min_group, "actions are overdue", "each audit's queue"),
        ),
    ]


def _not_listed(n: int, min_group: int, what: str, where: str) -> str:
    """Why a list of records is empty: none, or too few to list (a list of 1 to 4 rows would
    be a count of them)."""
    if n == 0 or n >= min_group:
        return ""
    return f"Fewer than {min_group} {what}: they are not listed here ({where} shows them)."


def escalations_open(f: Frames, v: Viewer) -> Table:
    e = f.escalations[f.escalations.state == "open"].join(
        f.audits[["team", "practitioner_id"]], on="audit_id"
    )
    listed = len(e) >= v.min_group  # a list of one to four would be a count of them
    open_now = len(e)
    e = e.sort_values("created_at").head(open_now if listed else 0)
    as_of = pd.Timestamp(f.as_of + dt.timedelta(days=1), tz="UTC")
    frame = pd.DataFrame(
        {
            "Audit": e.audit_id.values,
            "Team": e.team.values,
            "Practitioner": v.labels(e.practitioner_id, "practitioner"),
            "Reason": e.reason.str.replace("_", " ").str.capitalize().values,
            "Opened": e.created_at.dt.strftime("%d %b %Y").values,
            "Days open": ((as_of - e.created_at).dt.days).values,
        }
    )
    return Table(
        "escalations_open",
        "Inadequate escalations still open",
        frame,
        "Escalations opened when an audit or a moderation was graded Inadequate, not yet closed. "
        + _not_listed(open_now, v.min_group, "are open", "the escalation queue"),
    )


def build(f: Frames, v: Viewer) -> Report:
    """The whole report for the loaded frames, as seen by ``v``."""
    held = Withholding(v.min_group)  # the counts several tables share, settled together
    by_team = activity(f, held)
    grades = grade_counts(f, held)
    held.settle()
    follow_through = Section(
        "themes",
        "Themes and follow-through",
        [themes(f, v), *actions_overdue(f, v), escalations_open(f, v)],
    )
    return Report(
        filters=f.filters,
        as_of=f.as_of,
        audits_read=len(f.audits),
        sections=[
            how_much(f, held, by_team),
            how_well(f, v, held, grades),
            better_off(f, v),
            follow_through,
        ],
        names_shown=v.names,
        min_group=v.min_group,
    )
