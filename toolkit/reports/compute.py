"""The report's figures, as pure functions of the loaded :class:`Frames`.

Which audits count where:

- *allocated in the period*: the audit was created (allocated) in the period;
- *completed in the period*: its completion falls in the period; every "how well", "better
  off" and "themes" figure is about these audits;
- *overdue* is judged as at the report's date (the period's last day, or today if sooner):
  an audit allocated in the period and not completed within :data:`COMPLETE_WITHIN_DAYS` days,
  and a follow-up (due the 5th working day after completion) not done by its due date;
- trends run over the period and the :data:`LOOK_BACK_MONTHS` months before it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pandas as pd

from toolkit.forms.loader import load_grade_bands
from toolkit.reports.load import CHILD_Q8, LOOK_BACK_MONTHS, OVERALL, SELF_KEYS, Frames
from toolkit.reports.model import Chart, Report, Section, Table
from toolkit.reports.privacy import (
    Viewer,
    mentions_a_name,
    suppress_counts,
    suppress_small_rows,
    suppressed,
)
from toolkit.reports.stats import cohen_kappa, month_of, quarter_label, shares_by, spreads
from toolkit.reports.themes import quotes, top_phrases

COMPLETE_WITHIN_DAYS = 28
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


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


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


def how_much(f: Frames, v: Viewer) -> Section:
    a = f.audits
    start, end, as_of = _ts(f.period.start), _ts(f.period.end), _ts(f.as_of + dt.timedelta(days=1))
    allocated = (a.created_at >= start) & (a.created_at < end)
    done_by_then = a.completed_at.notna() & (a.completed_at < as_of)
    late = (
        allocated & ~done_by_then & (a.created_at < as_of - pd.Timedelta(days=COMPLETE_WITHIN_DAYS))
    )
    completed = completed_in_period(f)
    fu = f.follow_ups[f.follow_ups.audit_id.isin(completed.index)]
    fu_late = (pd.to_datetime(fu.due_date) < pd.Timestamp(f.as_of)) & (
        fu.done_at.isna() | (fu.done_at >= as_of)
    )
    mods = f.moderations[f.moderations.audit_id.isin(completed.index)]
    n = len(completed)
    rows = [
        ("Audits allocated", int(allocated.sum()), ""),
        ("Audits completed", n, ""),
        (
            f"Allocated in the period and not completed within {COMPLETE_WITHIN_DAYS} days",
            int(late.sum()),
            _pct(late.sum(), allocated.sum()),
        ),
        (
            "Follow-ups past their due date and not done",
            int(fu_late.sum()),
            _pct(fu_late.sum(), len(fu)),
        ),
        ("Audits moderated", int(mods.audit_id.nunique()), _pct(mods.audit_id.nunique(), n)),
    ]
    for source in ("children", "families", "networks"):
        got = int(completed[f"feedback_{source}"].sum())
        rows.append((f"Feedback obtained from {source}", got, _pct(got, n)))
    totals = pd.DataFrame(rows, columns=["Measure", "Audits", "Share"])
    totals = suppress_counts(totals, ["Audits"], v.min_group)
    by_team = pd.DataFrame(
        {
            "Allocated": allocated.groupby(a.team).sum(),
            "Completed": pd.Series(a.index.isin(completed.index), index=a.index)
            .groupby(a.team)
            .sum(),
            "Not completed in time": late.groupby(a.team).sum(),
        }
    )
    for source in ("children", "families"):
        by_team[f"Feedback from {source}"] = completed.groupby("team")[f"feedback_{source}"].sum()
    by_team = by_team.fillna(0).astype(int).reset_index(names="Team").sort_values("Team")
    by_team = suppress_counts(by_team, [c for c in by_team.columns if c != "Team"], v.min_group)
    return Section(
        "how_much",
        "How much did we do?",
        [
            Table(
                "activity",
                "Audits, moderation and feedback",
                totals,
                f"Shares of feedback and moderation are of the {n} audits completed in the period. "
                f"Overdue is as at {f.as_of:%d %B %Y}.",
            ),
            Table("activity_by_team", "By team", by_team, "Counts from 1 to 4 are shown as <5."),
        ],
    )


# --- How well -------------------------------------------------------------------------------


def _trend(f: Frames, completed_all: pd.DataFrame, by: str, v: Viewer) -> Table:
    order, _ = grade_table()
    graded = completed_all[completed_all[OVERALL].notna()]
    when = month_of(graded.completed_at) if by == "month" else quarter_label(graded.completed_at)
    counts = shares_by(grades_of(graded[OVERALL]), when, order)
    counts["Audits"] = counts.sum(axis=1)
    shown = counts[counts.Audits >= v.min_group]
    shares = shown[order].div(shown.Audits, axis=0)
    frame = suppress_counts(
        counts.reset_index(names=by.capitalize()), [*order, "Audits"], v.min_group
    )
    return Table(
        f"grades_by_{by}",
        f"Grades by {by} of completion",
        frame,
        f"From {counts.index.min() if len(counts) else '–'}: the period and the "
        f"{LOOK_BACK_MONTHS} months before it. The chart leaves out {by}s with fewer than "
        f"{v.min_group} audits.",
        Chart("stacked", shares, "Share of audits"),
    )


def how_well(f: Frames, v: Viewer) -> Section:
    order, _ = grade_table()
    completed = completed_in_period(f)
    completed_all = f.audits[
        f.audits.completed_at.notna() & (f.audits.completed_at < _ts(f.period.end))
    ]
    grades = grades_of(completed[OVERALL]).value_counts().reindex(order, fill_value=0)
    distribution = pd.DataFrame({"Grade": order, "Audits": grades.values})
    distribution["Share"] = [_pct(c, grades.sum()) for c in grades.values]
    distribution = suppress_counts(distribution, ["Audits"], v.min_group)
    tables = [
        Table(
            "grades",
            "Overall grades of the audits completed",
            distribution,
            "The grade of the auditor's overall rating (0–2 Inadequate, 3–5 Requires improvement, "
            "6 Good, 7–10 Outstanding).",
            Chart("bars", pd.DataFrame({"Audits": grades.values}, index=order), "Audits"),
        ),
        _trend(f, completed_all, "month", v),
        _trend(f, completed_all, "quarter", v),
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
    both = completed[list(SELF_KEYS) + [OVERALL]].dropna()
    own = both[list(SELF_KEYS)].mean(axis=1)
    gap = own - both[OVERALL]
    n = len(both)
    rows = [
        ("Audits with both", suppressed(n, v.min_group)),
        ("Practitioner's self-assessment (mean of the two scales): median", _num(own.median())),
        ("Auditor's overall rating: median", _num(both[OVERALL].median())),
        ("Mean difference (practitioner − auditor)", _num(gap.mean())),
        ("Practitioner scaled 1 or more higher", _pct((gap >= 1).sum(), n)),
        ("Within 1 point", _pct((gap.abs() < 1).sum(), n)),
        ("Practitioner scaled 1 or more lower", _pct((gap <= -1).sum(), n)),
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
        ("Moderator agreed with the grade", _pct(mods.agrees.fillna(False).astype(bool).sum(), n)),
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
            "Agreed": [_pct(a * c, c) for a, c in zip(drift.agreed, drift.n, strict=True)],
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
            f"The {DRIFT_ROWS} auditors furthest from moderators, of {int((~small).sum())} with "
            f"{v.min_group} or more moderated audits ({int(small.sum())} others have fewer). Over the period and the "
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
        rows.append(
            {
                "Who": label,
                "Audited again": d["n"],
                "Mean change in overall rating": _num(d["mean_change"], 2),
                "Median change": _num(d["median_change"]),
                "Rated higher": _pct(d["better"], d["n"]),
                "Same": _pct(d["same"], d["n"]),
                "Rated lower": _pct(d["worse"], d["n"]),
                "Mean change in the median area scale": _num(d["area_change"], 2),
            }
        )
    distance = pd.DataFrame(rows)
    figures = [c for c in distance.columns if c not in ("Who", "Audited again")]
    distance = suppress_small_rows(distance, "Audited again", figures, v.min_group)

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
    child["Children answering"] = child.sum(axis=1)
    shown = child[child["Children answering"] >= v.min_group]
    child_chart = shown[list(Q8_CATEGORIES)].div(shown["Children answering"], axis=0)
    child_frame = suppress_counts(
        child.reset_index(names="Quarter"), [*Q8_CATEGORIES, "Children answering"], v.min_group
    )
    return Section(
        "better_off",
        "Is anyone better off?",
        [
            Table(
                "distance_travelled",
                "Distance travelled: the first audit against the latest",
                distance,
                f"Children and practitioners whose latest audit was completed in the period and who "
                f"had an earlier audit in the {LOOK_BACK_MONTHS} months before. Higher or lower "
                "means by a point or more on the overall rating.",
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
                Chart("stacked", child_chart, "Share of children"),
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
        "Two- and three-word phrases (common words like \u201cthe\u201d, \u201cwith\u201d left out at "
        "either end), counted once per audit; the top "
        f"{THEMES_PER_AREA} per area and part, only when {v.min_group} or more audits mention them. "
        "Quotes that contain any name in the people register or a child's recorded name are "
        "left out; a name nobody recorded cannot be caught, so quotes stay within the team.",
    )


def actions_overdue(f: Frames, v: Viewer) -> list[Table]:
    as_of = pd.Timestamp(f.as_of)
    acts = f.actions[(f.actions.status == "open") & f.actions.due.notna()].copy()
    acts["due"] = pd.to_datetime(acts.due)
    acts = acts[acts.due < as_of].join(f.audits[["team", "practitioner_id"]], on="audit_id")
    acts["days"] = (as_of - acts.due).dt.days
    by_team = (
        acts.groupby("team")
        .agg(overdue=("audit_id", "size"), median=("days", "median"))
        .reset_index()
        .rename(
            columns={"team": "Team", "overdue": "Actions overdue", "median": "Median days overdue"}
        )
    )
    by_team = suppress_small_rows(by_team, "Actions overdue", ["Median days overdue"], v.min_group)
    oldest = acts.sort_values("days", ascending=False).head(15)
    listing = pd.DataFrame(
        {
            "Audit": oldest.audit_id.values,
            "Team": oldest.team.values,
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
            "the period or the year before.",
        ),
        Table("actions_oldest", "The longest overdue actions", listing),
    ]


def escalations_open(f: Frames, v: Viewer) -> Table:
    e = f.escalations[f.escalations.state == "open"].join(
        f.audits[["team", "practitioner_id"]], on="audit_id"
    )
    e = e.sort_values("created_at")
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
        "Escalations opened when an audit or a moderation was graded Inadequate, not yet closed.",
    )


def build(f: Frames, v: Viewer) -> Report:
    """The whole report for the loaded frames, as seen by ``v``."""
    follow_through = Section(
        "themes",
        "Themes and follow-through",
        [themes(f, v), *actions_overdue(f, v), escalations_open(f, v)],
    )
    return Report(
        filters=f.filters,
        as_of=f.as_of,
        audits_read=len(f.audits),
        sections=[how_much(f, v), how_well(f, v), better_off(f, v), follow_through],
        names_shown=v.names,
    )
