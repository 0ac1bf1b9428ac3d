"""The quarterly report files and the reporting app, in a real kernel and headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.browser import SCREENSHOTS_DIR, open_app, remember_person, screenshot
from toolkit.reports.export import external_references
from toolkit.reports.period import previous_quarter

REPO_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A generated store of its own and the 2026Q3 report written from it by the CLI."""
    folder = tmp_path_factory.mktemp("report")
    env = {**os.environ, "SOS_TOOLKIT_DATA_DIR": str(folder / "data")}
    env.pop("SOS_TOOLKIT_DATABASE_URL", None)
    run = [sys.executable, "-m", "toolkit"]
    subprocess.run([*run, "generate", "--audits", "2000", "--seed", "4"], env=env, check=True)
    out = subprocess.run(
        [*run, "report", "--quarter", "2026Q3", "--out", str(folder / "out")],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO_DIR,
    )
    files = {Path(line).suffix[1:]: Path(line) for line in out.stdout.split()}
    return files


@pytest.mark.e2e
def test_exported_html_is_self_contained_and_shows_every_chart(exported, browser):
    page_text = exported["html"].read_text()
    assert external_references(page_text) == []
    assert "http://" not in page_text
    assert "https://" not in page_text
    assert "<script" not in page_text  # inputs hidden, no widgets, nothing to run
    assert "from toolkit" not in page_text
    charts = page_text.count('<div class="chart chart-')
    assert charts >= 7
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_offline(True)
    requested: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            (requested.append(route.request.url), route.abort())
            if not route.request.url.startswith("file:")
            else route.continue_()
        ),
    )
    page = context.new_page()
    try:
        page.goto(exported["html"].as_uri())
        page.locator(".qa-report h1").wait_for()
        assert page.locator(".chart svg").count() == charts
        for i in range(charts):  # each chart drew something of size
            box = page.locator(".chart svg").nth(i).bounding_box()
            assert box
            assert box["width"] > 200
            assert box["height"] > 100
        assert page.locator("h2").all_inner_texts()[:4] == [
            "How much did we do?",
            "How well did we do it?",
            "Is anyone better off?",
            "Themes and follow-through",
        ]
        assert requested == []
        SCREENSHOTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS_DIR / "report-export-html.png"), full_page=True)
        page.screenshot(path=str(SCREENSHOTS_DIR / "report-export-html-top.png"))
    finally:
        context.close()


@pytest.mark.e2e
def test_pdf_and_workbook_are_written(exported):
    from openpyxl import load_workbook

    assert exported["pdf"].read_bytes()[:5] == b"%PDF-"
    assert exported["pdf"].stat().st_size > 20_000
    book = load_workbook(exported["xlsx"])
    assert {"About", "activity", "grades", "areas", "themes"} <= set(book.sheetnames)


# --- the reporting app in Voilà ----------------------------------------------------------


def _sign_in(page, server, roles: list[str]) -> None:
    from toolkit.demo.generate import generate

    store = server.store()
    if not any(p.name.startswith("Report Reader") for p in store.people()):
        generate(store, 1500, seed=6)
    person = store.add_person(f"Report Reader {len(store.people())}", roles, team="QA")
    remember_person(page.context, server, person)


@pytest.mark.e2e
def test_reporting_app_shows_the_sections_to_quality_assurance(voila_server, page):
    _sign_in(page, voila_server, ["quality_assurance"])
    open_app(page, voila_server, "reports.ipynb", selector=".report-tabs")
    assert previous_quarter().label in page.locator(".report-header").inner_text()
    assert page.locator(".tab-how_much table").count() >= 2
    screenshot(page, "reports-app-how-much")
    page.get_by_role("tab", name="How well did we do it").click()
    page.locator(".tab-how_well svg").first.wait_for()
    assert page.locator(".tab-how_well svg").count() >= 5
    screenshot(page, "reports-app-how-well")
    page.get_by_role("tab", name="Themes and follow-through").click()
    page.locator(".tab-themes table").first.wait_for()
    screenshot(page, "reports-app-themes")
    # a month instead of the quarter
    page.locator(".period-kind button", has_text="Month").click()
    page.locator(".period-month input").fill("2026-08")
    page.locator(".show-report").click()
    page.locator(".report-header", has_text="August 2026").wait_for()


@pytest.mark.e2e
def test_reporting_app_refuses_others(voila_server, page):
    _sign_in(page, voila_server, ["manager", "auditor"])
    open_app(page, voila_server, "reports.ipynb", selector=".report-refusal")
    assert "for the quality assurance team" in page.locator(".toolkit-message").inner_text()
    assert page.locator(".report-tabs").count() == 0
    screenshot(page, "reports-app-refused")


def test_report_notebook_is_parameters_and_one_call_without_outputs():
    import nbformat

    nb = nbformat.read(REPO_DIR / "notebooks" / "quarterly_report.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.metadata.get("tags") for c in code] == [["parameters"], None]
    assert "render(period, service, team)" in code[1].source
    assert not any(c.get("outputs") for c in code)
