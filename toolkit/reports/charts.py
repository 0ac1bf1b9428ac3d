"""Charts as inline SVG text (matplotlib, Agg backend): no image files, no scripts, no network.

The SVG is made to stand alone inside HTML: the XML prologue, DOCTYPE, metadata and namespace
declarations (which name ``http://www.w3.org/...`` addresses, though nothing is fetched) are
removed, and ``xlink:href`` becomes the plain ``href`` every current browser and WeasyPrint read.
Text stays text (``svg.fonttype: none``) so it is sharp and searchable.
"""

from __future__ import annotations

import io
import re
import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

from toolkit.reports.model import Chart

PALETTE = ["#b00020", "#e08a00", "#2f7d32", "#1d4f91", "#6b4fa0", "#00838f", "#8d6e63", "#546e7a"]
GRADE_COLOURS = {
    "Inadequate": "#b00020",
    "Requires improvement": "#e08a00",
    "Good": "#2f7d32",
    "Outstanding": "#1d4f91",
    "Better supported or safer": "#2f7d32",
    "About the same": "#e08a00",
    "Not better": "#b00020",
    "Unclear": "#9e9e9e",
}
WITHHELD_COLOUR = (
    "#d5dbe3"  # the counts a table withholds, drawn together (toolkit/reports/disclosure.py)
)
_STYLE = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "sos-toolkit",  # the same chart gives the same SVG (ids are hashed)
}
_DROP = [
    re.compile(r"<\?xml[^>]*\?>\s*"),
    re.compile(r"<!DOCTYPE[^>]*>\s*"),
    re.compile(r"<metadata>.*?</metadata>\s*", re.S),
    re.compile(r'\s+xmlns(?::\w+)?="[^"]*"'),
]


def svg(chart: Chart, title: str = "") -> str:
    """The chart as an ``<svg>`` element string."""
    with plt.rc_context(_STYLE):
        fig = _draw(chart)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        plt.close(fig)
    text = buffer.getvalue()
    for pattern in _DROP:
        text = pattern.sub("", text)
    text = text.replace("xlink:href", "href")
    label = f'<svg role="img" aria-label="{_attr(title)}"' if title else "<svg"
    return text.replace("<svg", label, 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _colours(columns: list[str]) -> list[str]:
    return [
        WITHHELD_COLOUR
        if c.startswith("Withheld")
        else GRADE_COLOURS.get(c, PALETTE[i % len(PALETTE)])
        for i, c in enumerate(columns)
    ]


def _draw(chart: Chart) -> plt.Figure:
    data = chart.data
    if chart.kind == "boxes":
        return _boxes(data, chart.ylabel)
    fig, ax = plt.subplots(figsize=(7.2, 3.0))
    if data.empty:
        return _too_few(fig, ax)
    labels = [str(i) for i in data.index]
    if chart.kind == "stacked":
        bottom = pd.Series(0.0, index=data.index)
        for column, colour in zip(data.columns, _colours(list(data.columns)), strict=True):
            ax.bar(labels, data[column], bottom=bottom, label=column, color=colour, width=0.7)
            bottom += data[column]
        ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    elif chart.kind == "lines":
        for column, colour in zip(data.columns, _colours(list(data.columns)), strict=True):
            ax.plot(labels, data[column], marker="o", label=column, color=colour)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    else:  # bars: a withheld count is not drawn; its mark ("<5") stands at the foot instead
        column = data.columns[0]
        ax.bar(labels, data[column].fillna(0), color=_colours(labels), width=0.6)
        for i, (label, value) in enumerate(data[column].items()):
            if value != value:  # NaN
                ax.text(i, 0, chart.marks.get(str(label), "–"), ha="center", va="bottom")
        ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_ylabel(chart.ylabel)
    if chart.scale:
        ax.set_ylim(*chart.scale)
    if len(labels) > 8:
        ax.tick_params(axis="x", labelrotation=45)
    return fig


def _too_few(fig: plt.Figure, ax: plt.Axes) -> plt.Figure:
    """No figure shown, so nothing drawn: a note instead of an axis."""
    ax.text(0.5, 0.5, "Too few audits to chart", ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return fig


def _boxes(data: pd.DataFrame, xlabel: str) -> plt.Figure:
    """Median and quartiles per row, weakest at the top (rows arrive weakest first)."""
    fig, ax = plt.subplots(figsize=(7.2, 0.32 * max(len(data), 3) + 0.8))
    if data.empty:  # an empty axis (0 to 1.0) would read as a figure
        return _too_few(fig, ax)
    stats = [
        {
            "med": row["median"],
            "q1": row["q1"],
            "q3": row["q3"],
            "whislo": row["q1"],
            "whishi": row["q3"],
            "label": textwrap.shorten(str(name), 60, placeholder="…"),
        }
        for name, row in data.iloc[::-1].iterrows()
    ]
    ax.bxp(
        stats,
        orientation="horizontal",
        showfliers=False,
        showcaps=False,
        widths=0.6,
        medianprops={"color": "#b00020", "linewidth": 2},
        boxprops={"color": "#1d4f91"},
    )
    ax.set_xlim(0, 10)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="#e3e7ee")
    return fig
