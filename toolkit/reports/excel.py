"""The tables behind the report as an Excel workbook (openpyxl): one sheet per table.

Cells are written as values, never formulas: text that begins with = + - @ (or a tab or
carriage return) is prefixed with an apostrophe so a spreadsheet cannot run it ("CSV/formula
injection"), as OWASP advises.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from toolkit.reports.model import Report
from toolkit.reports.privacy import SUPPRESSION_RULE

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_workbook(report: Report, path: Path | str) -> Path:
    book = Workbook()
    about = book.active
    about.title = "About"
    about.append(["Quality assurance report", report.subtitle])
    about.append(["As at", report.as_of.isoformat()])
    about.append(["Audits read", report.audits_read_shown])
    about.append(
        [
            "Privacy",
            "No child's name or ID; people as codes unless named by quality assurance. "
            f"{SUPPRESSION_RULE} {report.demonstration_note}",
        ]
    )
    used: set[str] = {"About"}
    for table in report.tables():
        name = _sheet_name(table.key, used)
        sheet = book.create_sheet(name)
        sheet.append([neutralise(table.title)])
        sheet["A1"].font = Font(bold=True)
        if table.note:
            sheet.append([neutralise(table.note)])
        sheet.append([neutralise(str(c)) for c in table.frame.columns])
        for row in table.frame.itertuples(index=False):
            sheet.append([neutralise(_plain(v)) for v in row])
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column[2:]) if len(column) > 2 else 12
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 70)
            for cell in column:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    path = Path(path)
    book.save(path)
    return path


def _plain(value: object) -> object:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _sheet_name(key: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("_", key)[:31]
    name, n = base, 2
    while name in used:
        name = f"{base[:28]}_{n}"
        n += 1
    used.add(name)
    return name
