"""Small-number suppression that cannot be undone: where a report shows "<5", no sentence,
share, chart or total lets the count be worked out — a period of 1 to 4 audits, and one small
team (or grade) among larger ones, whose count the total minus the others would give away."""

from __future__ import annotations

import datetime as dt
import itertools
import numbers
import re

import pytest
from openpyxl import load_workbook

from tests.support.audits import insert_audits
from tests.support.chosen import choose
from toolkit.reports import Filters, build_report, parse_period
from toolkit.reports.charts import svg
from toolkit.reports.disclosure import WITHHELD, Withholding, withheld_breakdown
from toolkit.reports.excel import write_workbook
from toolkit.reports.html import report_html
from toolkit.reports.privacy import Viewer

UTC = dt.timezone.utc
Q3 = parse_period("2026Q3")
AS_OF = dt.date(2026, 12, 1)


def _possible(marks: list[object], total: int, which: int, limit: int = 60) -> set[int]:
    """Every value cell ``which`` could hold, given the cells as shown and their total: what a
    reader can work out by trying every count a mark allows ("<5": 1–4, "–": 5 or more)."""
    allowed = [
        [m] if isinstance(m, int) else range(1, 5) if m == "<5" else range(5, limit) for m in marks
    ]
    return {c[which] for c in itertools.product(*allowed) if sum(c) == total}


def _is_count(mark: object) -> bool:
    return isinstance(mark, numbers.Integral)


# --- the rule, by hand -----------------------------------------------------------------------


def test_a_lone_small_count_beside_a_total_takes_the_next_smallest_with_it() -> None:
    held = withheld_breakdown({"North": 20, "South": 3, "East": 12}, 5)
    shown = [held.shown(k) for k in ("North", "South", "East")]
    assert shown == [20, "<5", WITHHELD]
    assert held.shown("total") == 35
    assert _possible(shown, 35, 1) == {1, 2, 3, 4}  # South cannot be worked out
    assert held.share("North", "total") == "57%"
    assert held.share("East", "total") == WITHHELD


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"a": 1, "b": 5}, ["<5", WITHHELD, WITHHELD]),  # 6 − 5 = 1: the total goes too
        ({"a": 1, "b": 1, "c": 50}, ["<5", "<5", WITHHELD, 52]),  # two 1s summing to 2
        ({"a": 1, "b": 1, "c": 1, "d": 2}, ["<5", "<5", "<5", "<5", 5]),  # 5 can be many ways
        ({"a": 4, "b": 4}, ["<5", "<5", WITHHELD]),  # 8 is 4 + 4 only
        ({"a": 0, "b": 7}, [0, 7, 7]),  # nothing small: nothing withheld
    ],
)
def test_withheld_counts_stay_uncertain(counts, expected) -> None:
    held = withheld_breakdown(counts, 5)
    assert [held.shown(k) for k in [*counts, "total"]] == expected


def test_a_total_withheld_for_one_breakdown_is_not_given_back_by_another() -> None:
    held = Withholding(5)
    for key, value in {"t1": 4, "t2": 4, "g1": 8, "g2": 0, "all": 8}.items():
        held.count(key, value)
    held.adds_up(["t1", "t2"], "all")  # by team: 4 + 4 pins both
    held.adds_up(["g1", "g2"], "all")  # by grade: all 8 in one grade
    held.settle()
    assert held.shown("all") == WITHHELD
    assert held.shown("g1") == WITHHELD


# --- the report ------------------------------------------------------------------------------


def _store_with(store, rows: list[tuple[str, dt.date, int]]):
    """Completed audits, (team, completed on, overall rating), and the 2026Q3 report on them."""
    auditor = store.add_person("Audrey Auditor", ["auditor"], team="Audit")
    workers = {
        team: store.add_person(f"Worker {team}", ["practitioner"], team=team, service="A")
        for team in sorted({r[0] for r in rows})
    }
    insert_audits(
        store,
        auditor,
        [
            (workers[t], done, None, f"C{i}", False, overall, None)
            for i, (t, done, overall) in enumerate(rows)
        ],
    )
    return build_report(store, Filters(Q3), Viewer(key=b"k"), AS_OF)


def _table(report, key):
    return next(t for t in report.tables() if t.key == key)


def _everything_said(report) -> str:
    return " ".join(t.note + " " + t.frame.to_csv() for t in report.tables())


def test_a_period_of_one_audit_gives_its_count_away_nowhere(store, tmp_path) -> None:
    report = _store_with(store, [("North", dt.date(2026, 8, 3), 7)])
    said = _everything_said(report)
    assert "of the 1 " not in said
    assert not re.search(r"\b100%", said)
    activity = _table(report, "activity").frame.set_index("Measure")
    assert activity.loc["Audits completed", "Audits"] == "<5"
    assert set(activity.Share) <= {"", WITHHELD}  # no share of a hidden whole
    grades = _table(report, "grades")
    assert set(grades.frame.Share) == {WITHHELD}
    assert grades.chart.data.empty  # nothing drawn: no bar, no axis stopping at 1
    drawn = svg(grades.chart)
    assert "Too few audits to chart" in drawn
    assert "1.0" not in drawn
    for key in ("grades_by_month", "grades_by_quarter"):
        trend = _table(report, key)
        assert trend.chart.data.empty
        assert "Audits" in trend.frame
        assert set(trend.frame.Audits) == {"<5"}
    page = report_html(report)
    assert "<5 audits read" in page.replace("&lt;", "<")
    book = load_workbook(write_workbook(report, tmp_path / "r.xlsx"))
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["Audits read"] == "<5"
    assert "nothing else lets one be worked out" in about["Privacy"]


#: 25 audits in 2026Q3: North 10, South 3, East 12 (South is the small team); by grade
#: Inadequate 2 (small) among Requires improvement 8, Good 7 and Outstanding 8
TEAMS = ["North"] * 10 + ["South"] * 3 + ["East"] * 12
RATINGS = [1] * 2 + [4] * 8 + [6] * 7 + [8] * 8


@pytest.fixture
def mixed(store):
    days = [dt.date(2026, 7, 6) + dt.timedelta(days=3 * i) for i in range(25)]
    return _store_with(store, list(zip(TEAMS, days, RATINGS, strict=True)))


def test_one_small_team_among_larger_ones_cannot_be_worked_out_from_the_total(mixed) -> None:
    activity = _table(mixed, "activity").frame.set_index("Measure")["Audits"]
    total = activity["Audits completed"]
    assert total == 25  # the headline stays
    by_team = _table(mixed, "activity_by_team").frame.set_index("Team")["Completed"]
    assert by_team["South"] == "<5"
    marks = [by_team[t] for t in ("North", "South", "East")]
    assert WITHHELD in marks  # before, North 10 and East 12 beside 25 gave South's 3 away
    assert len(_possible(marks, total, 1)) > 1


def test_one_small_grade_is_neither_derivable_nor_drawn(mixed) -> None:
    grades = _table(mixed, "grades")
    shown = grades.frame.set_index("Grade")
    marks = list(shown.Audits)
    assert marks[0] == "<5"
    assert WITHHELD in marks[1:]
    assert len(_possible(marks, 25, 0)) > 1
    assert shown.loc["Inadequate", "Share"] == WITHHELD  # 2 of 25 was 8%
    bars = grades.chart.data.Audits
    assert bars.isna().sum() == 2
    assert grades.chart.marks["Inadequate"] == "<5"
    drawn = grades.chart.data.dropna().Audits.tolist()
    assert all(n >= 5 for n in drawn)  # only counts the table shows are drawn
    # the quarter's stacked bar: the withheld grades drawn together, the rest as shown
    quarter = _table(mixed, "grades_by_quarter")
    stacked = quarter.chart.data.loc["2026Q3"]
    assert stacked.sum() == pytest.approx(1.0)
    (grey,) = [c for c in stacked.index if c.startswith("Withheld")]
    # Inadequate (2) and Good (7) are withheld: drawn together, 9 of 25, no more
    assert stacked[grey] == pytest.approx(9 / 25)
    assert stacked["Requires improvement"] == pytest.approx(8 / 25)


def test_months_of_a_quarter_do_not_give_a_withheld_month_away(mixed) -> None:
    months = _table(mixed, "grades_by_month").frame.set_index("Month")
    quarter = _table(mixed, "grades_by_quarter").frame.set_index("Quarter")
    for grade in months.columns:
        column = list(months[grade])
        total = quarter.loc["2026Q3", grade]
        if _is_count(total):
            for i, mark in enumerate(column):
                if not _is_count(mark):
                    assert len(_possible(column, total, i)) > 1, (grade, column, total)


def test_the_reporting_app_shows_the_same_withheld_counts(store, monkeypatch) -> None:
    from toolkit.apps.reports import ReportsApp

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    _store_with(store, [("North", dt.date(2026, 8, 3), 7), ("North", dt.date(2026, 8, 4), 8)])
    choose(store.add_person("Quinn QA", ["quality_assurance"]))
    app = ReportsApp(store)
    app.filters.quarter.value = "2026Q3"
    app.filters.show.click()
    header = app.output.children[0].value
    how_much, how_well = (app.output.children[1].children[i].value for i in (0, 1))
    assert "&lt;5 audits read" in header
    assert "of the 2 " not in how_much
    assert "100%" not in how_much + how_well
    assert "Too few audits to chart" in how_well
