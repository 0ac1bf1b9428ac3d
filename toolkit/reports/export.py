"""The quarterly report files: execute the report notebook, export HTML, PDF and Excel.

The notebook (``notebooks/quarterly_report.ipynb``) is run by nbclient with its parameters
injected after the cell tagged ``parameters`` (as papermill does). nbconvert's ``basic``
template turns the executed notebook into HTML without inputs and without the RequireJS and
MathJax it would otherwise load from CDNs; the page around it is ours, with the stylesheet
inline. WeasyPrint prints that HTML to PDF with every fetch refused, so a PDF can no more reach
the network than the HTML can. The workbook holds the same tables (:mod:`.excel`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

import nbformat

from toolkit import config
from toolkit.reports.period import parse_period

NOTEBOOK = config.REPO_DIR / "notebooks" / "quarterly_report.ipynb"
FORMATS = ("html", "pdf", "xlsx")
EXECUTE_TIMEOUT = 600  # seconds for the report cell; 100,000 audits take well under a minute


class ExportError(ValueError):
    """A report that cannot be written; the message says why."""


def parameters_cell(period: str, service: str | None, team: str | None) -> nbformat.NotebookNode:
    source = f"period = {period!r}\nservice = {service!r}\nteam = {team!r}\n"
    cell = nbformat.v4.new_code_cell(source)
    cell.id = "injected-parameters"
    cell.metadata["tags"] = ["injected-parameters"]
    return cell


def execute(
    period: str, service: str | None = None, team: str | None = None
) -> nbformat.NotebookNode:
    """The report notebook, executed for these parameters (in a fresh kernel)."""
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    at = next(
        (i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), None
    )
    if at is None:
        raise ExportError(f"{NOTEBOOK.name} has no cell tagged 'parameters'.")
    nb.cells.insert(at + 1, parameters_cell(period, service, team))
    NotebookClient(
        nb,
        timeout=EXECUTE_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(config.REPO_DIR)}},
    ).execute()
    return nb


def to_html(nb: nbformat.NotebookNode, title: str) -> str:
    """One self-contained page: inputs hidden, nothing loaded from anywhere."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    body = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", body)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{margin:24px auto;max-width:1120px;padding:0 16px;}"
        "@page{size:A4 landscape;margin:14mm;}</style>"
        f"</head><body>{body}</body></html>\n"
    )


def external_references(page: str) -> list[str]:
    """Every http(s) address in ``page``: a self-contained report has none."""
    return re.findall(r"https?://[^\s\"'<>)]+", page)


def to_pdf(page: str, path: Path) -> Path:
    from weasyprint import HTML

    def refuse(url: str, *args: object, **kwargs: object) -> dict:
        raise ExportError(f"The report tried to load {url}; reports load nothing.")

    HTML(string=page, url_fetcher=refuse).write_pdf(path)
    return path


def export_report(
    period: str,
    out: Path | str = ".",
    formats: Iterable[str] = FORMATS,
    service: str | None = None,
    team: str | None = None,
) -> list[Path]:
    """Write the report for ``period`` to ``out`` in each of ``formats``; returns the files."""
    wanted = [f.lower() for f in formats]
    unknown = sorted(set(wanted) - set(FORMATS))
    if unknown:
        raise ExportError(f"Unknown format {', '.join(unknown)}: choose from {', '.join(FORMATS)}.")
    label = parse_period(period).label  # a bad period fails here, before a kernel starts
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stem = _file_stem(label, service, team)
    written: list[Path] = []
    if "html" in wanted or "pdf" in wanted:
        page = to_html(execute(period, service, team), f"Quality assurance report {label}")
        leaks = external_references(page)
        if leaks:
            raise ExportError(f"The exported HTML refers to other hosts: {leaks[:3]}")
        if "html" in wanted:
            path = out / f"{stem}.html"
            path.write_text(page, encoding="utf-8")
            written.append(path)
        if "pdf" in wanted:
            written.append(to_pdf(page, out / f"{stem}.pdf"))
    if "xlsx" in wanted:
        from toolkit.reports.document import make
        from toolkit.reports.excel import write_workbook

        written.append(write_workbook(make(period, service, team), out / f"{stem}.xlsx"))
    return written


def _file_stem(label: str, service: str | None, team: str | None) -> str:
    words = "-".join(filter(None, [label, service, team]))
    return "qa-report-" + re.sub(r"[^A-Za-z0-9]+", "-", words).strip("-")
