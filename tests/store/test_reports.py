"""Quality assurance reporting: statistics against hand-worked values, privacy, the generator,
the workbook and the reporting app (widgets, no kernel)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import subprocess
import sys

import pandas as pd
import pytest

from tests.support.audits import insert_audits
from tests.support.chosen import choose
from toolkit.demo.generate import generate
from toolkit.reports import Filters, build_report, parse_period
from toolkit.reports.compute import summarise_q8
from toolkit.reports.period import PeriodError, previous_quarter
from toolkit.reports.privacy import (
    Viewer,
    mentions_a_name,
    pseudonym,
    report_key,
    suppress_small_rows,
    suppressed,
    viewer_for,
)
from toolkit.reports.stats import cohen_kappa, spread
from toolkit.reports.themes import phrases, quotes, top_phrases
from toolkit.store import NotAllowed

UTC = dt.timezone.utc
Q3 = parse_period("2026Q3")


# --- statistics, by hand ----------------------------------------------------------------------


def test_kappa_matches_the_hand_worked_example():
    # 10 audits: both say Good 4 times, RI 3 times, Inadequate once; they differ twice.
    # observed = 8/10 = 0.8; marginals are Good 5, RI 4, Inadequate 1 for both raters, so
    # expected = .5*.5 + .4*.4 + .1*.1 = 0.42 and kappa = (0.8 - 0.42) / (1 - 0.42) = 0.6552
    auditor = ["G"] * 4 + ["G"] + ["RI"] * 3 + ["RI"] + ["I"]
    moderator = ["G"] * 4 + ["RI"] + ["RI"] * 3 + ["G"] + ["I"]
    assert cohen_kappa(auditor, moderator) == pytest.approx(0.38 / 0.58)


def test_kappa_edges():
    assert cohen_kappa(["a", "b", "a"], ["a", "b", "a"]) == 1
    assert cohen_kappa(["Y", "Y", "N", "N"], ["Y", "N", "Y", "N"]) == 0  # chance level
    assert cohen_kappa([], []) is None
    assert cohen_kappa(["G", "G"], ["G", "G"]) == 1.0  # one category throughout
    assert cohen_kappa(["G", None, "I"], ["G", "G", float("nan")]) == 1.0  # unknowns skipped


def test_median_and_quartiles_by_hand():
    # 1..8: median (4+5)/2 = 4.5; Q1 at rank 1.75 → 2 + .75 = 2.75; Q3 at rank 5.25 → 6.25
    s = spread(pd.Series([8, 1, 7, 2, 6, 3, 5, 4, None]))
    assert (s.n, s.median, s.q1, s.q3, s.iqr) == (8, 4.5, 2.75, 6.25, 3.5)


def test_suppression_of_small_counts():
    assert [suppressed(c) for c in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]
    assert suppressed(2, min_group=3) == "<3"
    frame = pd.DataFrame({"Who": ["a", "b"], "n": [3, 7], "mean": [9.5, 4.0]})
    shown = suppress_small_rows(frame, "n", ["mean"], 5)
    assert shown.to_dict("records") == [
        {"Who": "a", "n": "<5", "mean": "–"},
        {"Who": "b", "n": 7, "mean": 4.0},
    ]


def test_pseudonyms_are_stable_keyed_and_not_names(data_dir):
    key = report_key()
    assert report_key() == key  # kept in the data folder: the same code in every report
    assert (data_dir / "report_key").stat().st_mode & 0o077 == 0
    code = pseudonym(42, "practitioner", key)
    expected = hmac.new(key, b"42", hashlib.sha256).hexdigest()[:6]
    assert code == f"P-{expected}"
    assert pseudonym(42, "practitioner", key) == code
    assert pseudonym(42, "practitioner", b"another key") != code
    assert pseudonym(42, "auditor", key) == f"A-{expected}"
    assert pseudonym(43, "practitioner", key) != code


def test_names_only_for_quality_assurance_who_ask(data_dir):
    from toolkit.core.permissions import Person

    qa = Person(1, "Nadia Q", frozenset({"quality_assurance"}))
    manager = Person(2, "Dom V", frozenset({"manager"}))
    assert viewer_for(qa).label(7, "practitioner").startswith("P-")
    assert viewer_for(qa, names=True, register={7: "Sam A"}).label(7, "practitioner") == "Sam A"
    with pytest.raises(NotAllowed):
        viewer_for(manager, names=True)


def test_periods():
    assert (Q3.start, Q3.end, Q3.label) == (dt.date(2026, 7, 1), dt.date(2026, 10, 1), "2026Q3")
    assert parse_period("2026-q4").end == dt.date(2027, 1, 1)
    july = parse_period("2026-07")
    assert (july.start, july.end) == (dt.date(2026, 7, 1), dt.date(2026, 8, 1))
    span = parse_period("2026-01-01/2026-06-30")
    assert (span.start, span.end) == (dt.date(2026, 1, 1), dt.date(2026, 7, 1))
    assert previous_quarter(dt.date(2026, 11, 22)).label == "2026Q3"
    assert previous_quarter(dt.date(2026, 2, 1)).label == "2025Q4"
    for bad in ("2026Q5", "2026-13", "2026-06-30/2026-01-01", "last quarter"):
        with pytest.raises(PeriodError):
            parse_period(bad)


def test_child_answers_are_sorted_by_the_stated_rules():
    assert summarise_q8("A lot safer now") == "Better supported or safer"
    assert summarise_q8("Better supported, 7 out of 10") == "Better supported or safer"
    assert summarise_q8("3/10") == "Not better"
    assert summarise_q8("5 out of 10") == "About the same"
    assert summarise_q8("Not safer, things are worse") == "Not better"
    assert summarise_q8("About the same") == "About the same"
    assert summarise_q8("Don't know") == "Unclear"
    assert summarise_q8(None) == "Unclear"


def test_phrases_counts_and_quotes_without_names():
    assert phrases("The safety plan is clear.") == {"safety plan", "plan is clear"}
    texts = pd.Series(
        [
            "Safety plan shared with Alfie.",
            "Safety plan written with mum.",
            "Safety plan written with mum.",
            "Network meeting held.",
        ]
    )
    ranked = top_phrases(texts, 3)
    assert ranked[0] == ("safety plan", 3)
    assert ("plan written", 2) not in ranked  # same notes as "safety plan written": one theme
    assert quotes(texts, "safety plan", frozenset({"alfie"})) == ["Safety plan written with mum."]
    assert mentions_a_name("Seen with ALFIE at school", frozenset({"alfie"}))


# --- the report over a hand-made store ---------------------------------------------------------


def _people(store):
    qa = store.add_person("Nadia Ishaq", ["quality_assurance"], team="QA", service="QA")
    auditor = store.add_person("Priya Okafor", ["auditor"], team="North", service="Assessment")
    moderator = store.add_person("Harriet Quenby", ["moderator"], team="QA", service="QA")
    workers = [
        store.add_person(f"Worker {c}", ["practitioner"], team="North", service="Assessment")
        for c in "ABCDEFGH"
    ]
    return qa, auditor, moderator, workers


def _audits(store, auditor, workers, rows):
    """rows: (completed date or None, overall, area_1 scale, child, demo, created date)."""
    insert_audits(
        store,
        auditor,
        [
            (workers[i % len(workers)], done, created, child, demo, overall, area)
            for i, (done, overall, area, child, demo, created) in enumerate(rows, start=1)
        ],
    )


def _frame(report, key):
    return next(t for t in report.tables() if t.key == key)


JUL, AUG = dt.date(2026, 7, 10), dt.date(2026, 8, 12)
ROWS = [
    # July: overall 2, 4, 6, 7, 8 → Inadequate, RI, Good, Outstanding, Outstanding
    (JUL, 2, 1, "C1", False, None),
    (JUL, 4, 2, "C2", False, None),
    (JUL, 6, 3, "C3", False, None),
    (JUL, 7, 4, "C4", False, None),
    (JUL, 8, 10, "C5", False, None),
    # August: 3, 3, 6 → RI, RI, Good; C1 audited again (2 → 6: +4)
    (AUG, 3, 5, "C6", False, None),
    (AUG, 3, 5, "C7", False, None),
    (AUG, 6, 5, "C1", False, None),
    # demonstration audits in the period: never counted
    (JUL, 0, 0, "D1", True, None),
    (AUG, 0, 0, "D2", True, None),
    # allocated in July, never completed: overdue after 28 days
    (None, None, None, "C9", False, JUL),
]


@pytest.fixture
def small_store(store):
    qa, auditor, _moderator, workers = _people(store)
    _audits(store, auditor, workers, ROWS)
    return store, qa


def test_grade_trend_area_spread_and_distance_by_hand(small_store):
    store, _ = small_store
    report = build_report(store, Filters(Q3), Viewer(key=b"k", min_group=1), dt.date(2026, 12, 1))
    months = _frame(report, "grades_by_month").frame.set_index("Month")
    assert months.loc["2026-07"].to_dict() == {
        "Inadequate": 1,
        "Requires improvement": 1,
        "Good": 1,
        "Outstanding": 2,
        "Audits": 5,
    }
    assert months.loc["2026-08", "Requires improvement"] == 2
    assert months.loc["2026-08", "Audits"] == 3
    shares = _frame(report, "grades_by_month").chart.data
    assert shares.loc["2026-07", "Outstanding"] == pytest.approx(0.4)
    quarter = _frame(report, "grades_by_quarter").frame.set_index("Quarter").loc["2026Q3"]
    assert quarter["Audits"] == 8  # demonstration audits left out
    # area 1 over the 8 audits: 1,2,3,4,10,5,5,5 → sorted 1,2,3,4,5,5,5,10: median 4.5,
    # Q1 at rank 1.75 → 2.75, Q3 at rank 5.25 → 5.0
    area = _frame(report, "areas").frame.iloc[0]
    assert area["Audits"] == 8
    assert (area["Median"], area["Lower quartile"], area["Upper quartile"]) == (4.5, 2.8, 5.0)
    distance = _frame(report, "distance_travelled").frame.set_index("Who")
    child = distance.loc["Children audited more than once"]
    assert child["Audited again"] == 1
    assert child["Mean change in overall rating"] == 4.0
    activity = _frame(report, "activity").frame.set_index("Measure")["Audits"]
    assert activity["Audits completed"] == 8
    assert activity["Audits allocated"] == 9
    assert (
        activity["Allocated in the period and not completed within 28 days (the toolkit’s setting)"]
        == 1
    )


def test_small_groups_are_suppressed_everywhere_counts_are(small_store):
    store, _ = small_store
    report = build_report(store, Filters(Q3), Viewer(key=b"k"), dt.date(2026, 12, 1))
    months = _frame(report, "grades_by_month").frame.set_index("Month")
    # July's 5 audits were shown before, and gave August's away: 8 in the quarter − 5 = 3
    assert months.loc["2026-07"].tolist() == ["<5", "<5", "<5", "<5", "–"]
    assert months.loc["2026-08", "Audits"] == "<5"
    assert "2026-08" not in _frame(report, "grades_by_month").chart.data.index
    grades = _frame(report, "grades").frame.set_index("Grade")["Audits"]
    assert grades.tolist() == ["<5", "<5", "<5", "<5"]
    child = _frame(report, "distance_travelled").frame.iloc[0]
    assert child["Audited again"] == "<5"
    assert child["Mean change in overall rating"] == "–"


def test_no_child_ids_or_names_in_any_table(small_store):
    store, _qa = small_store
    report = build_report(store, Filters(Q3), Viewer(key=b"k", min_group=1))
    text = " ".join(t.frame.to_csv() for t in report.tables())
    for secret in ("C1", "C2", "Worker A", "Priya"):
        assert secret not in text


def test_workbook_neutralises_formulas(tmp_path, small_store):
    from openpyxl import load_workbook

    from toolkit.reports.excel import write_workbook

    store, _ = small_store
    report = build_report(store, Filters(Q3), Viewer(key=b"k", min_group=1))
    report.sections[0].tables[0].frame.loc[0, "Measure"] = '=HYPERLINK("x","y")'
    path = write_workbook(report, tmp_path / "r.xlsx")
    book = load_workbook(path)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert '\'=HYPERLINK("x","y")' in [c.value for c in cells]
    assert "activity" in book.sheetnames
    assert "themes" in book.sheetnames


# --- the generator ----------------------------------------------------------------------------


def _answers_digest(store) -> str:
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "select audit_id, field_key, value from answers order by audit_id, field_key"
        ).all()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_generator_is_reproducible_and_plausible(tmp_path):
    from toolkit.store import Store

    first = Store(f"sqlite:///{tmp_path / 'a.sqlite'}")
    second = Store(f"sqlite:///{tmp_path / 'b.sqlite'}")
    counts = generate(first, 1500, seed=3)
    generate(second, 1500, seed=3)
    assert _answers_digest(first) == _answers_digest(second)
    assert counts["audits"] == 1500
    assert counts["moderations"] > 0
    assert counts["escalations"] > 0
    report = build_report(
        first,
        Filters(parse_period("2024-10-01/2026-09-30")),
        Viewer(key=b"k"),
        dt.date(2026, 10, 1),
    )
    with first.engine.connect() as conn:
        demo = conn.exec_driver_sql("select count(*) from audits where demo").scalar()
        mods = conn.exec_driver_sql(
            "select count(*) from moderations where agrees is null or moderator_grade is null "
            "or agreed_grade is null"
        ).scalar()
        inadequate_unescalated = conn.exec_driver_sql(
            "select count(*) from answers a where a.field_key='overall.overall_rating' "
            "and cast(a.value as integer) <= 2 and not exists "
            "(select 1 from escalations e where e.audit_id = a.audit_id)"
        ).scalar()
    assert demo == 0
    assert mods == 0
    assert inadequate_unescalated == 0
    moderation = _frame(report, "moderation").frame.set_index("Measure")["Value"]
    assert 0.2 < moderation["Cohen's kappa on grades"] < 0.95  # agreement, but not perfect
    frames = __import__("toolkit.reports.load", fromlist=["load"]).load(
        first, Filters(parse_period("2024-10-01/2026-09-30"))
    )
    a = frames.audits.dropna(subset=["overall.overall_rating"])
    assert a["overall.overall_rating"].corr(a[frames.area_keys].median(axis=1)) > 0.7


def test_demo_audits_are_read_only_when_there_is_nothing_else(store):
    period = Filters(parse_period("2024-10-01/2026-09-30"))
    generate(store, 300, seed=5, demo=True)
    report = build_report(store, period, Viewer(key=b"k"))
    assert report.demonstration == "demo"  # the run command's first run: said on every export
    assert report.audits_read == 300
    generate(store, 40, seed=6)  # real audits beside them: the demonstration is left out
    report = build_report(store, period, Viewer(key=b"k"))
    assert report.demonstration == ""
    assert report.audits_read == 40


# --- the app (widgets, no kernel) ----------------------------------------------------------


@pytest.fixture
def generated(store):
    generate(store, 800, seed=2)
    return store


def _as(store, roles):
    person = store.add_person(f"Reader {'-'.join(roles)}", roles, team="QA")
    choose(person)
    return person


def test_quality_assurance_sees_four_sections_with_codes(generated):
    from toolkit.apps.reports import ReportsApp

    _as(generated, ["quality_assurance"])
    app = ReportsApp(generated)
    tabs = app.output.children[1]
    assert [tabs.get_title(i) for i in range(4)] == [
        "How much did we do",
        "How well did we do it",
        "Is anyone better off",
        "Themes and follow-through",
    ]
    how_well = tabs.children[1].value
    assert "<svg" in how_well
    assert "A-" in how_well
    practitioner_names = {p.name for p in generated.people() if "practitioner" in p.roles}
    themes = tabs.children[3].value
    assert "P-" in themes
    assert not any(name in themes for name in practitioner_names)


def test_names_only_when_asked(generated):
    from toolkit.apps.reports import ReportsApp

    _as(generated, ["quality_assurance"])
    app = ReportsApp(generated)
    app.filters.names.value = True
    app.filters.show.click()
    themes = app.output.children[1].children[3].value
    practitioner_names = {p.name for p in generated.people() if "practitioner" in p.roles}
    assert any(name in themes for name in practitioner_names)


def test_a_bad_period_is_explained_and_others_are_refused(generated):
    from toolkit.apps.reports import ReportsApp

    _as(generated, ["quality_assurance"])
    app = ReportsApp(generated)
    app.filters.quarter.value = "next year"
    app.filters.show.click()
    assert "is not a period" in app.messages.value
    _as(generated, ["manager", "auditor"])
    refused = ReportsApp(generated)
    assert "for the quality assurance team" in refused.messages.value
    assert refused.filters is None
    assert not refused.output.children


def test_the_audit_app_does_not_import_pandas():
    code = "import sys, toolkit.apps.audit.app; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
