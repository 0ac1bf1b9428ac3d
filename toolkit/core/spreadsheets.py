"""Reading and writing the spreadsheets people import and download (.xlsx or .csv).

Reading is strict and explains itself: a file that is not a spreadsheet, a missing column, a
heading that looks like a known one but is misspelt, or an empty sheet is a
:class:`SpreadsheetError` whose message says what to fix. Other headings are allowed and ignored
(a sheet may carry its own notes or dates). Cells are data, never
formulas: workbooks are opened with ``data_only`` (a formula's last saved value is read, its text
is never evaluated), and every text written out that begins with ``=``, ``+``, ``-`` or ``@`` is
prefixed with an apostrophe so Excel shows it as text instead of running it.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.core.errors import InvalidAnswer

#: More rows than this is not an allocation or a register but a mistake (or an attack).
MAX_ROWS = 50_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: How alike (difflib's ratio of the compared headings) a heading must be to a known column's to
#: be taken for a misspelling of it: "Stayng Together wrker" is 0.95, "Staying Together" 0.82;
#: "Child's name" (0.70 to "Child's ID") and "Date allocated" (0.60) are other columns.
CLOSE_HEADING = 0.8
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetError(InvalidAnswer):
    """The file cannot be read as the spreadsheet asked for; nothing was imported."""


@dataclass(frozen=True)
class Row:
    number: int  # the row number the spreadsheet shows (the headings are row 1)
    values: dict[str, str]  # column key → the cell as text ("" when empty)


@dataclass(frozen=True)
class RowProblem:
    row: int
    reason: str
    warning: bool = False  # a warning the user may accept; otherwise the row is refused

    def __str__(self) -> str:
        return f"Row {self.row}: {self.reason}"


class ImportRejected(InvalidAnswer):
    """Rows have problems: nothing was imported. ``problems`` lists every one of them."""

    def __init__(self, what: str, problems: Sequence[RowProblem]):
        self.problems = list(problems)
        errors = [p for p in self.problems if not p.warning]
        if errors:
            plural = "s" if len(errors) != 1 else ""
            head = f"Nothing was imported: {len(errors)} problem{plural} in the {what}."
        else:
            head = (
                f"Nothing was imported yet: {len(self.problems)} warning(s) in the {what} "
                "need accepting."
            )
        self.summary = head
        super().__init__(" ".join([head, *(str(p) for p in self.problems[:20])]))


@dataclass(frozen=True)
class Column:
    key: str
    heading: str  # as written in the template
    required: bool = True
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {heading_key(n) for n in (self.heading, *self.aliases)}


def heading_key(text: object) -> str:
    """A heading as compared: case, apostrophes, brackets and spacing do not matter."""
    text = re.sub(r"[’'`]", "", str(text or "").lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 100234 typed into Excel comes back as 100234.0
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_rows(data: bytes, filename: str, columns: Sequence[Column]) -> list[Row]:
    """The data rows of the file's first sheet, keyed by column; empty rows are skipped."""
    grid = _grid(data, filename)
    header_index = next((i for i, row in enumerate(grid) if any(cell_text(c) for c in row)), None)
    if header_index is None:
        raise SpreadsheetError(f"{filename} is empty: it needs a row of headings and then data.")
    headings = [heading_key(cell_text(c)) for c in grid[header_index]]
    positions: dict[str, int] = {}
    for column in columns:
        found = [i for i, h in enumerate(headings) if h in column.names()]
        if len(found) > 1:
            raise SpreadsheetError(f"{filename} has the column “{column.heading}” twice.")
        if found:
            positions[column.key] = found[0]
    _refuse_misspelt(filename, grid[header_index], headings, columns, positions)
    missing = [c.heading for c in columns if c.required and c.key not in positions]
    if missing:
        shown = ", ".join(f"“{cell_text(c)}”" for c in grid[header_index] if cell_text(c))
        raise SpreadsheetError(
            f"{filename} is missing the column{'s' if len(missing) > 1 else ''} "
            + ", ".join(f"“{m}”" for m in missing)
            + f". Its headings are: {shown or 'none'}. Download the template to see them."
        )
    rows = []
    for offset, raw in enumerate(grid[header_index + 1 :], start=header_index + 2):
        texts = {key: cell_text(raw[i]) if i < len(raw) else "" for key, i in positions.items()}
        if any(texts.values()):
            rows.append(Row(offset, texts))
    if not rows:
        raise SpreadsheetError(f"{filename} has headings but no rows to import.")
    if len(rows) > MAX_ROWS:
        raise SpreadsheetError(f"{filename} has {len(rows)} rows; at most {MAX_ROWS} are read.")
    return rows


def _refuse_misspelt(
    filename: str,
    raw: Sequence[Any],
    headings: list[str],
    columns: Sequence[Column],
    positions: dict[str, int],
) -> None:
    """A heading close to a column the file lacks is a typo, not another column: ignoring it
    would import the rows without that column (audits without their Staying Together worker)."""
    absent = {name: c for c in columns if c.key not in positions for name in c.names()}
    used = set(positions.values())
    faults = []
    for index, heading in enumerate(headings):
        if not heading or index in used:
            continue
        close = difflib.get_close_matches(heading, list(absent), n=1, cutoff=CLOSE_HEADING)
        if close:
            faults.append(
                f"column {column_letter(index)} is headed “{_shown(cell_text(raw[index]))}”, "
                f"which looks like “{absent[close[0]].heading}”"
            )
    if faults:
        raise SpreadsheetError(
            f"{filename}: {'; '.join(faults)}. Nothing was imported. Correct the heading (or, "
            "if it is another column, give it a heading less like that one) and upload again."
        )


def column_letter(index: int) -> str:
    """The letter Excel shows above the column at ``index`` (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _shown(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _grid(data: bytes, filename: str) -> list[Sequence[Any]]:
    name = filename.lower()
    if not data:
        raise SpreadsheetError(f"{filename} is an empty file.")
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        return _xlsx_grid(data, filename)
    if name.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SpreadsheetError(
            f"{filename} is an old Excel 97–2003 (.xls) file: "
            "save it as .xlsx or .csv and try again."
        )
    if name.endswith((".csv", ".txt")) or not name.rpartition(".")[1]:
        return _csv_grid(data, filename)
    raise SpreadsheetError(f"{filename} is not a spreadsheet: upload an .xlsx or .csv file.")


def _xlsx_grid(data: bytes, filename: str) -> list[Sequence[Any]]:
    from openpyxl import load_workbook  # imported when needed: it is slow to import
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(
            f"{filename} could not be read as an Excel workbook (.xlsx): it may be damaged or "
            "another kind of file. Open it in Excel and save it again as .xlsx or .csv."
        ) from exc
    try:
        if not book.worksheets:
            raise SpreadsheetError(f"{filename} has no sheets.")
        rows = book.worksheets[0].iter_rows(values_only=True)
        return list(itertools.islice(rows, MAX_ROWS + 2))
    finally:
        book.close()


def _csv_grid(data: bytes, filename: str) -> list[Sequence[Any]]:
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(
            f"{filename} is not a text (.csv) file: upload an .xlsx or .csv file."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SpreadsheetError(f"{filename} is not a well-formed .csv file: {exc}.") from exc


# --- writing ------------------------------------------------------------------------------------


def neutralise(value: Any) -> Any:
    """A cell that would start a formula gets a leading apostrophe: shown as text, never run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def workbook_bytes(sheets: Mapping[str, Iterable[Sequence[Any]]]) -> bytes:
    """An .xlsx file in memory: sheet title → rows (the first row is the headings, in bold)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    for opening in book.worksheets:  # the empty "Sheet" a new workbook opens with
        book.remove(opening)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([neutralise(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for letter in [c.column_letter for c in sheet[1]]:
            sheet.column_dimensions[letter].width = 28
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(cell_text(v)) for v in row])
    return buffer.getvalue().encode("utf-8-sig")  # Excel opens UTF-8 with the mark correctly
