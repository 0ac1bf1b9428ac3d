"""The first run: on the run command's demonstration data the reports count the demonstration
and say so; in a store with any real audit, demonstration audits are never counted."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from toolkit.demo.generate import generate
from toolkit.demo.history import HISTORY_AUDITS, add_history
from toolkit.demo.seed import seed_demo
from toolkit.forms.loader import registry
from toolkit.reports import Filters, build_report
from toolkit.reports.document import make
from toolkit.reports.excel import write_workbook
from toolkit.reports.html import report_html
from toolkit.reports.load import filter_options
from toolkit.reports.period import parse_period, previous_quarter
from toolkit.reports.privacy import Viewer, viewer_for
from toolkit.server.serve import prepare_store

NOTICE = "Demonstration data, not real figures."
LAST_QUARTER = Filters(previous_quarter())


def _measure(report, table: str, measure: str) -> object:
    frame = next(t for t in report.tables() if t.key == table).frame
    return frame.set_index("Measure").iloc[:, 0][measure]


@pytest.fixture
def demo_store(store):
    """What the run command puts in a new store: the stories and the history."""
    seed_demo(store)
    add_history(store)
    return store


def test_the_run_commands_store_gets_the_stories_and_the_history(store):
    made = prepare_store()  # the store the run command opens: the fixture's
    assert made["created"] is True
    assert made["history"]["audits"] == HISTORY_AUDITS
    assert store.count_audits() == 6 + HISTORY_AUDITS
    assert prepare_store()["created"] is False  # a second start adds nothing
    assert store.count_audits() == 6 + HISTORY_AUDITS


def test_reports_on_the_demonstration_are_not_zero_and_say_so(demo_store):
    report = build_report(demo_store, LAST_QUARTER, viewer_for(None))
    assert report.demonstration == "demo"
    assert report.audits_read > 100  # the quarter and the year before it
    allocated = _measure(report, "activity", "Audits allocated")
    completed = _measure(report, "activity", "Audits completed")
    assert isinstance(allocated, int)
    assert allocated >= 20
    assert isinstance(completed, int)
    assert completed >= 20
    grades = next(t for t in report.tables() if t.key == "grades").frame
    assert sum(v for v in grades["Audits"] if isinstance(v, int)) >= 20
    areas = next(t for t in report.tables() if t.key == "areas").frame
    assert (areas["Audits"] != 0).all()  # every area scaled in the quarter
    html = report_html(report)
    assert NOTICE in html
    assert "Demonstration audits are left out" not in html
    # pseudonymised as in any report: codes, never the demonstration people's names
    assert "P-" in html
    assert "Sam Achterberg" not in html
    assert "Carys Hallam" not in html
    assert "LL-10" not in html  # no child's ID


def test_the_filters_offer_the_demonstrations_teams(demo_store):
    options = filter_options(demo_store)
    assert "Care Leavers Team" in options["teams"]
    assert "Assessment and Intervention" in options["services"]


def test_the_quarterly_report_and_workbook_say_it_is_a_demonstration(demo_store, tmp_path):
    report = make(previous_quarter().label, store=demo_store)
    assert report.demonstration == "demo"
    assert NOTICE in report_html(report)
    book = load_workbook(write_workbook(report, tmp_path / "q.xlsx"))
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert "fictional audits the run command" in about["Privacy"]
    assert "left out" in about["Privacy"]  # ... once a real audit is recorded


def test_a_real_stores_figures_are_the_same_with_demonstration_rows_beside_them(store):
    """Demonstration audits in a store with real ones change no figure."""
    generate(store, 400, seed=8)  # real audits, 2024Q4 to 2026Q3
    filters = Filters(parse_period("2026Q3"))
    viewer = Viewer(key=b"k")
    before = build_report(store, filters, viewer, as_of=dt.date(2026, 10, 1))
    add_history(store, today=dt.date(2026, 12, 3))  # demonstration audits ending in 2026Q3
    seed_demo_like = generate(store, 200, seed=9, demo=True)  # more, over the same two years
    assert seed_demo_like["audits"] == 200
    after = build_report(store, filters, viewer, as_of=dt.date(2026, 10, 1))
    assert after.demonstration == ""
    assert after.audits_read == before.audits_read
    for old, new in zip(before.tables(), after.tables(), strict=True):
        assert new.frame.equals(old.frame), new.key
    assert NOTICE not in report_html(after)
    assert "Demonstration audits are left out." in report_html(after)


def test_the_first_real_audit_takes_the_demonstration_out_of_the_reports(demo_store):
    assert build_report(demo_store, LAST_QUARTER, viewer_for(None)).audits_read > 100
    people = {p.name: p for p in demo_store.people()}
    demo_store.create_audit(
        registry().latest("collaborative_case_audit"),
        child_id="LL-900001",
        auditor=people["Priya Okafor-Lund"],
        practitioner=people["Grace Mbeki-Thorne"],
        created_by=people["Colin Pettifer"],
    )
    report = build_report(demo_store, Filters(parse_period("2020Q1")), viewer_for(None))
    assert report.demonstration == ""
    this_month = Filters(parse_period(f"{dt.date.today():%Y-%m}"))
    this_month_report = build_report(demo_store, this_month, viewer_for(None))
    assert this_month_report.demonstration == ""
    # the real audit only: never the six stories of this month nor the history before it
    assert this_month_report.audits_read == 1
    assert "Care Leavers Team" not in filter_options(demo_store)["teams"]
