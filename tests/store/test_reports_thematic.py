"""Thematic audits in the quarterly report, against values worked out by hand on a small store.

Bexley "Transfer of Cases" (trf) has 7 items: expectations e01–e05 and bottom lines bl01, bl02.
Counted (completed in 2026 Q3, not a demonstration):

- T1 trf: e01 and bl02 Not met, the other 5 Met;
- T2 trf: e01 Not met, e02 Partly met, e03 Not applicable, the other 4 Met;
- T3 trf all 7 Met, and pcpc (11 items) all Met but bl01 Not met;
- T7 trf all 7 Met, a section of a collaborative audit in the service "Children in Need".

So trf: 4 audits; Met 5+4+7+7 = 23, Partly met 1, Not met 2+1 = 3, Not applicable 1, bottom
lines not met 1; e01 not met twice, bl02 once. pcpc: 1 audit. Not counted: T4 (completed in Q2),
T5 (in progress), T6 (a section of a demonstration audit).
"""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from tests.support.chosen import choose
from toolkit.forms.loader import registry
from toolkit.reports import Filters, build_report, parse_period
from toolkit.reports.excel import write_workbook
from toolkit.reports.html import report_html
from toolkit.reports.privacy import viewer_for
from toolkit.standards.loader import load_standards
from toolkit.standards.store import (
    complete_thematic_audit,
    create_thematic_audit,
    save_thematic_answer,
)
from toolkit.store import schema

Q3 = parse_period("2026Q3")
IN_Q3 = dt.datetime(2026, 8, 14, 10, tzinfo=dt.timezone.utc)
IN_Q2 = dt.datetime(2026, 6, 30, 23, tzinfo=dt.timezone.utc)
BEXLEY = load_standards("bexley")
TRF = [i.id for i in BEXLEY.area("trf").items]
PCPC = [i.id for i in BEXLEY.area("pcpc").items]
TRF_TITLE = BEXLEY.area("trf").title
E01_TEXT = BEXLEY.item("trf_e01")[1].text
BL02_TEXT = BEXLEY.item("trf_bl02")[1].text


def _thematic(store, auditor, areas, ratings, completed_at=IN_Q3, audit_id=None, child="LL-1"):
    thematic = create_thematic_audit(
        store, auditor, "bexley", areas, child_id=None if audit_id else child, audit_id=audit_id
    )
    for item_id, rating in ratings.items():
        save_thematic_answer(store, auditor, thematic.id, item_id, "rating", rating)
    if completed_at is None:
        return thematic
    complete_thematic_audit(store, auditor, thematic.id)
    with store.unit_of_work() as work:
        conn = work.conn
        conn.execute(
            update(schema.thematic_audits)
            .where(schema.thematic_audits.c.id == thematic.id)
            .values(completed_at=completed_at)
        )
    return thematic


def _all(items, rating="met", **others):
    return {i: others.get(i, rating) for i in items}


@pytest.fixture
def small_store(store):
    auditor = store.add_person("Ada Auditor", ["auditor"], team="QA")
    cin = store.add_person(
        "Pat Practitioner", ["practitioner"], team="CIN 1", service="Children in Need"
    )
    form = registry().latest("collaborative_case_audit")
    live = store.create_audit(
        form, child_id="LL-7", auditor=auditor, practitioner=cin, created_by=auditor
    )
    demo = store.create_audit(
        form, child_id="LL-6", auditor=auditor, practitioner=cin, created_by=auditor, demo=True
    )
    _thematic(store, auditor, ["trf"], _all(TRF, trf_e01="not_met", trf_bl02="not_met"))  # T1
    _thematic(
        store,
        auditor,
        ["trf"],
        _all(TRF, trf_e01="not_met", trf_e02="partly_met", trf_e03="not_applicable"),
    )  # T2
    _thematic(store, auditor, ["trf", "pcpc"], _all(TRF + PCPC, pcpc_bl01="not_met"))  # T3
    _thematic(store, auditor, ["trf"], _all(TRF, "not_met"), completed_at=IN_Q2)  # T4
    _thematic(store, auditor, ["trf"], _all(TRF, "not_met"), completed_at=None)  # T5
    _thematic(store, auditor, ["trf"], _all(TRF, "not_met"), audit_id=demo.id)  # T6
    _thematic(store, auditor, ["trf"], _all(TRF), audit_id=live.id)  # T7
    return store


def _report(store, min_group, service=None):
    viewer = viewer_for(None, min_group=min_group)
    report = build_report(store, Filters(Q3, service), viewer, as_of=Q3.last_day)
    (section,) = [s for s in report.sections if s.key == "thematic"]
    return report, section.tables


def _rows(frame):
    return [list(r) for r in frame.itertuples(index=False)]


def test_counts_per_authority_and_service_area_match_the_hand_worked_values(small_store):
    _, (areas, items) = _report(small_store, min_group=2)
    assert list(areas.frame.columns) == [
        "Authority",
        "Service area",
        "Audits",
        "Met",
        "Partly met",
        "Not met",
        "Not applicable",
        "Bottom lines not met",
    ]
    pcpc_title = BEXLEY.area("pcpc").title
    assert _rows(areas.frame) == [
        ["London Borough of Bexley", TRF_TITLE, 4, 23, 1, 3, 1, 1],
        # audited once: fewer than 2, so the figures are withheld
        ["London Borough of Bexley", pcpc_title, "<2", "–", "–", "–", "–", "–"],
    ]
    assert areas.note.startswith("4 thematic audits completed in the period.")
    # verbatim texts, most often first; pcpc (audited once) is left out; bl02, not met once,
    # is no longer listed as <2: trf's Not met (3) less e01's 2 gave its 1 away
    assert _rows(items.frame) == [
        ["London Borough of Bexley", TRF_TITLE, E01_TEXT, "Practice expectation", 2, 4],
    ]
    assert BL02_TEXT not in items.frame.to_csv()


def test_with_the_default_threshold_small_groups_are_suppressed(small_store):
    _, (areas, items) = _report(small_store, min_group=5)
    assert _rows(areas.frame)[0] == ["London Borough of Bexley", TRF_TITLE, "<5"] + ["–"] * 5
    assert areas.note.startswith("<5 thematic audits completed")
    assert items.frame.empty


def test_a_service_counts_only_sections_of_its_own_collaborative_audits(small_store):
    _, (areas, items) = _report(small_store, min_group=1, service="Children in Need")
    assert _rows(areas.frame) == [["London Borough of Bexley", TRF_TITLE, 1, 7, 0, 0, 0, 0]]
    assert "run on their own have no service or team" in areas.note
    assert items.frame.empty


def test_no_child_id_reaches_the_report_and_the_html_shows_the_standards_verbatim(small_store):
    report, _ = _report(small_store, min_group=2)
    page = report_html(report)
    assert "section-thematic" in page
    assert "<h2>Thematic audits</h2>" in page
    assert "When we are handing a family over to another team or worker" in page
    for child in ("LL-1", "LL-6", "LL-7"):
        assert child not in page


def test_the_workbook_has_both_thematic_tables(small_store, tmp_path):
    report, _ = _report(small_store, min_group=2)
    book = load_workbook(write_workbook(report, tmp_path / "r.xlsx"))
    sheet = book["thematic_by_area"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Ratings per service area"
    assert ["London Borough of Bexley", TRF_TITLE, 4, 23, 1, 3, 1, 1] in rows
    not_met = [[c.value for c in row] for row in book["thematic_not_met"].iter_rows()]
    assert [
        "London Borough of Bexley",
        TRF_TITLE,
        E01_TEXT,
        "Practice expectation",
        2,
        4,
    ] in not_met


def test_a_period_without_thematic_audits_says_so(store):
    _, (areas, items) = _report(store, min_group=5)
    assert areas.frame.empty
    assert items.frame.empty
    assert areas.note.startswith("0 thematic audits completed")


def test_the_reporting_app_shows_a_thematic_tab(small_store):
    from toolkit.apps.reports import ReportsApp

    choose(small_store.add_person("Quinn QA", ["quality_assurance"]))
    app = ReportsApp(small_store)
    app.filters.quarter.value = "2026Q3"
    app.filters.show.click()
    tabs = app.output.children[1]
    assert tabs.get_title(4) == "Thematic audits"
    assert "tab-thematic" in tabs.children[4]._dom_classes
    page = tabs.children[4].value
    assert "table-thematic_by_area" in page
    assert "table-thematic_not_met" in page
    assert "Transfer of Cases" in page
