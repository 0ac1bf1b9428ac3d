"""The report as HTML: one fragment used by the reporting app and the quarterly document alike.

Every cell and title is escaped; charts are inline SVG from :mod:`toolkit.reports.charts`. The
stylesheet is inline too, so the exported file needs nothing from anywhere.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from toolkit.core.html import esc
from toolkit.reports.charts import svg
from toolkit.reports.model import Report, Section, Table
from toolkit.reports.privacy import SUPPRESSION_RULE

REPORT_CSS = """
<style>
.reports-app { max-width: 1180px; margin: 0 auto; padding: 0 12px 48px; box-sizing: border-box;
  font-size: 15px; color: #1b1b1b; }
.reports-app .report-filters { background: #f4f6f9; border: 1px solid #d5dbe3; border-radius: 6px;
  padding: 8px 12px; margin: 4px 0 10px; }
.report-refused { font-size: 16px; }
.reports-app .report-tabs .lm-TabBar-tab { flex: 0 0 auto !important; min-width: 200px !important;
  max-width: none !important; font-size: 14px; }
.reports-app .report-tabs .lm-TabBar-tab.lm-mod-current { font-weight: bold; }
.qa-report { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 14px; color: #1b1b1b;
  max-width: 1100px; }
.qa-report h1 { font-size: 24px; color: #1d4f91; margin: 4px 0; }
.qa-report h2 { font-size: 20px; color: #1d4f91; border-bottom: 2px solid #1d4f91;
  margin: 22px 0 6px; padding-bottom: 2px; }
.qa-report h3 { font-size: 16px; margin: 16px 0 4px; }
.qa-report .report-meta { color: #444; margin: 0 0 8px; }
.qa-report .table-note { color: #444; font-size: 12.5px; margin: 2px 0 6px; max-width: 900px; }
.qa-report .table-wrap { overflow-x: auto; max-width: 100%; }
.qa-report table.report-table { border-collapse: collapse; margin: 4px 0 8px; font-size: 13px; }
.qa-report table.report-table th { background: #f4f6f9; border-bottom: 2px solid #d5dbe3;
  text-align: left; padding: 4px 8px; vertical-align: bottom; }
.qa-report table.report-table td { border-bottom: 1px solid #e3e7ee; padding: 4px 8px;
  vertical-align: top; }
.qa-report table.report-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
.qa-report .chart svg { max-width: 100%; height: auto; }
.qa-report .empty-note { color: #666; font-style: italic; }
.qa-report .demonstration-note { background: #fff4ce; border: 2px solid #8a5300;
  color: #3d2600; padding: 8px 12px; font-size: 15px; margin: 6px 0 10px; max-width: 900px; }
.qa-report .privacy-note { background: #eef4fb; border-left: 4px solid #1d4f91; padding: 6px 10px;
  font-size: 12.5px; }
@media print { .qa-report section.report-section { break-before: page; }
  .qa-report section.report-section:first-of-type { break-before: auto; }
  .qa-report .table-wrap { overflow: visible; } .qa-report table.report-table { font-size: 10px; }
  .qa-report h3, .qa-report .table-note { break-after: avoid; }
  .qa-report .chart { break-inside: avoid; } }
</style>
"""


_FIGURE = re.compile(r"^(?:<\d+|[-−]?\d+(?:\.\d+)?%?|–)$")


def _numeric(value: object) -> bool:
    """Figures (numbers, shares, "<5", "–") are right-aligned; words are not."""
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or bool(_FIGURE.match(str(value)))


def table_html(frame: pd.DataFrame) -> str:
    if frame.empty:
        return '<p class="empty-note">Nothing to show for this period.</p>'
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = "".join(
            f'<td class="num">{esc(v)}</td>' if _numeric(v) else f"<td>{esc(v)}</td>"
            for v in values
        )
        rows.append(f"<tr>{cells}</tr>")
    return (
        '<div class="table-wrap"><table class="report-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def block_html(table: Table, charts: bool = True) -> str:
    parts = [f'<div class="report-table-block table-{esc(table.key)}"><h3>{esc(table.title)}</h3>']
    if table.note:
        parts.append(f'<p class="table-note">{esc(table.note)}</p>')
    if charts and table.chart is not None:
        parts.append(
            f'<div class="chart chart-{esc(table.key)}">{svg(table.chart, table.title)}</div>'
        )
    parts.append(table_html(table.frame))
    parts.append("</div>")
    return "".join(parts)


def section_html(section: Section, charts: bool = True) -> str:
    blocks = "".join(block_html(t, charts) for t in section.tables)
    return (
        f'<section class="report-section section-{esc(section.key)}">'
        f"<h2>{esc(section.title)}</h2>{blocks}</section>"
    )


def privacy_note(report: Report) -> str:
    people = (
        "Practitioners and auditors are named (asked for by quality assurance)."
        if report.names_shown
        else "Practitioners and auditors appear as codes (P-…, A-…)."
    )
    return (
        '<p class="privacy-note">No child\'s name or ID appears in this report. '
        f"{people} {esc(SUPPRESSION_RULE)} {esc(report.demonstration_note)}</p>"
    )


def demonstration_html(report: Report) -> str:
    """A notice above everything else when the figures are demonstration data ("" if not)."""
    if not report.demonstration:
        return ""
    return (
        '<p class="demonstration-note" role="note"><strong>Demonstration data, not real '
        f"figures.</strong> {esc(_sentence(report.demonstration_note))}"
        "</p>"
    )


def _sentence(note: str) -> str:
    """The note after its "Demonstration data:" opening, as a sentence of its own."""
    rest = note.removeprefix("Demonstration data: ")
    return rest[:1].upper() + rest[1:]


def header_html(report: Report, title: str = "Quality assurance report") -> str:
    made = dt.datetime.now(dt.timezone.utc).strftime("%d %B %Y %H:%M UTC")
    return (
        f"<h1>{esc(title)}: {esc(report.subtitle)}</h1>{demonstration_html(report)}"
        f'<p class="report-meta">As at {report.as_of:%d %B %Y} · '
        f"{esc(report.audits_read_shown)} audits read "
        f"(the period and the year before) · made {made}</p>{privacy_note(report)}"
    )


def report_html(report: Report, charts: bool = True) -> str:
    """The whole report as one fragment (stylesheet included)."""
    body = "".join(section_html(s, charts) for s in report.sections)
    return f'{REPORT_CSS}<div class="qa-report">{header_html(report)}{body}</div>'
