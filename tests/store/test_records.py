"""Records: the audit as HTML and PDF for the child's file, and the audits of a period as CSV
and Excel. User text is escaped, nothing links out, and no spreadsheet cell can run as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.audits import completed_audit
from toolkit.audit import records
from toolkit.store import InvalidAnswer, NotAllowed, Store
from toolkit.store.moderations import Moderations

PAYLOAD = "<script>alert('x')</script>"
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-3+4", "@SUM(A1)"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def people(store: Store) -> dict:
    return {
        "auditor": store.add_person("Ama <b>Auditor</b>", ["auditor"], team="Team A"),
        "practitioner": store.add_person(
            "Pat Practitioner", ["practitioner"], team="=cmd|' /C calc'!A0", service="Service B"
        ),
        "moderator": store.add_person("Mo Moderator", ["moderator"]),
        "qa": store.add_person("Quinn QA", ["quality_assurance"]),
        "stranger": store.add_person("Stan Stranger", ["practitioner"]),
    }


@pytest.fixture
def audit_id(store: Store, people: dict) -> int:
    """A completed Inadequate audit with a script payload in its rationale and action, moderated
    (disagreeing, agreed grade Requires improvement)."""
    audit_id = completed_audit(
        store,
        people["auditor"],
        people["practitioner"],
        2,
        rationale=f"Rationale {PAYLOAD}",
        action=f"Action {PAYLOAD}",
    )
    book = Moderations(store)
    (m,) = book.select_and_allocate(people["qa"], dt.date.today(), 0.0, seed=1)
    mod = people["moderator"]
    for key in book.scale_keys(store.audit(audit_id)):
        book.save(m.id, key, 3, mod)
    book.save(m.id, "feedback.good_practice", f"Good {PAYLOAD}", mod)
    book.save(m.id, "feedback.development", "Network", mod)
    book.save(m.id, "audit_actions.actions_completed", "No", mod)
    book.save(m.id, "agreement.agrees", "Disagree", mod)
    book.save(m.id, "agreement.agreed_grade", "Requires improvement", mod)
    book.complete(m.id, mod)
    return audit_id


def test_html_record_escapes_user_text_and_links_nowhere(store: Store, audit_id: int) -> None:
    html = records.audit_record_html(store, audit_id)
    assert PAYLOAD not in html
    assert "&lt;script&gt;" in html
    assert "Ama &lt;b&gt;Auditor&lt;/b&gt;" in html
    assert not re.search(r"https?://", html)
    assert "<link" not in html
    assert "src=" not in html
    for text in ("Section 4", "Areas of Strength", "Rationale", "Moderation #"):
        assert text in html
    assert "Auditor’s grade: Inadequate" in html
    assert "Grade agreed with the auditor: Requires improvement" in html


def test_html_record_obeys_who_may_read(store: Store, people: dict, audit_id: int) -> None:
    with pytest.raises(NotAllowed):
        records.audit_record_html(store, audit_id, people["stranger"])
    assert records.audit_record_html(store, audit_id, people["moderator"])


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_pdf_record_shows_the_payload_as_text(store: Store, audit_id: int, tmp_path: Path) -> None:
    pdf = records.audit_record_pdf(store, audit_id)
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, tmp_path)
    assert PAYLOAD in text
    assert "Auditor’s grade: Inadequate" in text or "Auditor's grade: Inadequate" in text


def test_pdf_of_the_moderated_demo_is_rendered_to_png(tmp_path: Path) -> None:
    """First and last pages as PNG for people to look at (screenshots/record-pdf-*.png)."""
    from toolkit.demo.seed import moderated_demo

    demo = Store(f"sqlite:///{tmp_path}/demo.sqlite")
    pdf_path = tmp_path / "r.pdf"
    pdf_path.write_bytes(records.audit_record_pdf(demo, moderated_demo(demo)))
    demo.close()
    text = _pdf_text(pdf_path.read_bytes(), tmp_path)
    assert "Grade agreed with the auditor: Requires improvement" in " ".join(text.split())
    pages = int(re.search(r"Page 1 of (\d+)", text).group(1))
    SCREENSHOTS.mkdir(exist_ok=True)
    for page, name in ((1, "record-pdf-first"), (pages, "record-pdf-moderation")):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf_path),
                str(SCREENSHOTS / name),
            ],
            check=True,
        )
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 5_000


def test_pdf_tools_are_installed() -> None:
    assert shutil.which("pdftotext"), "apt-get install poppler-utils"
    assert shutil.which("pdftoppm"), "apt-get install poppler-utils"


# --- the audits of a period ---------------------------------------------------------------------


def _period(store: Store, fmt: str, reader=None) -> bytes:
    today = dt.date.today()
    return records.export_period(store, today - dt.timedelta(days=1), today, fmt, reader)


@pytest.fixture
def formula_audit(store: Store, people: dict, audit_id: int) -> int:
    """A second audit whose child's ID and texts start like formulas."""
    other = completed_audit(store, people["auditor"], people["practitioner"], 7, child_id="LL-9")
    return other


def test_csv_has_one_row_per_audit_and_neutralises_formulas(
    store: Store, audit_id: int, formula_audit: int
) -> None:
    rows = list(csv.reader(io.StringIO(_period(store, "csv").decode("utf-8-sig"))))
    head, body = rows[0], rows[1:]
    assert [r[0] for r in body] == [str(audit_id), str(formula_audit)]
    assert head[-5:] == [
        "Overall rating",
        "Grade",
        "Moderator’s grade",
        "Moderation agrees",
        "Grade after moderation",
    ]
    first = dict(zip(head, body[0], strict=True))
    assert first["Grade"] == "Inadequate"
    assert first["Grade after moderation"] == "Requires improvement"
    assert first["Area 6"] == ""
    assert first["Overall rating"] == "2"
    assert first["Team"] == "'=cmd|' /C calc'!A0"  # the practitioner's team, made inert
    for row in body:
        for cell in row:
            assert not cell.startswith(records.FORMULA_STARTS), cell


@pytest.mark.parametrize("text", FORMULAS)
def test_every_formula_start_is_neutralised(text: str) -> None:
    assert records.neutralise(text) == "'" + text
    assert records.neutralise(5) == 5
    assert records.neutralise("plain") == "plain"


def test_excel_cells_are_never_formulas_and_keep_their_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    heads = ["Audit", "Text"]
    rows = [[i, text] for i, text in enumerate([*FORMULAS, PAYLOAD], start=1)]
    book = load_workbook(io.BytesIO(records.to_xlsx(heads, rows)))
    sheet = book.active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert [sheet.cell(row=r, column=2).value for r in range(2, 7)] == [*FORMULAS, PAYLOAD]
    assert sheet.cell(row=2, column=1).value == 1


def test_excel_export_of_a_period(store: Store, audit_id: int, formula_audit: int) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(_period(store, "xlsx"))).active
    values = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in values[1:]] == [audit_id, formula_audit]
    assert values[1][2] == "=cmd|' /C calc'!A0"  # intact, and a string
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_a_period_export_holds_only_what_the_reader_may_read(
    store: Store, people: dict, audit_id: int
) -> None:
    rows = _period(store, "csv", people["stranger"]).decode("utf-8-sig").splitlines()
    assert len(rows) == 1  # the heading only
    assert len(_period(store, "csv", people["qa"]).decode("utf-8-sig").splitlines()) == 2


def test_a_backwards_period_or_an_unknown_format_is_refused(store: Store) -> None:
    today = dt.date.today()
    with pytest.raises(InvalidAnswer, match="ends"):
        records.export_period(store, today, today - dt.timedelta(days=1), "csv")
    with pytest.raises(InvalidAnswer, match="csv or xlsx"):
        records.export_period(store, today, today, "ods")


# --- the command line ---------------------------------------------------------------------------


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    import sys

    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        timeout=120,
    )


def test_cli_exports_one_audit_and_a_period(
    store: Store, data_dir: Path, audit_id: int, tmp_path: Path
) -> None:
    html = _cli(data_dir, "export-audit", str(audit_id), "--format", "html")
    assert html.returncode == 0, html.stderr
    assert b"&lt;script&gt;" in html.stdout
    assert b"<script>" not in html.stdout
    pdf = tmp_path / "a.pdf"
    made = _cli(data_dir, "export-audit", str(audit_id), "--format", "pdf", "-o", str(pdf))
    assert made.returncode == 0, made.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    today = dt.date.today().isoformat()
    sheet = tmp_path / "a.xlsx"
    made = _cli(
        data_dir,
        "export-audits",
        "--from",
        today,
        "--to",
        today,
        "--format",
        "xlsx",
        "-o",
        str(sheet),
    )
    assert made.returncode == 0, made.stderr
    from openpyxl import load_workbook

    assert load_workbook(sheet).active.cell(row=2, column=1).value == audit_id
    missing = _cli(data_dir, "export-audit", "999", "--format", "html")
    assert missing.returncode == 1
    assert b"There is no audit 999" in missing.stderr
    bad = _cli(data_dir, "export-audits", "--from", "2026-13-01", "--to", today)
    assert bad.returncode == 1
    assert b"--from" in bad.stderr
